// A streaming query: checkpoint lock and recovery, the trigger loop, graceful stop, cancel, and progress listeners.
import { randomUUID } from 'node:crypto'
import { DuckdbSession } from '../sql/duckdbSession'
import { CheckpointLock } from './checkpoint/checkpointLock'
import { StreamCheckpoint, type OffsetEntry, type RecoveryPoint } from './checkpoint/streamCheckpoint'
import { systemClock, type StreamClock } from './clock'
import { DeltaSink } from './deltaSink'
import type { EventTimeSpec } from './eventTime/watermarkTracker'
import { planBatch, runBatch, type BatchContext, type BatchPhase, type PlannedBatch } from './microBatch'
import type { BatchProgress } from './progress'
import { QueryWatermark } from './queryWatermark'
import type { StreamSource } from './sources/streamSource'
import type { StatefulStep } from './statefulStep'
import { StreamError } from './streamError'
import { nextTriggerTime, type Trigger } from './trigger'

export interface StreamingQueryOptions {
  name: string
  lakehouseRoot: string
  sources: StreamSource[]
  /** DuckDB SQL over the source relations (named by their index: `src0`, `src1`...), producing the rows to write. */
  transform?: (relations: string[]) => string
  sink: { table: string; mode: 'append' }
  trigger: Trigger
  clock?: StreamClock
  eventTime?: EventTimeSpec
  // Additive options beyond the decided contract:
  /** Stateful event-time stage (windows, joins): eventTimeStep(...) adapts an EventTimeOperator; see StatefulStep. */
  statefulStep?: StatefulStep
  /** DuckDB session to run on; default: a session of its own, closed when the query ends. */
  session?: DuckdbSession
  /** Start afresh although the sink holds an earlier stream of this name (its checkpoint was deleted). Rows are then written again. */
  reset?: boolean
  /** Batches of offsets/commits/state kept (default 100). */
  retainBatches?: number
  /** Append a row per batch to system.stream_progress (default true). */
  recordProgress?: boolean
  /** Called at each durable point of a batch (crash tests). */
  onPhase?: (phase: BatchPhase, batchId: number) => void
}

export type QueryStatus = 'created' | 'running' | 'completed' | 'stopped' | 'cancelled' | 'failed'

/**
 * Runs micro-batches into a Delta sink with exactly-once results across stops, cancels and crashes.
 * Lifecycle: start() → batches per the trigger → completed (availableNow/once drained), stopped (stop()), cancelled
 * (cancel()) or failed (the error is awaitTermination's rejection).
 */
export class StreamingQuery {
  readonly runId = randomUUID()
  readonly name: string
  readonly recentProgress: BatchProgress[] = []
  private state: QueryStatus = 'created'
  private failure: unknown = null
  private metadataId: string | null = null
  private readonly clock: StreamClock
  private readonly checkpoint: StreamCheckpoint
  private readonly stopSignal = new AbortController()
  private readonly cancelSignal = new AbortController()
  private listeners = new Set<(p: BatchProgress) => void>()
  private idleWaiters: (() => void)[] = []
  private waiting = false
  private port: DuckdbSession | null = null
  private loop: Promise<void> | null = null

  constructor(private readonly options: StreamingQueryOptions) {
    this.name = options.name
    this.clock = options.clock ?? systemClock
    this.checkpoint = new StreamCheckpoint(options.lakehouseRoot, options.name)
  }

  /** The query id from the checkpoint metadata (the sink's txn appId); null before start. */
  get id(): string | null {
    return this.metadataId
  }

  get status(): QueryStatus {
    return this.state
  }

  get checkpointDir(): string {
    return this.checkpoint.dir
  }

