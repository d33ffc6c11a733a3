// The tables domain of the Engine API: schemas, tables and each table's Delta history.

/** A Delta table in the lakehouse, addressed as `schema.name`. */
export interface TableRef {
  schema: string
  name: string
  /** Absolute path of the table folder (the one holding _delta_log/). */
  path: string
}

/** One commit of a table, as DESCRIBE HISTORY reports it (newest first). */
export interface HistoryEntry {
  version: number
  /** Commit time in milliseconds since the epoch. */
  timestamp: number
  operation: string
  operationParameters: Record<string, unknown>
  operationMetrics: Record<string, unknown>
  /** Version the commit was based on, when the writer recorded it. */
  readVersion?: number
  isBlindAppend?: boolean
  engineInfo?: string
  isolationLevel?: string
  userMetadata?: string
}

export interface TablesApi {
  /** Schema names (bronze, silver, gold, system, ...), sorted. */
  listSchemas(): Promise<string[]>
  /** Tables of one schema, or of all schemas when `schema` is omitted. */
  listTables(arg?: { schema?: string }): Promise<TableRef[]>
  /** Commits of `table` (`schema.name`), newest first, at most `limit` of them. */
  history(arg: { table: string; limit?: number }): Promise<HistoryEntry[]>
}
