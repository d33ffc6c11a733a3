// Test support: loads literal rows into DuckDB relations and drives an operator through batches the way the runner does.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { maxEventTimeByPartition } from './eventTimeColumn'
import type { EventTimeOperator, OperatorOutput } from './operator'
import type { WatermarkTracker } from './watermarkTracker'

/** Creates (or replaces) `name` as `SELECT <columns> FROM (VALUES ...)`; `columns` are typed select items over col0, col1... */
export async function loadRows(port: DuckdbSession, name: string, columns: string, rows: string[]): Promise<void> {
  const body = rows.length > 0
    ? `SELECT ${columns} FROM (VALUES ${rows.map((r) => `(${r})`).join(', ')})`
    : `SELECT ${columns} FROM (SELECT ${columns.split(',').map((_, i) => `NULL AS col${i}`).join(', ')}) WHERE false`
  await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS ${body}`)
}

/** Reads a relation as plain rows, ordered by every column so comparisons are stable. */
export async function readSorted(port: DuckdbSession, relation: string): Promise<Record<string, unknown>[]> {
  return port.query(`SELECT * FROM ${sqlIdent(relation)} ORDER BY ALL`)
}

/**
 * One runner step: process with the tracker's current watermark (the one computed after the previous batch), then fold this
 * batch's max event time into the tracker, as the query runner does.
 */
export async function runBatch(op: EventTimeOperator, tracker: WatermarkTracker, relations: string[], batchId: number, now: number,
  eventTime: string): Promise<{ watermarkMs: number | null; output: OperatorOutput }> {
  const watermarkMs = tracker.current()
  const output = await op.process({ relations, watermarkMs, batchId })
  const maxima = new Map<string, number>()
  for (const [i, relation] of relations.entries()) {
    // Each input is its own watermark input, so a join's global watermark is the min of its sides (Spark's default policy).
    for (const [partition, ms] of await maxEventTimeByPartition(op.port, relation, eventTime, { partitionName: `input${i}` })) maxima.set(partition, ms)
  }
  tracker.observe(maxima, now)
  return { watermarkMs, output }
}
