// The source contract of streaming queries: offsets as JSON, the next batch's end, and deterministic loads of (start, end].
import type { DuckdbSession } from '../../sql/duckdbSession'

/** A position in a source, JSON-serializable; recorded in offsets/N. */
export interface SourceOffset {
  [k: string]: unknown
}

/** A replayable source: the same (start, end) always loads the same rows, which is what makes re-running a batch exact. */
export interface StreamSource {
  /** Stable, e.g. 'files:landing/users', 'topic:workouts', 'delta:silver.users'; recorded in the checkpoint metadata. */
  readonly id: string
  /** The end offset of the next batch from `start` (null = from the beginning), honouring the per-trigger limit; equal to start when nothing new. */
  nextEnd(start: SourceOffset | null): Promise<SourceOffset>
  /** Materializes rows in (start, end] into a DuckDB relation; returns its name and row count. Deterministic for the same (start, end). */
  load(start: SourceOffset | null, end: SourceOffset, into: { port: DuckdbSession; relation: string }): Promise<{ rows: number }>
  sameOffset(a: SourceOffset | null, b: SourceOffset): boolean
  /**
   * Trigger.AvailableNow (additive to the contract, like Spark's SupportsTriggerAvailableNow): fixes what is available
   * now, so later nextEnd calls never go past it. Sources without it are drained until nextEnd returns start.
   */
  prepareForAvailableNow?(): Promise<void>
  /**
   * Additive: what the source reads besides where, as text (format, declared schema), recorded in the checkpoint
   * metadata; a restart whose configuration differs is refused with QUERY_CHANGED. Per-trigger limits are left out:
   * changing them between restarts is allowed, as in Spark.
   */
  configuration?(): string
}
