// The one error type of the SQL layer: a stable code plus the statement, line, column, table, version and file involved.

export interface SqlErrorDetail {
  statementIndex?: number
  line?: number
  column?: number
  table?: string
  version?: number
  file?: string
  cause?: unknown
}

/**
 * An error from SqlEngine.execute. `code` is what callers branch on (TABLE_NOT_FOUND, SCHEMA_NOT_FOUND,
 * VERSION_NOT_FOUND, INVALID_VERSION, TIMESTAMP_OUT_OF_RANGE, INVALID_TIMESTAMP, SYNTAX_ERROR, TABLE_EXISTS,
 * SCHEMA_MISMATCH, CAST_ERROR, UNSUPPORTED, CANCELLED, DUCKDB_ERROR, or a Delta error code); `message` is one line for people naming the table/version/file/line involved.
 */
export class SqlError extends Error {
  readonly code: string
  statementIndex?: number
  line?: number
  column?: number
  table?: string
  version?: number
  file?: string

  constructor(code: string, message: string, detail: SqlErrorDetail = {}) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause })
    this.name = 'SqlError'
    this.code = code
    this.statementIndex = detail.statementIndex
    this.line = detail.line
    this.column = detail.column
    this.table = detail.table
    this.version = detail.version
    this.file = detail.file
  }
}

/** True when `e` is a SqlError, optionally with the given code. */
export function isSqlError(e: unknown, code?: string): e is SqlError {
  return e instanceof SqlError && (code === undefined || e.code === code)
}
