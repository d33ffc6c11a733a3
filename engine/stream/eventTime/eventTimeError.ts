// The named errors raised by the event-time operators and the watermark tracker.

export type EventTimeErrorCode =
  /** An interval string such as '10 minutes' could not be parsed, or a duration is not positive. */
  | 'INVALID_INTERVAL'
  /** An operator was configured in a way Spark also refuses (e.g. update mode on session windows). */
  | 'UNSUPPORTED_OPERATION'
  /** The event-time column is missing from the input or has a type that is not a timestamp or epoch milliseconds. */
  | 'EVENT_TIME_COLUMN'
  /** A state folder is missing a file or holds unreadable content; the message names the file. */
  | 'STATE_CORRUPT'
  /** A state folder was written by an operator with a different kind or configuration. */
  | 'STATE_INCOMPATIBLE'

/** An event-time processing failure with a stable code, so the query runner can map it to its own errors. */
export class EventTimeError extends Error {
  constructor(readonly code: EventTimeErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'EventTimeError'
  }
}
