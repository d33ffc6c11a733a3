// The one error type of the streaming engine: a stable code for callers and a message naming the file, batch or source involved.

export type StreamErrorCode =
  /** Another live process holds checkpoints/<query>/lock. */
  | 'CHECKPOINT_LOCKED'
  /** A checkpoint file is unreadable, truncated, not valid JSON, or one that recovery needs is missing; the message names it. */
  | 'CHECKPOINT_CORRUPT'
  /** offsets/ or commits/ exist but metadata does not: a new query id would defeat the sink's txn dedup. */
  | 'MISSING_METADATA_FILE'
  /** The query's sources or sink differ from the ones in metadata; the message names the change. */
  | 'QUERY_CHANGED'
  /** The checkpoint is gone but the sink has commits of a stream with this name: restart with `reset: true`. */
  | 'CHECKPOINT_RESET_REQUIRED'
  /** Another writer wrote offsets/N or commits/N first (two queries on one checkpoint); this one stops. */
  | 'CHECKPOINT_CONFLICT'
  /** cancel() interrupted the batch; it re-runs on restart. */
  | 'QUERY_CANCELLED'
  /** A Delta source met a commit that removes or rewrites data (set skipChangeCommits to ignore such commits). */
  | 'DELTA_SOURCE_CHANGE_COMMIT'
  /** A source cannot continue from its recorded offset (topic shrank, partitions changed, file vanished...). */
  | 'SOURCE_OFFSET_INVALID'
  /** Options the query cannot run with. */
  | 'INVALID_ARGUMENT'

/** An error of the streaming engine. `detail` carries the facts of the message as data (file, batchId, source...). */
export class StreamError extends Error {
  constructor(readonly code: StreamErrorCode, message: string, readonly detail: Record<string, unknown> = {}) {
    super(message)
    this.name = 'StreamError'
  }
}

/** True when `e` is a StreamError, optionally with the given code. */
export function isStreamError(e: unknown, code?: StreamErrorCode): e is StreamError {
  return e instanceof StreamError && (code === undefined || e.code === code)
}
