// Reads the rows a pipeline's watermarked tables refused (the `<table>_late` tables), newest first.
import type { LateRowInfo } from '../../api/streamApi'
import { DeltaTable } from '../../delta/deltaTable'
import { sqlIdent } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { Lakehouse } from '../../lakehouse/folder'
import type { WatermarkClause } from '../../pipeline/model'
import { storedNameOf } from '../../pipeline/run/plan'
import type { LoadedPipeline } from '../../pipeline/runner'
import type { DuckdbSession } from '../../sql/duckdbSession'

/** A watermarked table of a pipeline: where it is stored and which column its WATERMARK clause names. */
export interface WatermarkedTable {
  /** `schema.table` of the target. */
  target: string
  /** `schema.table_late`. */
  lateTable: string
  eventTimeColumn: string
}

/** The pipeline's flows that declare a WATERMARK on one of their sources, with their targets' late tables. */
export function watermarkedTables(pipeline: LoadedPipeline): WatermarkedTable[] {
  const target = pipeline.definition.target ?? pipeline.config.target
  const out = new Map<string, WatermarkedTable>()
  for (const flow of pipeline.definition.flows) {
    const sources: { watermark?: WatermarkClause }[] = [...(flow.query?.references ?? []), ...(flow.query?.fileSources ?? [])]
    const watermark = sources.find((s) => s.watermark)?.watermark
    const dataset = pipeline.definition.datasets.find((d) => d.name === flow.target)
    const stored = dataset ? storedNameOf(dataset, target) : null
    if (!watermark || !stored || out.has(stored)) continue
    out.set(stored, { target: stored, lateTable: `${stored}_late`, eventTimeColumn: watermark.column })
  }
  return [...out.values()]
}

const BOOKKEEPING = new Set(['_lateness_ms', '_watermark', '_batch_id', '_processed_at'])
const NUMERIC = /^(byte|short|integer|long|float|double|decimal)/

/**
 * The newest `limit` late rows over every late table of the pipeline (a table that does not exist yet has none),
 * newest first: by processing time when recorded, else batch, else watermark. `row` holds the row's own columns
 * (numbers as numbers, everything else as text). @throws DeltaError when a late table cannot be read.
 */
export async function readLateRows(lakehouse: Lakehouse, session: DuckdbSession, pipeline: LoadedPipeline, limit: number): Promise<LateRowInfo[]> {
  const rows: LateRowInfo[] = []
  for (const table of watermarkedTables(pipeline)) {
    const [schema, name] = table.lateTable.split('.') as [string, string]
    const found = await lakehouse.resolveTable(schema, name)
    if (!found) continue
    const snapshot = await (await DeltaTable.open(found.path, session)).snapshot()
    const fields = snapshot.schema.fields
    const has = (c: string) => fields.some((f) => f.name.toLowerCase() === c)
    const eventField = fields.find((f) => f.name.toLowerCase() === table.eventTimeColumn.toLowerCase())
    const own = fields.filter((f) => !BOOKKEEPING.has(f.name.toLowerCase()))
    const ownSelect = own.map((f, i) => {
      const type = typeof f.type === 'string' ? f.type : 'struct'
      const value = type === 'boolean' ? sqlIdent(f.name) : NUMERIC.test(type) ? `CAST(${sqlIdent(f.name)} AS DOUBLE)` : `CAST(${sqlIdent(f.name)} AS VARCHAR)`
      return `${value} AS ${sqlIdent(`c${i}`)}`
    })
    // epoch_ms reads TIMESTAMP as UTC and TIMESTAMPTZ as an instant; anything else (text) is parsed as a TIMESTAMP first.
    const epoch = (column: string) => {
      const type = fields.find((f) => f.name === column)?.type
      return typeof type === 'string' && type.startsWith('timestamp') ? `epoch_ms(${sqlIdent(column)})` : `epoch_ms(CAST(${sqlIdent(column)} AS TIMESTAMP))`
    }
    const column = (c: string) => fields.find((f) => f.name.toLowerCase() === c)!.name
    const processed = has('_processed_at') ? epoch(column('_processed_at')) : 'NULL'
    const batch = has('_batch_id') ? 'CAST(_batch_id AS BIGINT)' : 'NULL'
    const order = [has('_processed_at') ? '_lb_processed DESC' : null, has('_batch_id') ? '_lb_batch DESC' : null, '_lb_watermark DESC', '_lb_event DESC'].filter(Boolean).join(', ')
    const result = await session.query(`SELECT ${epoch(column('_watermark'))} AS _lb_watermark, CAST(_lateness_ms AS BIGINT) AS _lb_lateness,
      ${eventField ? epoch(eventField.name) : `${epoch(column('_watermark'))} - CAST(_lateness_ms AS BIGINT)`} AS _lb_event,
      ${batch} AS _lb_batch, ${processed} AS _lb_processed${ownSelect.length ? ', ' + ownSelect.join(', ') : ''}
      FROM (${await scanSql(snapshot, session)}) ORDER BY ${order} LIMIT ${Math.max(0, Math.trunc(limit))}`)
    for (const r of result) {
      const row: LateRowInfo['row'] = {}
      own.forEach((f, i) => {
        const v = r[`c${i}`]
        row[f.name] = v === null || v === undefined ? null : typeof v === 'boolean' || typeof v === 'number' ? v : String(v)
      })
      rows.push({
        table: table.lateTable, target: table.target,
        eventTime: Number(r._lb_event), watermark: Number(r._lb_watermark), latenessMs: Number(r._lb_lateness),
        batchId: r._lb_batch === null ? null : Number(r._lb_batch), processedAt: r._lb_processed === null ? null : Number(r._lb_processed), row
      })
    }
  }
  const key = (r: LateRowInfo) => [r.processedAt ?? -Infinity, r.batchId ?? -Infinity, r.watermark, r.eventTime]
  rows.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)]
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!
    return 0
  })
  return rows.slice(0, limit)
}
