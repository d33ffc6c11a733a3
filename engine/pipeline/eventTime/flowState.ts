// What every stateful streaming flow (windows, sessions, stream-stream joins) shares: its contract with the batch runner,
// the state/<N>/watermark.json file, `<table>_late` writes, no-data batches and the per-batch statistics of FlowResult.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sqlIdent } from '../../delta/parquetPort'
import { EventTimeError } from '../../stream/eventTime'
import type { BatchOffset, CheckpointState } from '../run/checkpoints'
import type { InputRelations } from '../run/flowQuery'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { PipelineRunError, type FlowResult } from '../run/runTypes'
import { createFor, openIfExists, tableRootOf } from '../run/tableWriter'

/** What one batch of a stateful flow saw and left, for FlowResult.eventTime / FlowResult.state. */
export interface StatefulBatchStats {
  /** The watermark the batch ran with (ms), null before the first watermark. */
  watermarkMs: number | null
  /** Event-time range of the rows the batch read (ms), null without rows. */
  minEventMs: number | null
  maxEventMs: number | null
  stateRows: number
  stateRowsUpdated: number
  stateRowsRemoved: number
}

/**
 * A streaming flow whose rows go through an event-time operator, driven by the batch runner (flowExecution):
 * begin(N) -> process -> writeLate -> (target write by the runner) -> saveState(N) -> commits/N, then noDataBatch()
 * for batches the moving watermark makes due.
 */
export interface StatefulFlow {
  /** Restores the state batch `offset` starts from. @throws PipelineRunError EVENT_TIME_STATE. */
  begin(offset: BatchOffset): Promise<void>
  /** Runs the batch; returns a temp table of the rows to append. @throws PipelineRunError QUERY_FAILED, WATERMARK_COLUMN. */
  process(relations: InputRelations, offset: BatchOffset): Promise<string>
  /** Appends the batch's late rows to `<table>_late` (txn appId/batch); returns how many. */
  writeLate(offset: BatchOffset, appId: string): Promise<number>
  /** Writes state/<N>/ before the runner writes commits/N. */
  saveState(batchId: number): Promise<void>
  /** A batch without new input that the watermark made due, or null. */
  noDataBatch(): Promise<BatchOffset | null>
  /** What the last processed batch saw and left; null before one ran. */
  lastBatch(): StatefulBatchStats | null
  close(): Promise<void>
}

/** `<table>_late`: rows that arrived behind the watermark, with `_lateness_ms` and `_watermark`. */
export function lateTableNameOf(stored: string): string {
  return `${stored}_late`
}

/**
 * SELECT items appended to late rows: `_batch_id` (the flow's batch that read them) and `_processed_at` (the run's
 * clock when that batch was planned, so a re-run writes the same value). An input `_batch_id` (an upstream bronze
 * batch) is kept as `_source_batch_id`; exclude `_batch_id` and `_processed_at` from the input columns selected.
 */
export function lateBookkeepingSql(offset: BatchOffset, inputColumns: readonly string[]): string {
  const source = inputColumns.includes('_batch_id') ? `${sqlIdent('_batch_id')} AS _source_batch_id, ` : ''
  return `${source}${Math.trunc(offset.batchId)}::BIGINT AS _batch_id, make_timestamptz(${Math.trunc(offset.loadTime)}::BIGINT * 1000) AS _processed_at`
}

/**
 * Appends `late` to `<table>_late` (replacing its rows on the first batch of a full refresh) with the batch's txn, so
 * a re-run never writes them twice. Returns how many rows were late in this batch.
 */
export async function writeLateRows(ctx: RunContext, planned: PlannedDataset, late: { relation: string; rows: number } | null, offset: BatchOffset, appId: string): Promise<number> {
  const stored = lateTableNameOf(planned.stored!)
  const root = await tableRootOf(ctx.lakehouse, stored)
  const overwrite = offset.overwrite ?? offset.fullRefresh
  const existing = await openIfExists(ctx.session, root, ctx.clock)
  if (!late) {
    // A full refresh without late rows still forgets the old ones (idempotent: a re-run finds the table empty already).
    if (overwrite && existing && (await existing.snapshot()).files.length > 0) await existing.delete()
    return 0
  }
  const table = existing ?? (await createFor(ctx.session, root, late.relation, { stored }, ctx.clock))
  await table.write({ sourceSql: `SELECT * FROM ${sqlIdent(late.relation)}`, mode: overwrite ? 'overwrite' : 'append', txn: { appId, version: offset.batchId }, operation: 'STREAMING UPDATE' })
  return late.rows
}

