// The stream domain behind the Engine API: the current lakehouse's live producer, one streaming pipeline query, and readers.
//
//   bind(lakehouse) ─► live producer (opened on first use, through the host's factory) ─┐ independent: stopping one
//                   └► stream.start ─► PipelineQuery (runContinuousPipeline, lock) ─────┘ never stops the other
//   events: stream.progress after each batch; stream.status on every state change, ≤ 1/s while files are written
import type { EngineEvent } from '../api/events'
import { EngineError } from '../api/errors'
import type { ProducerInfo, ProducerSettings, StreamApi, StreamQueryInfo, StreamStatus } from '../api/streamApi'
import type { Lakehouse } from '../lakehouse/folder'
import { listPipelines } from '../pipeline/pipelineConfig'
import { loadPipeline } from '../pipeline/runner'
import type { DuckdbSession } from '../sql/duckdbSession'
import { systemClock, type StreamClock } from './clock'
import type { LiveProducer } from './producer/liveProducer'
import { listPipelineCheckpoints } from './service/checkpointListing'
import { readLateRows } from './service/lateRows'
import { PipelineQuery, streamRunningError } from './service/pipelineQuery'
import { readStreamProgress } from './service/progressRows'
import { streamEngineError } from './service/streamEngineError'

/**
 * Opens the live producer of the lakehouse's sample (resuming its saved state), or null when the lakehouse is not a
 * sample lakehouse. Hosts supply it: samples/ sits above the engine. `settings` are the knobs of a producer that never ran.
 */
export type LiveProducerFactory = (lakehouseRoot: string, options: { clock?: StreamClock; settings?: Partial<ProducerSettings> }) => Promise<LiveProducer | null>

export interface StreamServiceOptions {
  emit(event: EngineEvent): void
  liveProducer?: LiveProducerFactory
  /** Producer pacing, trigger times and progress timestamps (default systemClock). */
  clock?: StreamClock
}

/** What the service holds for one lakehouse. */
interface Binding {
  lakehouse: Lakehouse
  session: DuckdbSession
  producer: Promise<LiveProducer | null> | null
  unsubscribe: (() => void) | null
  query: PipelineQuery | null
  /** Set while a start is between its checks and its query existing, so two starts cannot both pass. */
  starting: boolean
}

/** Minimum spacing of the `stream.status` events that file writes cause (state changes are always told). */
const PRODUCED_EVENT_SPACING_MS = 1000

export class StreamService {
  private binding: Binding | null = null
  private readonly clock: StreamClock
  private lastProducedEvent = -Infinity
  private statusChain: Promise<void> = Promise.resolve()

  constructor(private readonly options: StreamServiceOptions) {
    this.clock = options.clock ?? systemClock
  }

  /** Binds to `lakehouse` (read through `session`), first stopping the query and producer of the previous one. */
  async bind(lakehouse: Lakehouse, session: DuckdbSession): Promise<void> {
    await this.unbind()
    this.binding = { lakehouse, session, producer: null, unsubscribe: null, query: null, starting: false }
  }

  /** Stops the query (after its running batch) and the producer, and forgets the lakehouse. */
  async unbind(): Promise<void> {
    const b = this.binding
    this.binding = null
    if (!b) return
    await b.query?.stop()
    const producer = await b.producer?.catch(() => null)
    b.unsubscribe?.()
    await producer?.close()
  }

  close(): Promise<void> {
    return this.unbind()
  }

