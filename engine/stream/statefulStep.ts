// The seam where event-time operators (windows, sessions, stream-stream joins) plug into a micro-batch.
import type { DuckdbSession } from '../sql/duckdbSession'
import type { StateOperatorProgress } from './progress'
import type { BatchEventTime } from './queryWatermark'

/** What the runner hands a stateful step for batch N, after offsets/N is written and the transform ran. */
export interface StatefulStepInput {
  port: DuckdbSession
  /** The batch's rows after `transform` (or src0 when there is none). */
  relation: string
  batchId: number
  /** The watermark for this batch, as recorded in offsets/N (null: none yet). */
  watermarkMs: number | null
  /** Where to save state after this batch: checkpoints/<query>/state/<N>; the runner writes commits/N only after the step returns. */
  stateDir: string
  /** On the first batch of a run that resumes a checkpoint: state/<C> of the last committed batch C, to load first; else null. */
  restoreFrom: string | null
  // Additive fields beyond the first version of the seam (the runner always sets them):
  /** The raw source relations of the batch (src0, src1...), for steps with several inputs (stream-stream joins). */
  sources?: string[]
  /** The query's event-time column (EventTimeSpec.column), when it declares one. */
  eventTimeColumn?: string
}

/** What the step produced; relation names must stay valid until the runner has written them. */
export interface StatefulStepOutput {
  /** Rows to write to the sink. */
  emitted: string
  /** Late rows (with _lateness_ms and _watermark), written to `<sink>_late` in the same batch. */
  late: string[]
  numLateRows: number
  stateOperators: StateOperatorProgress[]
  /** Additive: the event times of the step's inputs (per watermark partition). When absent the runner measures `relation`. */
  eventTime?: BatchEventTime
}

/**
 * A stateful stage of a streaming query. It must be deterministic for a re-run batch: given the same input, watermark
 * and restored state it returns the same rows, so the txn-idempotent sink stays exactly-once.
 * (An EventTimeOperator from engine/stream/eventTime adapts to this with process → save(stateDir) → output.)
 */
export type StatefulStep = ((input: StatefulStepInput) => Promise<StatefulStepOutput>) & {
  /**
   * Additive, optional: asked when no new data arrived but the watermark would move to `watermarkMs` (past the one the
   * last batch used); true = run a batch with empty input so append-mode results come out (Spark's noDataMicroBatches).
   * Absent: such a batch always runs, as Spark does for stateful queries whose watermark advanced.
   */
  needsBatchWithoutData?: (watermarkMs: number) => boolean
}
