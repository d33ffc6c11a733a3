// A resumable, clock-driven producer: writes the units of a UnitSource (landing files or topic records) at a rate, with pause/resume/step.
//
//   open: read producers/<name>/state.json ─► repair (units already on disk past the saved position count as produced;
//         a topic batch cut short by a crash gets its missing records) ─► save
//   step: unit(position) ─► write (file: .tmp + rename; topic: append + fsync) ─► state.json (position + 1)
// A crash between the write and the state save is repaired by the next open, so no unit is written twice or skipped.
// One process produces under a name at a time (like a topic's single writer).
import { DuckdbSession } from '../../sql/duckdbSession'
import { systemClock, type StreamClock } from '../clock'
import { fileUnitExists, partitionCounts, topicFor, unitRecords, writeFileUnit, type ProducedUnit, type UnitSource } from './producedUnit'
import { ProducerError } from './producerError'
import { canonicalJson, readProducerState, writeProducerState, type ProducerState } from './producerState'

export type ProducerRate = { recordsPerSecond: number } | { filesPerSecond: number }
export type ProducerStatus = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed'

export interface ProducerOptions {
  lakehouseRoot: string
  /** Names the state folder producers/<name>/. */
  name: string
  source: UnitSource
  rate: ProducerRate
  clock?: StreamClock
  /** DuckDB for parquet units; without it the producer opens its own when first needed and closes it in close(). */
  port?: DuckdbSession
  /** Fault injection for crash tests: runs after a unit is written and before the state is saved. */
  afterWrite?: (position: number) => void | Promise<void>
}

/** Told after each produced unit. */
export interface ProducedEvent {
  /** Index of the unit just written. */
  position: number
  unit: ProducedUnit
  records: number
  /** Clock time of the write. */
  at: number
}

export class Producer {
  private statusNow: ProducerStatus = 'idle'
  private queue: Promise<unknown> = Promise.resolve()
  private listeners = new Set<(event: ProducedEvent) => void>()
  private loopDone: Promise<void> = Promise.resolve()
  private abort = new AbortController()
  private wakeFromPause: (() => void) | null = null
  private ownPort: DuckdbSession | null = null
  private failure: unknown = null
  private readonly clock: StreamClock

  private constructor(private readonly options: ProducerOptions, private state: ProducerState) {
    this.clock = options.clock ?? systemClock
  }

  /**
   * Opens the producer named `options.name`, resuming from its state and repairing a crash between a write and its
   * state save. Errors: PRODUCER_CHANGED when the saved state has another source fingerprint; PRODUCER_STATE_CORRUPT
   * when state.json is unreadable or a topic holds fewer records (or other records) than the state says were produced;
   * INVALID_ARGUMENT for a bad name or rate.
   */
  static async open(options: ProducerOptions): Promise<Producer> {
    const rate = 'recordsPerSecond' in options.rate ? options.rate.recordsPerSecond : options.rate.filesPerSecond
    if (!(rate > 0 && Number.isFinite(rate))) throw new ProducerError('INVALID_ARGUMENT', `producer ${options.name}: the rate must be a positive number, got ${rate}`)
    const saved = await readProducerState(options.lakehouseRoot, options.name)
    const changed = saved !== null && canonicalJson(saved.fingerprint) !== canonicalJson(options.source.fingerprint)
    if (saved && changed && !options.source.continues?.(saved.fingerprint, saved.position)) {
      throw new ProducerError('PRODUCER_CHANGED', `producer ${options.name} was producing ${canonicalJson(saved.fingerprint)}, not ${canonicalJson(options.source.fingerprint)}`)
    }
    const clock = options.clock ?? systemClock
    const state = saved ? { ...saved, fingerprint: options.source.fingerprint } : { name: options.name, fingerprint: options.source.fingerprint, position: 0, topicEnds: {}, updatedAt: clock.now(), recordsProduced: 0 }
    const producer = new Producer(options, state)
    if (changed) await producer.save(state.position, null)
    await producer.repair()
    return producer
  }

