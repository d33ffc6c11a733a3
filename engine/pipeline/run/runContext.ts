// What every flow of one run shares: the lakehouse, the DuckDB session and SQL engine, the plan, the clock and the run's choices.
import type { Lakehouse } from '../../lakehouse/folder'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { SqlEngine } from '../../sql/queryRunner'
import type { PipelineConfig } from '../pipelineConfig'
import type { RunPlan } from './plan'
import { PipelineRunError, type RunClock } from './runTypes'

export interface RunContext {
  lakehouse: Lakehouse
  session: DuckdbSession
  sql: SqlEngine
  config: PipelineConfig
  plan: RunPlan
  clock: RunClock
  runId: string
  /** ms since the epoch when the run started: the _load_time of new batches. */
  startedAt: number
  /** Canonical names of the datasets this run recomputes from scratch. */
  fullRefresh: Set<string>
  signal?: AbortSignal
  /** Called once a flow has new input for `target` and before it commits (watermark control marks it RUNNING). */
  onBatchStart?: (target: string) => Promise<void>
  /** Called as a flow passes each durable step (crash-injection tests stop the process here). */
  onStage?: (stage: RunStage, flow: string) => void
}

/** Durable steps of a flow, in order: inputs recorded, quarantine committed, target committed, batch marked done. */
export type RunStage = 'offset_written' | 'quarantine_committed' | 'target_committed' | 'batch_committed'

/** @throws PipelineRunError CANCELLED once the run's signal fired. */
export function throwIfCancelled(ctx: RunContext, where: string): void {
  if (ctx.signal?.aborted) throw new PipelineRunError('CANCELLED', `The pipeline run was cancelled ${where}`)
}