  /** Registers a progress listener; returns the function that removes it. */
  onProgress(listener: (p: BatchProgress) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Locks the checkpoint, checks it against this query and starts the trigger loop (resolving once it runs).
   * @throws StreamError INVALID_ARGUMENT, CHECKPOINT_LOCKED, MISSING_METADATA_FILE, QUERY_CHANGED, CHECKPOINT_CORRUPT (also
   *   for a missing or unreadable state/<C>/watermark.json of a query with eventTime),
   *   CHECKPOINT_RESET_REQUIRED (no checkpoint, but the sink has commits of a stream with this name and reset is not set).
   */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new StreamError('INVALID_ARGUMENT', `query ${this.name} was already started (status ${this.state})`)
    this.validate()
    const ownSession = !this.options.session
    const port = this.options.session ?? (await DuckdbSession.create())
    let lock: CheckpointLock | null = null
    try {
      lock = await CheckpointLock.acquire(this.checkpoint.dir, this.runId, this.clock.now())
      const sink = new DeltaSink(this.options.lakehouseRoot, this.options.sink.table, port, this.clock)
      if (!this.options.reset && (await this.checkpoint.isEmpty()) && (await sink.hasCommitsOf(this.name))) {
        throw new StreamError('CHECKPOINT_RESET_REQUIRED', `query ${this.name} has no checkpoint (${this.checkpoint.dir}) but ${this.options.sink.table} already holds batches of a stream named ${this.name}: starting afresh would write them again. Restore the checkpoint, or start with reset: true to reprocess everything`, { checkpoint: this.checkpoint.dir, sink: this.options.sink.table })
      }
      const configurations = Object.fromEntries(this.options.sources.flatMap((s) => (s.configuration ? [[s.id, s.configuration()]] : [])))
      const recovery = await this.checkpoint.recover({
        name: this.name, sources: this.options.sources.map((s) => s.id), sink: this.options.sink.table, now: this.clock.now(),
        sourceConfigurations: configurations, eventTimeColumn: this.options.eventTime?.column ?? null
      })
      const lastState = recovery.lastCommitted ? this.checkpoint.stateDir(recovery.lastCommitted.batchId) : null
      const watermark = this.options.eventTime ? await QueryWatermark.restore(this.options.eventTime, lastState) : null
      this.metadataId = recovery.metadata.id
      this.port = port
      this.state = 'running'
      const ctx = this.context(port, sink, recovery, watermark)
      this.loop = this.run(ctx, recovery).finally(async () => {
        await lock!.release()
        if (ownSession) port.close()
        this.waiting = false
        this.wakeIdle()
      })
    } catch (e) {
      await lock?.release()
      if (ownSession) port.close()
      this.state = 'failed'
      this.failure = e
      throw e
    }
  }

  /** Stops after the running batch (if any) has committed; resolves when the query has terminated. */
  async stop(): Promise<void> {
    this.stopSignal.abort()
    await this.loop?.catch(() => undefined)
  }

  /**
   * Interrupts the running batch between stages (and DuckDB's running statement when the session is the query's own);
   * the batch re-runs on the next start. Resolves when the query has terminated.
   */
  async cancel(): Promise<void> {
    this.cancelSignal.abort()
    if (this.port && !this.options.session) this.port.interrupt()
    await this.loop?.catch(() => undefined)
  }

  /** Resolves with the final status once the query terminates; rejects with the error of a failed query. */
  async awaitTermination(): Promise<QueryStatus> {
    await this.loop
    if (this.state === 'failed') throw this.failure
    return this.state
  }