  /**
   * Carries on with `source` from the next unit (serialized with the running loop): units already produced stay as
   * they are. The new fingerprint is saved at once, so a restart continues with it.
   * Errors: PRODUCER_CHANGED unless `source.continues` accepts the current fingerprint at the current position.
   */
  replaceSource(source: UnitSource): Promise<void> {
    const run = this.queue.then(async () => {
      const current = this.options.source.fingerprint
      if (canonicalJson(current) !== canonicalJson(source.fingerprint) && !source.continues?.(current, this.state.position)) {
        throw new ProducerError('PRODUCER_CHANGED', `producer ${this.name} cannot carry on at unit ${this.state.position} with ${canonicalJson(source.fingerprint)}: it changes units already produced`)
      }
      this.options.source = source
      this.state = { ...this.state, fingerprint: source.fingerprint }
      await this.save(this.state.position, null)
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Records in the units produced so far (counted since the state began keeping it). */
  get recordsProduced(): number {
    return this.state.recordsProduced ?? 0
  }

  /** The source units come from now. */
  get source(): UnitSource {
    return this.options.source
  }

  /** Why the loop failed (status 'failed'), else null. */
  get error(): unknown {
    return this.statusNow === 'failed' ? this.failure : null
  }

  get name(): string {
    return this.options.name
  }

  /** Units produced so far (the index of the next one). */
  get position(): number {
    return this.state.position
  }

  get status(): ProducerStatus {
    return this.statusNow
  }

  /** Subscribes to produced units; returns the unsubscribe function. */
  onProduced(listener: (event: ProducedEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Changes the rate; the next wait uses it. Errors: INVALID_ARGUMENT for a non-positive rate. */
  setRate(rate: ProducerRate): void {
    const value = 'recordsPerSecond' in rate ? rate.recordsPerSecond : rate.filesPerSecond
    if (!(value > 0 && Number.isFinite(value))) throw new ProducerError('INVALID_ARGUMENT', `producer ${this.name}: the rate must be a positive number, got ${value}`)
    this.options.rate = rate
  }

  /**
   * Produces the next unit now (whatever the status, serialized with the running loop); null when the source is
   * exhausted. Errors: whatever the write raises (the state is not advanced, so a retry writes the same unit).
   */
  step(): Promise<ProducedEvent | null> {
    const run = this.queue.then(() => this.produceNext())
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Starts producing on the clock: a unit, then a wait of (its records / records per second) or (1 / files per second), repeatedly. */
  start(): void {
    if (this.statusNow === 'running' || this.statusNow === 'paused') return
    this.abort = new AbortController()
    this.statusNow = 'running'
    this.loopDone = this.loop()
  }

  /** Stops producing after the unit in flight; step() still works. */
  pause(): void {
    if (this.statusNow === 'running') this.statusNow = 'paused'
  }

  /** Continues a paused producer: the next unit comes as soon as the wait in progress (if any) is over. */
  resume(): void {
    if (this.statusNow !== 'paused') return
    this.statusNow = 'running'
    this.wakeFromPause?.()
  }

  /** Ends the loop (cutting its wait short) and waits for the unit in flight. */
  async stop(): Promise<void> {
    if (this.statusNow === 'running' || this.statusNow === 'paused') this.statusNow = 'stopped'
    this.abort.abort()
    this.wakeFromPause?.()
    await this.loopDone
    await this.queue
  }

  /** Resolves when the loop ends: exhausted (finished) or stopped. Rejects with the error that failed it. */
  async done(): Promise<void> {
    await this.loopDone
    if (this.statusNow === 'failed') throw this.failure
  }

  /** Stops and releases the DuckDB session the producer opened itself. */
  async close(): Promise<void> {
    await this.stop()
    this.ownPort?.close()
    this.ownPort = null
  }

  private async loop(): Promise<void> {
    try {
      while (this.statusNow === 'running' || this.statusNow === 'paused') {
        if (this.statusNow === 'paused') {
          await new Promise<void>((resolve) => (this.wakeFromPause = resolve))
          this.wakeFromPause = null
          continue
        }
        const event = await this.step()
        if (!event) {
          this.statusNow = 'finished'
          return
        }
        if ((this.statusNow as ProducerStatus) === 'stopped') return
        await this.clock.sleep(this.waitAfter(event), this.abort.signal)
      }
    } catch (e) {
      if (this.abort.signal.aborted) return
      this.failure = e
      this.statusNow = 'failed'
    }
  }

  private waitAfter(event: ProducedEvent): number {
    const rate = this.options.rate
    return 'recordsPerSecond' in rate ? (event.records / rate.recordsPerSecond) * 1000 : 1000 / rate.filesPerSecond
  }

  private async produceNext(): Promise<ProducedEvent | null> {
    const position = this.state.position
    const unit = this.options.source.unit(position)
    if (!unit) return null
    const at = this.clock.now()
    if (unit.kind === 'topic') {
      const topic = await topicFor(this.options.lakehouseRoot, unit.topic, unit.partitions)
      await topic.append(unit.records)
    } else {
      await writeFileUnit(this.options.lakehouseRoot, unit, () => this.port())
    }
    await this.options.afterWrite?.(position)
    await this.save(position + 1, unit)
    const event = { position, unit, records: unitRecords(unit), at }
    for (const listener of this.listeners) listener(event)
    return event
  }

  private async save(position: number, unit: ProducedUnit | null): Promise<void> {
    const topicEnds = { ...this.state.topicEnds }
    if (unit?.kind === 'topic') {
      const base = topicEnds[unit.topic] ?? Array.from({ length: unit.partitions }, () => 0)
      topicEnds[unit.topic] = partitionCounts(unit).map((c, p) => (base[p] ?? 0) + c)
    }
    const recordsProduced = (this.state.recordsProduced ?? 0) + (unit ? unitRecords(unit) : 0)
    const next = { ...this.state, position, topicEnds, recordsProduced, updatedAt: this.clock.now() }
    await writeProducerState(this.options.lakehouseRoot, next)
    this.state = next
  }

  /** Counts units found on disk past the saved position as produced; completes a topic batch a crash cut short. */
  private async repair(): Promise<void> {
    const root = this.options.lakehouseRoot
    for (;;) {
      const unit = this.options.source.unit(this.state.position)
      if (!unit) break
      if (unit.kind !== 'topic') {
        if (!(await fileUnitExists(root, unit))) break
        await this.save(this.state.position + 1, unit)
        continue
      }
      const topic = await topicFor(root, unit.topic, unit.partitions)
      const actual = await topic.endOffsets()
      const base = this.state.topicEnds[unit.topic] ?? actual.map(() => 0)
      const counts = partitionCounts(unit)
      const present = actual.map((end, p) => end - (base[p] ?? 0))
      const where = `producer ${this.name}, topic ${unit.topic}, unit ${this.state.position}`
      if (present.some((n) => n < 0)) {
        throw new ProducerError('PRODUCER_STATE_CORRUPT', `${where}: the topic ends at [${actual}] but the state says [${base}] was produced`)
      }
      if (present.every((n) => n === 0) && counts.some((c) => c > 0)) break
      const missing: typeof unit.records = []
      for (let p = 0; p < unit.partitions; p++) {
        const mine = unit.records.filter((r) => r.partition === p)
        const found = await topic.read(p, base[p] ?? 0, (base[p] ?? 0) + Math.min(present[p] ?? 0, mine.length))
        found.forEach((r, i) => {
          if (r.value !== mine[i]?.value || r.key !== mine[i]?.key) {
            throw new ProducerError('PRODUCER_STATE_CORRUPT', `${where}: partition ${p} offset ${r.offset} holds a record this producer did not write`)
          }
        })
        missing.push(...mine.slice(found.length))
      }
      if (missing.length > 0) await topic.append(missing)
      await this.save(this.state.position + 1, unit)
      if (missing.length > 0) break
    }
    for (const [name, ends] of Object.entries(this.state.topicEnds)) {
      const topic = await topicFor(root, name, ends.length)
      const actual = await topic.endOffsets()
      if (actual.some((end, p) => end !== ends[p])) {
        throw new ProducerError('PRODUCER_STATE_CORRUPT', `producer ${this.name}: topic ${name} ends at [${actual}], not at [${ends}] where this producer left it`)
      }
    }
  }

  private async port(): Promise<DuckdbSession> {
    if (this.options.port) return this.options.port
    this.ownPort ??= await DuckdbSession.create({ threads: 1 })
    return this.ownPort
  }
}
