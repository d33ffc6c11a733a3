// The one error type of the Delta layer: a stable `code` for callers plus a message naming the file/version involved.

export type DeltaErrorCode =
  | 'TABLE_NOT_FOUND'
  | 'TABLE_ALREADY_EXISTS'
  | 'VERSION_NOT_FOUND'
  | 'VERSION_NOT_RECONSTRUCTABLE'
  | 'TIMESTAMP_OUT_OF_RANGE'
  | 'LOG_GAP'
  | 'CORRUPT_LOG'
  | 'UNSUPPORTED_FEATURE'
  | 'CONCURRENT_MODIFICATION'
  | 'CONCURRENT_APPEND'
  | 'CONCURRENT_DELETE_READ'
  | 'CONCURRENT_DELETE_DELETE'
  | 'METADATA_CHANGED'
  | 'PROTOCOL_CHANGED'
  | 'CONCURRENT_TRANSACTION'
  | 'INVALID_ARGUMENT'
  | 'SCHEMA_MISMATCH'
  | 'VACUUM_RETENTION_TOO_SHORT'
  | 'DATA_FILE_MISSING'

/**
 * An error raised by the Delta reader or writer. `code` is what callers branch on; `message` is for people and
 * names the table file, version, column or feature involved; `detail` carries the same facts as data.
 */
export class DeltaError extends Error {
  readonly code: DeltaErrorCode
  readonly detail: Record<string, unknown>

  constructor(code: DeltaErrorCode, message: string, detail: Record<string, unknown> = {}) {
    super(message)
    this.name = 'DeltaError'
    this.code = code
    this.detail = detail
  }
}

/** True when `e` is a DeltaError, optionally with the given code. */
export function isDeltaError(e: unknown, code?: DeltaErrorCode): e is DeltaError {
  return e instanceof DeltaError && (code === undefined || e.code === code)
}
