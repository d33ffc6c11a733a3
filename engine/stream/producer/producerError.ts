// The error type of producers: a stable code and a message naming the producer, file or topic involved.

export type ProducerErrorCode =
  /** Options the producer cannot run with (bad fraction, rate, format...). */
  | 'INVALID_ARGUMENT'
  /** state.json belongs to a different profile, seed or output than the one asked for: use another name or delete the state. */
  | 'PRODUCER_CHANGED'
  /** state.json is unreadable, or the landing folder / topic holds less (or other) data than the state says was produced. */
  | 'PRODUCER_STATE_CORRUPT'

export class ProducerError extends Error {
  /** `detail` names what was wrong as data (e.g. `{path: 'late'}` for a bad setting). */
  constructor(readonly code: ProducerErrorCode, message: string, readonly detail: Record<string, unknown> = {}) {
    super(`${code}: ${message}`)
    this.name = 'ProducerError'
  }
}
