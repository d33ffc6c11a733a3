// readPipelineRuns: a pipeline's recorded runs, read back from system.pipeline_events and system.quality_results.
import type { PipelineFlowRunRecord, PipelineRunRecord } from '../api/pipelineApi'
import { DeltaTable } from '../delta/deltaTable'
import { sqlString } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import type { Lakehouse } from '../lakehouse/folder'
import type { DuckdbSession } from '../sql/duckdbSession'
import { readPipelineConfig } from './pipelineConfig'
import { PipelineRunError } from './run/runTypes'

export const DEFAULT_RUN_LIMIT = 20

const RUN_STATUSES = ['completed', 'failed', 'cancelled', 'invalid'] as const
const FLOW_STATUSES = ['completed', 'no_new_data', 'unchanged', 'failed', 'skipped', 'cancelled'] as const
const ACTIONS = ['warn', 'drop', 'fail'] as const

/**
 * The newest `limit` runs of pipeline `name` (default 20), newest first, each with its flows in the order they started
 * and each flow's expectation counts from system.quality_results (matched through the stored table the flow writes). Returns [] when the pipeline never ran (no
 * system.pipeline_events yet). Validate-only runs are not recorded, so they never appear.
 * @throws PipelineRunError CORRUPT_SYSTEM_TABLE naming the table, run and value when a row holds a status or action
 * this engine does not know; DeltaError when a system table cannot be read.
 */
export async function readPipelineRuns(lakehouse: Lakehouse, session: DuckdbSession, name: string, limit = DEFAULT_RUN_LIMIT): Promise<PipelineRunRecord[]> {
  const events = await scanOf(lakehouse, session, 'pipeline_events')
  if (!events) return []
  // Tables created before rows_read existed lack the column: read it as NULL there.
  const rowsRead = events.columns.has('rows_read') ? 'rows_read' : 'NULL::BIGINT'
  const updates = await session.query(
    `SELECT run_id, status, epoch_ms(started_at)::BIGINT AS started, epoch_ms(ended_at)::BIGINT AS ended, rows_in, rows_written, rows_quarantined, duration_ms, error
     FROM (${events.sql}) AS e WHERE pipeline = ${sqlString(name)} AND event_type = 'update' ORDER BY started_at DESC, run_id LIMIT ${Math.max(1, Math.trunc(limit))}`
  )
  if (updates.length === 0) return []
  const ids = updates.map((u) => sqlString(String(u.run_id))).join(', ')
  const flowRows = await session.query(
    `SELECT run_id, flow, status, epoch_ms(started_at)::BIGINT AS started, epoch_ms(ended_at)::BIGINT AS ended, rows_in, ${rowsRead} AS rows_read, rows_written, rows_quarantined, duration_ms, version, error
     FROM (${events.sql}) AS e WHERE event_type = 'flow_progress' AND run_id IN (${ids}) ORDER BY started_at, flow`
  )
  const expectations = await expectationsOf(lakehouse, session, ids)
  // quality_results names the stored table; a flow named after its dataset stores it under the pipeline's target.
  const target = await readPipelineConfig(lakehouse, name).then((c) => c.target, () => null)
  const expectationsOfFlow = (runId: string, flow: string) => {
    const byDataset = expectations.get(runId)
    const stored = flow.includes('.') || target === null ? flow : `${target}.${flow}`
    return byDataset?.get(stored.toLowerCase()) ?? byDataset?.get(flow.toLowerCase()) ?? []
  }

  const flowsByRun = new Map<string, PipelineFlowRunRecord[]>()
  for (const row of flowRows) {
    const runId = String(row.run_id)
    const flow = String(row.flow)
    const record: PipelineFlowRunRecord = {
      flow,
      status: known(FLOW_STATUSES, row.status, 'pipeline_events', runId, 'status'),
      startedAt: num(row.started),
      endedAt: num(row.ended),
      rowsIn: num(row.rows_in),
      rowsRead: nullableNum(row.rows_read),
      rowsWritten: num(row.rows_written),
      rowsQuarantined: num(row.rows_quarantined),
      durationMs: num(row.duration_ms),
      version: nullableNum(row.version),
      error: row.error === null || row.error === undefined ? null : String(row.error),
      expectations: expectationsOfFlow(runId, flow)
    }
    flowsByRun.set(runId, [...(flowsByRun.get(runId) ?? []), record])
  }
  return updates.map((u) => {
    const runId = String(u.run_id)
    return {
      runId,
      pipeline: name,
      status: known(RUN_STATUSES, u.status, 'pipeline_events', runId, 'status'),
      startedAt: num(u.started),
      endedAt: num(u.ended),
      durationMs: num(u.duration_ms),
      rowsIn: num(u.rows_in),
      rowsWritten: num(u.rows_written),
      rowsQuarantined: num(u.rows_quarantined),
      error: u.error === null || u.error === undefined ? null : String(u.error),
      flows: flowsByRun.get(runId) ?? []
    }
  })
}

/** Expectation counts by run, then by the dataset column of quality_results (the stored table, lower-cased). */
async function expectationsOf(lakehouse: Lakehouse, session: DuckdbSession, ids: string): Promise<Map<string, Map<string, PipelineFlowRunRecord['expectations']>>> {
  const out = new Map<string, Map<string, PipelineFlowRunRecord['expectations']>>()
  const quality = await scanOf(lakehouse, session, 'quality_results')
  if (!quality) return out
  const rows = await session.query(`SELECT run_id, dataset, expectation, action, passed, failed FROM (${quality.sql}) AS q WHERE run_id IN (${ids}) ORDER BY dataset, expectation`)
  for (const row of rows) {
    const runId = String(row.run_id)
    const dataset = String(row.dataset)
    const byDataset = out.get(runId) ?? new Map<string, PipelineFlowRunRecord['expectations']>()
    out.set(runId, byDataset)
    const list = byDataset.get(dataset.toLowerCase()) ?? []
    byDataset.set(dataset.toLowerCase(), list)
    list.push({ dataset, expectation: String(row.expectation), action: known(ACTIONS, row.action, 'quality_results', runId, 'action'), passed: num(row.passed), failed: num(row.failed) })
  }
  return out
}

/** A scan of system.<table> at its latest version with its column names, or null when the table does not exist yet. */
async function scanOf(lakehouse: Lakehouse, port: DuckdbSession, table: string): Promise<{ sql: string; columns: Set<string> } | null> {
  const found = await lakehouse.resolveTable('system', table)
  if (!found || !(await DeltaTable.exists(found.path))) return null
  const snapshot = await (await DeltaTable.open(found.path, port)).snapshot()
  return { sql: await scanSql(snapshot, port), columns: new Set(snapshot.schema.fields.map((f) => f.name.toLowerCase())) }
}

function known<T extends string>(allowed: readonly T[], value: unknown, table: string, runId: string, column: string): T {
  const text = String(value)
  if ((allowed as readonly string[]).includes(text)) return text as T
  throw new PipelineRunError('CORRUPT_SYSTEM_TABLE', `system.${table}: run ${runId} has ${column} '${text}', expected one of ${allowed.join(', ')}`, { table: `system.${table}`, runId, column })
}

function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value)
}

function nullableNum(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}
