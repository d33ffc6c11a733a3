// A live producer: an endless noisy record stream written file by file, whose settings change while it runs and survive restarts.
//
//   open: state.json's settings history (or the defaults) ─► liveSource ─► Producer.open (repairs a crash) 
//   configure: settings' ─► liveSource.withSettings(position) ─► Producer.replaceSource (saves the history at once)
// Each file is a pure function of (seed, settings history, position): a restart resumes exactly where it stopped.
import type { ProducerInfo, ProducerSettings, ProducerStatusName } from '../../api/streamApi'
import type { StreamClock } from '../clock'
import type { NoiseBounds, RecordProfile } from './noisyRecords'
import { Producer } from './producer'
import { ProducerError } from './producerError'
import { readProducerState } from './producerState'
import { checkProducerSettings, liveSource, segmentsOfFingerprint, type LiveUnitSource } from './liveSource'
import type { RecordOutput } from './recordSource'

export interface LiveProducerOptions {
  lakehouseRoot: string
  /** State folder producers/<name>/. */
  name: string
  /** What it writes where, for people (ProducerInfo.description). */
  description: string
  profile: RecordProfile
  seed: number
  bounds?: Partial<NoiseBounds>
  output: RecordOutput
  /** Settings of a producer that never ran; a resumed one keeps its saved history. */
  defaults: ProducerSettings
  clock?: StreamClock
}

/** Why listeners are told: a file was written, or the status or settings changed. */
export type LiveProducerChange = 'produced' | 'status' | 'settings'

export class LiveProducer {
  private readonly listeners = new Set<(change: LiveProducerChange) => void>()
  private lastEventTime: number | null
  private failedWith: string | null = null

  private constructor(private readonly options: LiveProducerOptions, private readonly producer: Producer, private source: LiveUnitSource) {
    this.lastEventTime = producer.position > 0 ? (source.eventTimeRange(producer.position - 1)?.max ?? null) : null
    producer.onProduced((event) => {
      const range = this.source.eventTimeRange(event.position)
      if (range) this.lastEventTime = Math.max(this.lastEventTime ?? range.max, range.max)
      this.tell('produced')
    })
  }

  /**
   * Opens (or resumes) the live producer `options.name`. Errors: ProducerError PRODUCER_CHANGED when its state belongs to
   * another profile, seed, output or bounds; PRODUCER_STATE_CORRUPT; INVALID_ARGUMENT for bad defaults.
   */
  static async open(options: LiveProducerOptions): Promise<LiveProducer> {
    checkProducerSettings(options.defaults)
    const saved = await readProducerState(options.lakehouseRoot, options.name)
    const segments = (saved && segmentsOfFingerprint(saved.fingerprint)) ?? [{ fromPosition: 0, settings: options.defaults }]
    const source = liveSource({ profile: options.profile, seed: options.seed, output: options.output, segments, ...(options.bounds ? { bounds: options.bounds } : {}) })
    const producer = await Producer.open({
      lakehouseRoot: options.lakehouseRoot, name: options.name, source, rate: { filesPerSecond: source.settings.filesPerSecond },
      ...(options.clock ? { clock: options.clock } : {})
    })
    return new LiveProducer(options, producer, source)
  }

  get settings(): ProducerSettings {
    return { ...this.source.settings }
  }

  /** Files written so far (the index of the next one). */
  get position(): number {
    return this.producer.position
  }

  get status(): ProducerStatusName {
    const s = this.producer.status
    return s === 'running' || s === 'paused' || s === 'failed' ? s : 'idle'
  }

  /** The settings history: which settings wrote which files. */
  get segments(): LiveUnitSource['segments'] {
    return this.source.segments
  }

  info(): ProducerInfo {
    const status = this.status
    const error = status === 'failed' ? (this.failedWith ?? errorText(this.producer.error)) : undefined
    return {
      description: this.options.description, status, filesProduced: this.producer.position, recordsProduced: this.producer.recordsProduced,
      settings: this.settings, lastEventTime: this.lastEventTime, ...(error !== undefined ? { error } : {})
    }
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: LiveProducerChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Changes the knobs given; the next file is written with them, files already written never change. The history is
   * saved before this resolves. Errors: ProducerError INVALID_ARGUMENT naming the knob (see checkProducerSettings).
   */
  async configure(change: Partial<ProducerSettings>): Promise<ProducerInfo> {
    for (const key of Object.keys(change)) {
      if (!(key in this.source.settings)) throw new ProducerError('INVALID_ARGUMENT', `unknown producer setting ${key}`, { path: key })
    }
    const next: ProducerSettings = { ...this.source.settings, ...definedOnly(change) }
    checkProducerSettings(next)
    const source = this.source.withSettings(this.producer.position, next)
    await this.producer.replaceSource(source)
    this.source = source
    this.producer.setRate({ filesPerSecond: next.filesPerSecond })
    this.tell('settings')
    return this.info()
  }

  /** Starts writing files on the clock at filesPerSecond (a no-op when running or paused). */
  start(): ProducerInfo {
    this.failedWith = null
    this.producer.start()
    this.producer.done().catch((e: unknown) => {
      this.failedWith = errorText(e)
      this.tell('status')
    })
    this.tell('status')
    return this.info()
  }

  pause(): ProducerInfo {
    this.producer.pause()
    this.tell('status')
    return this.info()
  }

  resume(): ProducerInfo {
    this.producer.resume()
    this.tell('status')
    return this.info()
  }

  /** Writes exactly one file now, whatever the status. Errors: whatever the write raises. */
  async step(): Promise<ProducerInfo> {
    await this.producer.step()
    return this.info()
  }

  /** Stops writing after the file in flight (status idle). */
  async stop(): Promise<void> {
    await this.producer.stop()
    this.tell('status')
  }

  /** Stops and releases resources; listeners are dropped. */
  async close(): Promise<void> {
    await this.producer.close()
    this.listeners.clear()
  }

  private tell(change: LiveProducerChange): void {
    for (const listener of this.listeners) listener(change)
  }
}

function definedOnly(change: Partial<ProducerSettings>): Partial<ProducerSettings> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<ProducerSettings>
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