/** Writes `value` as JSON to `file` through a temp file + fsync + rename. */
export async function writeStateJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}-${randomUUID()}.tmp`)
  const handle = await fs.open(tmp, 'w')
  try {
    await handle.writeFile(JSON.stringify(value, null, 1) + '\n')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(tmp, file)
}

/** Reads a state JSON file. @throws EventTimeError STATE_CORRUPT naming the file and the batch whose state it is. */
export async function readStateJson<T>(file: string, batchId: number): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch (e) {
    throw new EventTimeError('STATE_CORRUPT', `cannot read ${file} (the event-time state of batch ${batchId}): ${(e as Error).message}`)
  }
}

/** Spark's no-data micro-batch: the last committed batch's source positions again, with no files and no new versions. */
export function noDataOffset(state: CheckpointState, last: BatchOffset, ctx: RunContext): BatchOffset {
  const sources = Object.fromEntries(Object.entries(last.sources).map(([k, r]) => [k, { ...r, fromVersion: r.toVersion }]))
  return { batchId: state.nextBatchId, loadTime: ctx.startedAt, fullRefresh: false, files: [], sources, sourceSchemas: { ...last.sourceSchemas } }
}

/** True when the batch reads nothing new (a no-data batch). */
export function isNoDataOffset(offset: BatchOffset): boolean {
  return offset.files.length === 0 && Object.values(offset.sources).every((r) => r.fromVersion === r.toVersion)
}

/** A zero-row temp table with `columns` (name, DuckDB type), standing in for an input in a no-data batch. */
export async function emptyRelation(ctx: RunContext, name: string, columns: readonly { name: string; type: string }[]): Promise<string> {
  await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} LIMIT 0`)
  return name
}

/** min/max of an epoch-ms expression over a relation (nulls when it has no rows). */
export async function eventTimeRange(ctx: RunContext, relation: string, msExpr: string): Promise<{ min: number | null; max: number | null }> {
  const [row] = await ctx.session.query(`SELECT min(${msExpr}) AS lo, max(${msExpr}) AS hi FROM ${sqlIdent(relation)}`)
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
  return { min: num(row?.lo), max: num(row?.hi) }
}

/**
 * Folds one batch's statistics into the flow's result (a run may run several batches of a flow: its data batch and
 * the no-data batches after it): the latest watermark and state size, the widest event-time range, summed updates/removals.
 */
export function recordBatchStats(result: FlowResult, stats: StatefulBatchStats): void {
  const lo = (a: number | null | undefined, b: number | null): number | null => (a == null ? b : b === null ? a : Math.min(a, b))
  const hi = (a: number | null | undefined, b: number | null): number | null => (a == null ? b : b === null ? a : Math.max(a, b))
  result.eventTime = { watermark: stats.watermarkMs, min: lo(result.eventTime?.min, stats.minEventMs), max: hi(result.eventTime?.max, stats.maxEventMs) }
  result.state = {
    rowsTotal: stats.stateRows,
    rowsUpdated: (result.state?.rowsUpdated ?? 0) + stats.stateRowsUpdated,
    rowsRemoved: (result.state?.rowsRemoved ?? 0) + stats.stateRowsRemoved
  }
}

/**
 * An operator error as the PipelineRunError a user sees, prefixed by `where` (the flow and its clause): a missing event-time
 * column is WATERMARK_COLUMN, unreadable or mismatched state EVENT_TIME_STATE (with the full-refresh hint), the rest UNSUPPORTED.
 */
export function eventTimeFailure(e: unknown, where: string, flow: string, stored: string): Error {
  if (!(e instanceof EventTimeError)) return e as Error
  const code = e.code === 'EVENT_TIME_COLUMN' ? 'WATERMARK_COLUMN' : e.code === 'STATE_CORRUPT' || e.code === 'STATE_INCOMPATIBLE' ? 'EVENT_TIME_STATE' : 'UNSUPPORTED'
  const hint = code === 'EVENT_TIME_STATE' ? ` Recompute the table with \`lakebench run --full-refresh ${stored}\`.` : ''
  return new PipelineRunError(code, `${where}: ${e.message}.${hint}`, { flow })
}