  /** Resolves when the trigger loop waits for its next processingTime trigger, or has terminated. */
  idle(): Promise<void> {
    if (this.waiting || this.state !== 'running') return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  private validate(): void {
    const o = this.options
    if (o.sources.length === 0) throw new StreamError('INVALID_ARGUMENT', `query ${o.name} needs at least one source`)
    const ids = o.sources.map((s) => s.id)
    if (new Set(ids).size !== ids.length) throw new StreamError('INVALID_ARGUMENT', `query ${o.name} has two sources with the same id: ${ids.join(', ')}`)
    if (o.trigger.kind === 'processingTime' && !(o.trigger.intervalMs > 0)) throw new StreamError('INVALID_ARGUMENT', `query ${o.name}: processingTime interval must be > 0 ms`)
    if (o.sink.mode !== 'append') throw new StreamError('INVALID_ARGUMENT', `query ${o.name}: sink mode ${String(o.sink.mode)} is not supported (append only)`)
  }

  private context(port: DuckdbSession, sink: DeltaSink, recovery: RecoveryPoint, watermark: QueryWatermark | null): BatchContext {
    const o = this.options
    return {
      name: o.name, runId: this.runId, metadata: recovery.metadata, lakehouseRoot: o.lakehouseRoot, sources: o.sources,
      transform: o.transform, eventTime: o.eventTime, statefulStep: o.statefulStep, watermark, port, checkpoint: this.checkpoint, sink,
      lateSink: new DeltaSink(o.lakehouseRoot, `${o.sink.table}_late`, port, this.clock), clock: this.clock,
      recordProgress: o.recordProgress ?? true, retainBatches: o.retainBatches ?? 100,
      relationPrefix: `__stream_${this.runId.replace(/-/g, '').slice(0, 12)}`,
      onPhase: o.onPhase ?? (() => undefined),
      assertNotCancelled: () => {
        if (this.cancelSignal.signal.aborted) throw new StreamError('QUERY_CANCELLED', `query ${o.name} was cancelled`)
      }
    }
  }

  private async run(ctx: BatchContext, recovery: RecoveryPoint): Promise<void> {
    const trigger = this.options.trigger
    const watermark = ctx.watermark
    let last: OffsetEntry | null = recovery.lastCommitted
    let restoreFrom = last ? this.checkpoint.stateDir(last.batchId) : null
    let previousTrigger: number | null = null
    let ranBatch = false
    const execute = async (batch: PlannedBatch): Promise<void> => {
      // The tracker moves to the batch's trigger time first (idle partitions), as it did when offsets/N was planned.
      watermark?.beginBatch(batch.end.triggerTime)
      const { progress } = await runBatch(ctx, batch, previousTrigger, restoreFrom)
      restoreFrom = null
      previousTrigger = batch.end.triggerTime
      last = batch.end
      ranBatch = true
      this.recentProgress.push(progress)
      if (this.recentProgress.length > 100) this.recentProgress.shift()
      for (const listener of this.listeners) listener(progress)
    }
    try {
      for (const pending of recovery.pending) await execute({ start: pending.start, end: pending.end, isNew: false, latestOffsetMs: 0 })
      if (trigger.kind === 'availableNow') for (const s of this.options.sources) await s.prepareForAvailableNow?.()
      let nextBatchId = recovery.nextBatchId
      while (!this.stopSignal.signal.aborted) {
        ctx.assertNotCancelled()
        if (trigger.kind === 'once' && ranBatch) break
        const triggerTime = this.clock.now()
        const watermarkMs = watermark ? watermark.peek(triggerTime) : null
        const planned = await planBatch(ctx, last, nextBatchId, triggerTime, watermarkMs, this.needsBatchWithoutData(last, watermarkMs))
        if (planned) {
          await execute(planned)
          nextBatchId++
        }
        // availableNow ends once drained; the drain's last step may be a no-data batch that emits what the watermark closed.
        if (trigger.kind === 'once' || (trigger.kind === 'availableNow' && !planned)) break
        if (trigger.kind === 'processingTime' && !(await this.sleepUntil(nextTriggerTime(triggerTime, trigger.intervalMs)))) break
      }
      this.state = this.stopSignal.signal.aborted ? 'stopped' : 'completed'
    } catch (e) {
      if (this.cancelSignal.signal.aborted) this.state = 'cancelled'
      else {
        this.state = 'failed'
        this.failure = e
      }
    }
  }

  /**
   * Spark's no-data micro-batch (spark.sql.streaming.noDataMicroBatches.enabled, on by default): with a stateful step, run a
   * batch without new input when the watermark for it is past the one the last batch used and the step may emit (append
   * mode windows close only when the watermark passes their end, which may happen with no new data at all).
   */
  private needsBatchWithoutData(last: OffsetEntry | null, watermarkMs: number | null): boolean {
    const step = this.options.statefulStep
    if (!step || last === null || watermarkMs === null) return false
    if (last.watermarkMs !== null && watermarkMs <= last.watermarkMs) return false
    return step.needsBatchWithoutData?.(watermarkMs) ?? true
  }

  /** Sleeps on the clock until `time`; false when stop or cancel cut the sleep short. */
  private async sleepUntil(time: number): Promise<boolean> {
    const signal = AbortSignal.any([this.stopSignal.signal, this.cancelSignal.signal])
    this.waiting = true
    this.wakeIdle()
    try {
      await this.clock.sleep(Math.max(0, time - this.clock.now()), signal)
      return true
    } catch (e) {
      if (signal.aborted) return false
      throw e
    } finally {
      this.waiting = false
    }
  }
}

/** Creates and starts a query (see StreamingQuery.start for the errors). */
export async function startStreamingQuery(options: StreamingQueryOptions): Promise<StreamingQuery> {
  const query = new StreamingQuery(options)
  await query.start()
  return query
}

