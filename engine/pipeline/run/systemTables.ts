// system.pipeline_events and system.quality_results: one row per flow (and run) and per expectation, appended at the end of every run.
import { DeltaTable } from '../../delta/deltaTable'
import { sqlString } from '../../delta/parquetPort'
import type { StructType } from '../../delta/schema'
import { field } from '../../delta/typeMapping'
import type { Lakehouse } from '../../lakehouse/folder'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { PipelineRunResult, RunClock } from './runTypes'
import { tableRootOf } from './tableWriter'

export const PIPELINE_EVENTS_SCHEMA: StructType = {
  type: 'struct',
  fields: [
    field('run_id', 'string'), field('pipeline', 'string'), field('flow', 'string'), field('event_type', 'string'), field('status', 'string'),
    field('started_at', 'timestamp'), field('ended_at', 'timestamp'), field('rows_in', 'long'), field('rows_written', 'long'),
    field('rows_quarantined', 'long'), field('duration_ms', 'long'), field('version', 'long'), field('error', 'string'), field('rows_read', 'long')
  ]
}

export const QUALITY_RESULTS_SCHEMA: StructType = {
  type: 'struct',
  fields: [
    field('run_id', 'string'), field('pipeline', 'string'), field('dataset', 'string'), field('expectation', 'string'), field('action', 'string'),
    field('passed', 'long'), field('failed', 'long'), field('evaluated_at', 'timestamp')
  ]
}

const text = (v: string | null | undefined): string => (v === null || v === undefined ? 'NULL' : sqlString(v))
const num = (v: number | null | undefined): string => (v === null || v === undefined ? 'NULL' : String(Math.trunc(v)))
const time = (ms: number): string => `make_timestamptz(${Math.trunc(ms)}::BIGINT * 1000)`

async function appendRows(session: DuckdbSession, lakehouse: Lakehouse, table: string, schema: StructType, rows: string[][], clock: RunClock): Promise<void> {
  if (rows.length === 0) return
  const root = await tableRootOf(lakehouse, `system.${table}`)
  const delta = (await DeltaTable.exists(root)) ? await DeltaTable.open(root, session, { clock }) : await DeltaTable.create(root, session, { schema, name: table }, { clock })
  const names = schema.fields.map((f) => f.name)
  // A table created by an older version lacks the columns added since (e.g. rows_read): write the columns it has.
  const existing = (await delta.snapshot()).schema.fields.map((f) => f.name)
  const select = existing.map((n) => (names.includes(n) ? n : `NULL AS ${n}`)).join(', ')
  await delta.write({ sourceSql: `SELECT ${select} FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS t(${names.join(', ')})`, mode: 'append' })
}

/**
 * Appends the run to system.pipeline_events (one `flow_progress` row per flow and one `update` row for the run) and its
 * expectation counts to system.quality_results, creating either table on first use. Validate-only runs write nothing.
 * @throws DeltaError from the commits.
 */
export async function recordRun(session: DuckdbSession, lakehouse: Lakehouse, result: PipelineRunResult, clock: RunClock): Promise<void> {
  const events = result.flows.map((f) => [
    text(result.runId), text(result.pipeline), text(f.flow), text('flow_progress'), text(f.status),
    time(f.startedAt ?? result.startedAt), time((f.startedAt ?? result.startedAt) + f.durationMs), num(f.rowsIn), num(f.rowsWritten), num(f.rowsQuarantined), num(f.durationMs), num(f.version), text(f.error ?? f.reason), num(f.rowsRead)
  ])
  const totals = result.flows.reduce((t, f) => ({ rowsIn: t.rowsIn + f.rowsIn, written: t.written + f.rowsWritten, quarantined: t.quarantined + f.rowsQuarantined }), { rowsIn: 0, written: 0, quarantined: 0 })
  events.push([
    text(result.runId), text(result.pipeline), 'NULL', text('update'), text(result.status), time(result.startedAt), time(result.endedAt),
    num(totals.rowsIn), num(totals.written), num(totals.quarantined), num(result.endedAt - result.startedAt), 'NULL', text(result.error), 'NULL'
  ])
  await appendRows(session, lakehouse, 'pipeline_events', PIPELINE_EVENTS_SCHEMA, events, clock)
  const quality = result.flows.flatMap((f) => f.expectations.map((e) => [
    text(result.runId), text(result.pipeline), text(e.dataset), text(e.expectation), text(e.action), num(e.passed), num(e.failed), time(result.endedAt)
  ]))
  await appendRows(session, lakehouse, 'quality_results', QUALITY_RESULTS_SCHEMA, quality, clock)
}
