// The query's event-time watermark: max event time per partition minus the delay, min over active partitions, monotonic.
import { EventTimeError } from './eventTimeError'

/** How a query declares its event time (`withWatermark(column, delay)` in Spark; `WATERMARK ts DELAY OF ...` in pipeline SQL). */
export interface EventTimeSpec {
  column: string
  delayMs: number
  /** A partition that has reported no data for longer than this stops holding the watermark back. Unset: never. */
  idlePartitionTimeoutMs?: number
}

interface PartitionWatermark { maxEventTimeMs: number; lastActiveMs: number }

/** The serialized form written to the checkpoint's state folder; `fromJSON` restores it. */
export interface WatermarkTrackerState {
  spec: EventTimeSpec
  watermarkMs: number | null
  partitions: Record<string, PartitionWatermark>
}

/**
 * Tracks the watermark the way Spark's `WatermarkTracker` does (sql/core/.../streaming/WatermarkTracker.scala):
 * - Each input keeps `max event time seen - delay` and only moves it forward (Spark: `newWatermarkMs > prevWatermarkMs`).
 * - The global watermark is the minimum over inputs: Spark's default `spark.sql.streaming.multipleWatermarkPolicy = min`,
 *   "the safe (hence default) policy ... the global watermark will advance as slowly as the slowest input". Here an input is a
 *   source partition (topic partition, files source), so a lagging partition holds the watermark back.
 * - The global value never goes back (Spark: only `if (chosenGlobalWatermark > globalWatermarkMs)`).
 * - Spark's guide ("Handling Late Data and Watermarking"): the watermark "set as (max event time - '10 mins') at the beginning
 *   of every trigger"; observing (12:14, dog) "sets the watermark for the next trigger as 12:04". So the runner calls `current()`
 *   before batch N, records it in offsets/N, and calls `observe()` with batch N's maxima after it: the new value is for batch N+1.
 * Unlike Spark, a partition that has been idle longer than `idlePartitionTimeoutMs` is left out of the minimum (as Flink's
 * idleness does), so a quiet Kafka partition does not freeze the watermark; when every partition is idle the watermark stays put.
 * A partition counts only once it has reported data at least once.
 */
export class WatermarkTracker {
  private watermarkMs: number | null = null
  private readonly partitions = new Map<string, PartitionWatermark>()

  constructor(readonly spec: EventTimeSpec) {
    if (!Number.isFinite(spec.delayMs) || spec.delayMs < 0) {
      throw new EventTimeError('INVALID_INTERVAL', `watermark delay for '${spec.column}' must be a non-negative number of ms, got ${spec.delayMs}`)
    }
  }

  /** The watermark to use for the next batch (ms since epoch), or null before any event time has been observed. */
  current(): number | null {
    return this.watermarkMs
  }

  /**
   * Folds in one finished batch: `maxByPartition` holds the max event time (ms) per partition that had rows in the batch
   * (including rows that turn out late: Spark's EventTimeWatermarkExec collects stats over all its input), `now` is the
   * processing time (from the StreamClock) that idleness is measured against.
   */
  observe(maxByPartition: Map<string, number>, now: number): void {
    for (const [partition, maxMs] of maxByPartition) {
      if (!Number.isFinite(maxMs)) continue
      const known = this.partitions.get(partition)
      this.partitions.set(partition, {
        maxEventTimeMs: known ? Math.max(known.maxEventTimeMs, maxMs) : maxMs,
        lastActiveMs: known ? Math.max(known.lastActiveMs, now) : now
      })
    }
    const timeout = this.spec.idlePartitionTimeoutMs
    let candidate: number | null = null
    for (const p of this.partitions.values()) {
      if (timeout !== undefined && now - p.lastActiveMs > timeout) continue
      const partitionWatermark = p.maxEventTimeMs - this.spec.delayMs
      candidate = candidate === null ? partitionWatermark : Math.min(candidate, partitionWatermark)
    }
    if (candidate !== null && (this.watermarkMs === null || candidate > this.watermarkMs)) this.watermarkMs = candidate
  }

  /** Per-partition view for progress reporting and the streaming panel. */
  partitionStates(now: number): { partition: string; maxEventTimeMs: number; idle: boolean }[] {
    const timeout = this.spec.idlePartitionTimeoutMs
    return [...this.partitions].map(([partition, p]) => ({
      partition, maxEventTimeMs: p.maxEventTimeMs, idle: timeout !== undefined && now - p.lastActiveMs > timeout
    }))
  }

  toJSON(): WatermarkTrackerState {
    return { spec: { ...this.spec }, watermarkMs: this.watermarkMs, partitions: Object.fromEntries(this.partitions) }
  }

  /**
   * Restores a tracker saved with `toJSON` (after JSON.stringify/parse).
   * @throws EventTimeError STATE_CORRUPT when the value does not have the saved shape; `source` names the file in the message.
   */
  static fromJSON(value: unknown, source = 'watermark state'): WatermarkTracker {
    const state = value as Partial<WatermarkTrackerState> | null
    const spec = state?.spec
    if (!state || typeof state !== 'object' || !spec || typeof spec.column !== 'string' || typeof spec.delayMs !== 'number'
      || !(state.watermarkMs === null || typeof state.watermarkMs === 'number') || typeof state.partitions !== 'object' || state.partitions === null) {
      throw new EventTimeError('STATE_CORRUPT', `${source} is not a saved watermark tracker`)
    }
    const tracker = new WatermarkTracker(spec)
    tracker.watermarkMs = state.watermarkMs
    for (const [partition, p] of Object.entries(state.partitions)) {
      if (typeof p?.maxEventTimeMs !== 'number' || typeof p.lastActiveMs !== 'number') {
        throw new EventTimeError('STATE_CORRUPT', `${source}: partition '${partition}' has no maxEventTimeMs/lastActiveMs`)
      }
      tracker.partitions.set(partition, { maxEventTimeMs: p.maxEventTimeMs, lastActiveMs: p.lastActiveMs })
    }
    return tracker
  }
}
