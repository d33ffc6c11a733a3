// system.watermark_control: the last processed timestamp per source table, advanced only after a successful commit.
import { DeltaTable } from '../delta/deltaTable'
import { isDeltaError } from '../delta/errors'
import { sqlString, type ParquetPort } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import type { StructType } from '../delta/schema'
import { field } from '../delta/typeMapping'

export const WATERMARK_CONTROL_SCHEMA: StructType = {
  type: 'struct',
  fields: [
    field('source_system', 'string', false),
    field('table_name', 'string', false),
    field('watermark_column', 'string'),
    field('last_processed_timestamp', 'timestamp'),
    field('process_date', 'date'),
    field('status', 'string'),
    field('created_at', 'timestamp'),
    field('updated_at', 'timestamp')
  ]
}

export type WatermarkStatus = 'RUNNING' | 'SUCCESS' | 'FAILED'

export interface WatermarkRow {
  sourceSystem: string
  tableName: string
  watermarkColumn: string | null
  /** NULL until a run succeeds. */
  lastProcessedTimestamp: Date | null
  /** The (UTC) day of the last status change, `YYYY-MM-DD`. */
  processDate: string | null
  status: WatermarkStatus
  createdAt: Date
  updatedAt: Date
}

/** A timestamp literal (TIMESTAMPTZ) for ms since the epoch, independent of the session time zone. */
function timestampSql(ms: number): string {
  return `(epoch_ms(CAST(${Math.trunc(ms)} AS BIGINT)) AT TIME ZONE 'UTC')`
}

function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  return value instanceof Date ? value : new Date(String(value))
}

/**
 * The watermark control table of a lakehouse (`system.watermark_control`), one row per (source_system, table_name).
 * Each change rewrites that one row in one Delta commit.
 */
export class WatermarkControl {
  private constructor(private readonly table: DeltaTable, private readonly port: ParquetPort, private readonly clock: { now(): number }) {}

  /**
   * Opens the table, creating it on first use.
   * @throws DeltaError from reading or creating the table.
   */
  static async open(lakehouse: { tablePath(schema: string, name: string): string }, port: ParquetPort, clock: { now(): number }): Promise<WatermarkControl> {
    const root = lakehouse.tablePath('system', 'watermark_control')
    let table: DeltaTable
    if (await DeltaTable.exists(root)) {
      table = await DeltaTable.open(root, port, { clock })
    } else {
      try {
        table = await DeltaTable.create(root, port, { schema: WATERMARK_CONTROL_SCHEMA, name: 'watermark_control', description: 'Last processed timestamp per source table' }, { clock })
      } catch (e) {
        if (!isDeltaError(e, 'TABLE_ALREADY_EXISTS')) throw e
        table = await DeltaTable.open(root, port, { clock })
      }
    }
    return new WatermarkControl(table, port, clock)
  }

  /** The row of (sourceSystem, table), or null before the first run. */
  async row(sourceSystem: string, table: string): Promise<WatermarkRow | null> {
    const scan = await scanSql(await this.table.snapshot(), this.port)
    const rows = await this.port.query(`SELECT * FROM (${scan}) AS w WHERE ${this.rowPredicate(sourceSystem, table)}`)
    const r = rows[0]
    if (!r) return null
    const processDate = asDate(r.process_date)
    return {
      sourceSystem: String(r.source_system),
      tableName: String(r.table_name),
      watermarkColumn: r.watermark_column === null ? null : String(r.watermark_column),
      lastProcessedTimestamp: asDate(r.last_processed_timestamp),
      processDate: processDate ? processDate.toISOString().slice(0, 10) : null,
      status: String(r.status) as WatermarkStatus,
      createdAt: asDate(r.created_at)!,
      updatedAt: asDate(r.updated_at)!
    }
  }

  /** The last successfully processed timestamp, or null when no run has succeeded yet. */
  async current(sourceSystem: string, table: string): Promise<Date | null> {
    return (await this.row(sourceSystem, table))?.lastProcessedTimestamp ?? null
  }

  /**
   * Marks a run as started (status RUNNING), inserting the row on the first run, and returns the watermark to read
   * from (null on the first run). The watermark itself is not changed.
   */
  async begin(sourceSystem: string, table: string, column: string): Promise<Date | null> {
    const existing = await this.row(sourceSystem, table)
    await this.put(sourceSystem, table, column, existing, existing?.lastProcessedTimestamp ?? null, 'RUNNING')
    return existing?.lastProcessedTimestamp ?? null
  }

  /**
   * Records a successful run: last_processed_timestamp becomes `newWatermark` (never moves backwards: the later of
   * the stored and the new value), status SUCCESS. Call only after the target commit succeeded.
   * @throws DeltaError from the commit.
   */
  async advance(sourceSystem: string, table: string, column: string, newWatermark: Date, status: 'SUCCESS' = 'SUCCESS'): Promise<void> {
    const existing = await this.row(sourceSystem, table)
    const previous = existing?.lastProcessedTimestamp ?? null
    const next = previous && previous.getTime() > newWatermark.getTime() ? previous : newWatermark
    await this.put(sourceSystem, table, column, existing, next, status)
  }

  /** Records a failed run: status FAILED, last_processed_timestamp unchanged (inserting the row if needed). */
  async markFailed(sourceSystem: string, table: string, column: string): Promise<void> {
    const existing = await this.row(sourceSystem, table)
    await this.put(sourceSystem, table, column, existing, existing?.lastProcessedTimestamp ?? null, 'FAILED')
  }

  private rowPredicate(sourceSystem: string, table: string): string {
    return `source_system = ${sqlString(sourceSystem)} AND table_name = ${sqlString(table)}`
  }

  private async put(sourceSystem: string, table: string, column: string, existing: WatermarkRow | null, watermark: Date | null, status: WatermarkStatus): Promise<void> {
    const now = this.clock.now()
    const created = existing?.createdAt.getTime() ?? now
    const sourceSql = `SELECT ${sqlString(sourceSystem)} AS source_system, ${sqlString(table)} AS table_name, ${sqlString(column)} AS watermark_column,
      ${watermark ? timestampSql(watermark.getTime()) : 'CAST(NULL AS TIMESTAMPTZ)'} AS last_processed_timestamp,
      CAST(epoch_ms(CAST(${Math.trunc(now)} AS BIGINT)) AS DATE) AS process_date, ${sqlString(status)} AS status,
      ${timestampSql(created)} AS created_at, ${timestampSql(now)} AS updated_at`
    await this.table.write({ sourceSql, mode: 'overwrite', replaceWhere: this.rowPredicate(sourceSystem, table), operation: 'MERGE' })
  }
}
