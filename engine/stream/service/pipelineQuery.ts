// One pipeline streaming in the background: runContinuousPipeline under the pipeline's lock, its state for the API, graceful stop.
import { randomUUID } from 'node:crypto'
import type { StreamBatchInfo, StreamQueryInfo, StreamTrigger } from '../../api/streamApi'
import { EngineError } from '../../api/errors'
import type { Lakehouse } from '../../lakehouse/folder'
import type { LoadedPipeline } from '../../pipeline/runner'
import type { CheckpointLock } from '../checkpoint/checkpointLock'
import type { StreamClock } from '../clock'
import { acquirePipelineLock, runContinuousPipeline, type ContinuousBatch } from '../continuousPipeline'

export interface PipelineQueryOptions {
  lakehouse: Lakehouse
  pipeline: LoadedPipeline
  trigger: StreamTrigger
  clock: StreamClock
  /** After each batch, once its progress row is committed. */
  onBatch(batch: StreamBatchInfo, committedTables: boolean): void
  /** When the status changed (running → stopping → stopped | failed). */
  onStatus(): void
}

export class PipelineQuery {
  private readonly controller = new AbortController()
  private readonly state: StreamQueryInfo
  /** Settles when the run has ended and the lock is released; never rejects (a failure is the `failed` status). */
  readonly done: Promise<void>

  private constructor(private readonly options: PipelineQueryOptions, runId: string, lock: CheckpointLock) {
    this.state = { runId, pipeline: options.pipeline.config.name, trigger: options.trigger, status: 'running', batches: 0, startedAt: options.clock.now() }
    this.done = runContinuousPipeline({
      lakehouse: options.lakehouse, pipeline: options.pipeline, trigger: options.trigger, clock: options.clock, signal: this.controller.signal, runId,
      lock, onBatch: (b) => this.batchDone(b)
    }).then(
      () => this.finish('stopped'),
      (e: unknown) => this.finish('failed', e instanceof Error ? e.message : String(e))
    ).finally(() => lock.release().catch(() => undefined))
  }

  /**
   * Takes the pipeline's lock (so the error comes back to the caller, not in an event) and starts streaming.
   * @throws StreamError CHECKPOINT_LOCKED when another process (or engine) streams the pipeline.
   */
  static async start(options: PipelineQueryOptions): Promise<PipelineQuery> {
    const runId = randomUUID()
    const lock = await acquirePipelineLock(options.lakehouse.root, options.pipeline.config.name, runId, options.clock.now())
    return new PipelineQuery(options, runId, lock)
  }

  get info(): StreamQueryInfo {
    return { ...this.state, trigger: { ...this.state.trigger } }
  }

  get running(): boolean {
    return this.state.status === 'running' || this.state.status === 'stopping'
  }

  /** Stops gracefully: the running batch finishes, no new one starts. Resolves once stopped. */
  async stop(): Promise<StreamQueryInfo> {
    if (this.state.status === 'running') {
      this.state.status = 'stopping'
      this.options.onStatus()
      this.controller.abort()
    }
    await this.done
    return this.info
  }

  private batchDone(batch: ContinuousBatch): void {
    this.state.batches++
    const run = batch.run
    if (run.status === 'completed') delete this.state.error
    else this.state.error = run.error ?? `batch ${batch.progress.batchId} ended ${run.status}`
    const committed = run.flows.some((f) => f.version !== null)
    this.options.onBatch(batch.progress as StreamBatchInfo, committed)
  }

  private finish(status: 'stopped' | 'failed', error?: string): void {
    this.state.status = status
    if (error !== undefined) this.state.error = error
    this.options.onStatus()
  }
}

/** The error for a second start while a query runs in this engine. */
export function streamRunningError(running: StreamQueryInfo): EngineError {
  return new EngineError('STREAM_RUNNING', `Pipeline ${running.pipeline} is streaming (run ${running.runId}); stop it before starting another query`, { pipeline: running.pipeline, runId: running.runId })
}
