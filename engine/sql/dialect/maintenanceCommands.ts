// Runs RESTORE / OPTIMIZE / VACUUM on a Delta table and returns Spark's result rows as a DuckDB SELECT.
import { DeltaTable } from '../../delta/deltaTable'
import { DeltaError } from '../../delta/errors'
import { sqlString } from '../../delta/parquetPort'
import type { ResolvedTable } from '../catalog'
import { SqlError } from '../sqlError'
import type { MaintenanceStatement } from './maintenanceStatements'
import { valuesSql, type ColumnSpec } from './metadataStatements'
import type { WriteContext } from './writeStatements'

type Of<K extends MaintenanceStatement['kind']> = Extract<MaintenanceStatement, { kind: K }>

async function naming<T>(table: ResolvedTable, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (e) {
    if (e instanceof DeltaError) {
      const file = typeof e.detail.file === 'string' ? e.detail.file : undefined
      throw new SqlError(e.code, `${table.displayName}: ${e.message}`, { table: table.displayName, file, cause: e })
    }
    throw e
  }
}

async function open(ctx: WriteContext, table: ResolvedTable): Promise<DeltaTable> {
  return DeltaTable.open(table.root, ctx.session, ctx.clock ? { clock: ctx.clock } : undefined)
}

const bigint = (name: string): ColumnSpec => ({ name, type: 'BIGINT' })

/**
 * RESTORE [TABLE] t TO VERSION AS OF n | TO TIMESTAMP AS OF 'ts'. Returns Spark's one-row result: table_size_after_restore,
 * num_of_files_after_restore, num_removed_files, num_restored_files, removed_files_size, restored_files_size.
 * @throws SqlError INVALID_TIMESTAMP for an unparsable timestamp; the Delta codes (VERSION_NOT_FOUND, DATA_FILE_MISSING, ...).
 */
export async function runRestore(ctx: WriteContext, st: Of<'restore'>, table: ResolvedTable): Promise<string> {
  let timestamp: number | undefined
  if (st.timestamp !== undefined) {
    try {
      const rows = await ctx.session.query(`SELECT epoch_ms(CAST(${sqlString(st.timestamp)} AS TIMESTAMPTZ))::BIGINT AS ms`)
      timestamp = Number(rows[0]!.ms)
    } catch (e) {
      throw new SqlError('INVALID_TIMESTAMP', `RESTORE ${table.displayName} TO TIMESTAMP AS OF '${st.timestamp}': not a timestamp (${(e as Error).message.split('\n')[0]})`, {
        line: st.table.line, column: st.table.column, table: table.displayName
      })
    }
  }
  const delta = await open(ctx, table)
  const result = await naming(table, () => delta.restore({ version: st.version, timestamp, timestampText: st.timestamp }))
  const m = result.metrics
  const columns = ['table_size_after_restore', 'num_of_files_after_restore', 'num_removed_files', 'num_restored_files', 'removed_files_size', 'restored_files_size'].map(bigint)
  return valuesSql(columns, [[m.tableSizeAfterRestore ?? 0, m.numOfFilesAfterRestore ?? 0, m.numRemovedFiles ?? 0, m.numRestoredFiles ?? 0, m.removedFilesSize ?? 0, m.restoredFilesSize ?? 0]])
}

/** The metrics struct of OPTIMIZE's result (a subset of Spark's OptimizeMetrics, same field names). */
const OPTIMIZE_METRICS_TYPE = 'STRUCT(numFilesAdded BIGINT, numFilesRemoved BIGINT, numBytesAdded BIGINT, numBytesRemoved BIGINT, numBatches BIGINT, totalConsideredFiles BIGINT, totalFilesSkipped BIGINT)'

/**
 * OPTIMIZE t [WHERE partition predicate] [ZORDER BY (cols)]. Returns Spark's one row: path (the table folder) and metrics.
 * @throws SqlError INVALID_ARGUMENT for a WHERE on data columns or a bad ZORDER column; conflict codes.
 */
export async function runOptimize(ctx: WriteContext, st: Of<'optimize'>, table: ResolvedTable): Promise<string> {
  let where: string | undefined
  if (st.where) where = (await ctx.binder.bind(st.where)).sql.trim()
  const delta = await open(ctx, table)
  const result = await naming(table, () => delta.optimize({ where, zorderBy: st.zorderBy }))
  const m = result.metrics
  const text = (n: number | undefined) => String(n ?? 0)
  const metrics = {
    numFilesAdded: text(m.numAddedFiles), numFilesRemoved: text(m.numRemovedFiles), numBytesAdded: text(m.numAddedBytes), numBytesRemoved: text(m.numRemovedBytes),
    numBatches: text(m.numBatches), totalConsideredFiles: text(m.totalConsideredFiles), totalFilesSkipped: text((m.totalConsideredFiles ?? 0) - (m.numRemovedFiles ?? 0))
  }
  return valuesSql([{ name: 'path', type: 'VARCHAR' }, { name: 'metrics', type: OPTIMIZE_METRICS_TYPE }], [[table.root, { struct: metrics }]])
}

/**
 * VACUUM t [RETAIN n HOURS] [DRY RUN]. As Spark: a dry run returns one `path` row per file it would delete; a real run
 * returns one row, the table folder. SQL has no override for the 168-hour check (use the Engine API's vacuum for that).
 * @throws SqlError VACUUM_RETENTION_TOO_SHORT for RETAIN under the table's retention.
 */
export async function runVacuum(ctx: WriteContext, st: Of<'vacuum'>, table: ResolvedTable): Promise<string> {
  const delta = await open(ctx, table)
  const out = await naming(table, () => delta.vacuum({ retentionHours: st.retentionHours, dryRun: st.dryRun }))
  const rows = st.dryRun ? out.files.map((f) => [f]) : [[table.root]]
  return valuesSql([{ name: 'path', type: 'VARCHAR' }], rows)
}