  /** The StreamApi over whatever lakehouse is bound at call time. Errors are EngineErrors (see StreamApi). */
  api(): StreamApi {
    const convert = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work()
      } catch (e) {
        throw streamEngineError(e)
      }
    }
    return {
      status: () => convert(() => this.status()),
      configureProducer: (arg) => convert(async () => (await this.requireProducer()).configure(arg)),
      controlProducer: (arg) => convert(() => this.control(arg.action)),
      start: (arg) => convert(() => this.start(arg.pipeline, arg.trigger)),
      stop: (arg) => convert(() => this.stop(arg.runId)),
      progress: (arg) => convert(() => readStreamProgress(this.bound().lakehouse.root, this.bound().session, arg.pipeline, arg.limit ?? 200)),
      lateRows: (arg) => convert(async () => {
        const b = this.bound()
        return readLateRows(b.lakehouse, b.session, await loadPipeline(b.lakehouse, arg.pipeline), arg.limit ?? 200)
      }),
      checkpoint: (arg) => convert(async () => {
        const b = this.bound()
        return listPipelineCheckpoints(b.lakehouse.root, await loadPipeline(b.lakehouse, arg.pipeline), arg.limit ?? 50)
      })
    }
  }

  async status(): Promise<StreamStatus> {
    const b = this.bound()
    const producer = await this.producerOf(b).catch(() => null)
    return { producer: producer?.info() ?? null, query: b.query?.info ?? null, pipelines: await listPipelines(b.lakehouse) }
  }

  private bound(): Binding {
    if (!this.binding) throw new EngineError('NO_LAKEHOUSE', 'No lakehouse is open')
    return this.binding
  }

  /** The bound lakehouse's producer, opened on first use; its changes become status events. */
  private producerOf(b: Binding): Promise<LiveProducer | null> {
    if (!b.producer) {
      const factory = this.options.liveProducer
      b.producer = factory ? factory(b.lakehouse.root, { clock: this.clock }) : Promise.resolve(null)
      b.producer.then((producer) => {
        if (!producer || this.binding !== b) return
        b.unsubscribe = producer.onChange((change) => {
          if (change === 'produced') {
            const now = this.clock.now()
            if (now - this.lastProducedEvent < PRODUCED_EVENT_SPACING_MS) return
            this.lastProducedEvent = now
          }
          this.emitStatus()
        })
      }, () => undefined)
    }
    return b.producer
  }

  /** @throws EngineError NO_PRODUCER when the lakehouse has no live producer; the factory's error when it failed to open. */
  private async requireProducer(): Promise<LiveProducer> {
    const b = this.bound()
    const producer = await this.producerOf(b)
    if (!producer) throw new EngineError('NO_PRODUCER', `${b.lakehouse.root} has no live producer: it is not a sample lakehouse`, { lakehouse: b.lakehouse.root })
    return producer
  }

  private async control(action: 'start' | 'pause' | 'resume' | 'step'): Promise<ProducerInfo> {
    const producer = await this.requireProducer()
    if (action === 'step') {
      const info = await producer.step()
      // A single file written on request is worth telling at once (the throttle is for the running loop).
      this.emitStatus()
      return info
    }
    // The producer tells its listeners (and so the status event) itself.
    return action === 'start' ? producer.start() : action === 'pause' ? producer.pause() : producer.resume()
  }

  private async start(name: string, trigger: StreamQueryInfo['trigger']): Promise<StreamQueryInfo> {
    const b = this.bound()
    if (b.query?.running) throw streamRunningError(b.query.info)
    if (b.starting) throw new EngineError('STREAM_RUNNING', 'Another stream.start is in progress', { pipeline: name })
    b.starting = true
    try {
      const pipeline = await loadPipeline(b.lakehouse, name)
      const errors = pipeline.diagnostics.filter((d) => d.severity === 'error')
      if (errors.length > 0) {
        const first = errors[0]!
        throw new EngineError('PIPELINE_INVALID', `Pipeline ${name} is not valid (${errors.length} error(s)); first: ${first.message}`, {
          pipeline: name, file: first.location.file, line: first.location.line, column: first.location.column
        })
      }
      const query = await PipelineQuery.start({
        lakehouse: b.lakehouse, pipeline, trigger, clock: this.clock,
        onBatch: (batch, committed) => {
          this.options.emit({ type: 'stream.progress', pipeline: name, runId: batch.runId, batch })
          if (committed) this.options.emit({ type: 'tables.changed', statements: [] })
          this.emitStatus()
        },
        onStatus: () => this.emitStatus()
      })
      if (this.binding !== b) {
        // The lakehouse changed while the lock was taken: this query belongs to nobody.
        await query.stop()
        throw new EngineError('LAKEHOUSE_CHANGED', `The lakehouse changed while pipeline ${name} was starting`, { pipeline: name })
      }
      b.query = query
      this.emitStatus()
      return query.info
    } finally {
      b.starting = false
    }
  }

  private async stop(runId: string): Promise<StreamQueryInfo> {
    const query = this.bound().query
    if (!query || query.info.runId !== runId) throw new EngineError('STREAM_NOT_FOUND', `No streaming query with run id ${runId}`, { runId })
    return query.stop()
  }

  /** Sends a status event; snapshots are taken in order so a later event never shows an older state. */
  private emitStatus(): void {
    this.statusChain = this.statusChain.then(async () => {
      if (!this.binding) return
      try {
        this.options.emit({ type: 'stream.status', status: await this.status() })
      } catch {
        // A status that cannot be read (the lakehouse folder vanished) is simply not told; the next call reports the error.
      }
    })
  }
}
