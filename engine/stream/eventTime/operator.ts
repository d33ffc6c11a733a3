// The contract between the streaming query runner and the stateful event-time operators (windows, sessions, joins).
import type { DuckdbSession } from '../../sql/duckdbSession'

/**
 * One micro-batch handed to an operator.
 * - `relations`: the DuckDB relations (tables or views) holding this batch's new rows, one per operator input
 *   (windows and sessions take one; the interval join takes [left, right]).
 * - `watermarkMs`: the watermark FOR THIS BATCH, i.e. the value WatermarkTracker.current() returned before the batch ran
 *   and that offsets/N recorded (Spark: the watermark computed at the end of batch N-1). null = no watermark yet:
 *   nothing is late and nothing is evicted.
 * - `batchId`: the batch number; operators use it to make row ids that are the same when a batch is re-run.
 */
export interface OperatorBatch {
  relations: string[]
  watermarkMs: number | null
  batchId: number
}

/** What one batch produced. Relation names stay valid until the operator's next `process`, `load` or `close`. */
export interface OperatorOutput {
  /** Rows to write to the sink this batch (append mode: final windows; update mode: windows changed in this batch). */
  emitted: string
  /** Per input (same order as `relations`): rows whose event time is < the watermark (or NULL), with `_lateness_ms`
   *  (BIGINT, watermark - event time) and `_watermark` (TIMESTAMP) added. The runner writes them to `<sink>_late`. */
  late: string[]
  numEmittedRows: number
  numLateRows: number
  /** Spark's StateOperatorProgress: numRowsTotal / numRowsUpdated / numRowsRemoved (evicted by watermark this batch). */
  stateRows: number
  stateRowsUpdated: number
  stateRowsRemoved: number
}

/**
 * A stateful event-time operator. Its state lives in DuckDB tables of the session it was built with and survives
 * restarts through `save`/`load`.
 *
 * How the query runner drives it, per batch N (after offsets/N is written):
 *   1. `wm = offsets[N].watermarkMs` (first run: tracker.current()).
 *   2. `out = await op.process({ relations: [...], watermarkMs: wm, batchId: N })`.
 *   3. Write `out.emitted` to the sink and each `out.late[i]` to `<sink>_late` in the batch's Delta commit (txn appId/version N).
 *   4. `await op.save(<checkpoint>/state/<N>/<operatorId>)` before writing commits/N, then tracker.observe(batch maxima, now).
 * On restart with last committed batch C: `await op.load(<checkpoint>/state/<C>/<operatorId>)` (skip when C is none), then
 * re-run N = C+1 with the recorded watermark; the output is identical to the first attempt. Spark also runs a batch with no new
 * data when the watermark moved (`spark.sql.streaming.noDataMicroBatches.enabled`), so append-mode windows are emitted without
 * waiting for more input: call `process` with empty relations for that.
 */
export interface EventTimeOperator {
  /** Stable id, unique within the query; also the name of its folder under state/<N>/. */
  readonly id: string
  /** How many relations `process` expects. */
  readonly inputCount: number
  /** The session whose tables hold the state and the output relations. */
  readonly port: DuckdbSession
  /** Processes one batch. @throws EventTimeError (EVENT_TIME_COLUMN) when an input lacks the event-time column. */
  process(batch: OperatorBatch): Promise<OperatorOutput>
  /** Writes the state (parquet files plus operator.json, each written to a temp name and renamed) into `dir`, created if needed. */
  save(dir: string): Promise<void>
  /** Replaces the in-memory state with the one saved in `dir`.
   *  @throws EventTimeError STATE_CORRUPT (a file missing/unreadable, named) or STATE_INCOMPATIBLE (saved by another kind/config). */
  load(dir: string): Promise<void>
  /** Drops the operator's tables. */
  close(): Promise<void>
}

/** A DuckDB-safe table name prefix for an operator id (ids may contain ':' or '/', e.g. 'topic:workouts/window'). */
export function operatorTablePrefix(id: string): string {
  return `et_${id.replace(/[^A-Za-z0-9_]/g, '_')}`
}
