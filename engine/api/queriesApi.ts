// The queries domain of the Engine API: saved `.sql` files in the lakehouse's queries/ folder and the query history.

/** A saved query file in queries/. */
export interface SavedQuery {
  /** File name inside queries/, e.g. `daily_counts.sql`. */
  name: string
  sizeBytes: number
  /** Last modification, in milliseconds since the epoch. */
  modified: number
}

/** One run of SQL from the editor, as the history keeps it. */
export interface QueryHistoryEntry {
  /** The SQL text that ran (the whole script for a run of several statements). */
  statement: string
  /** Start time in milliseconds since the epoch. */
  time: number
  durationMs: number
  /** Rows returned by the statements that return rows; 0 for commands and failures. */
  rows: number
  status: 'ok' | 'error' | 'cancelled'
  /** The error's message when status is not `ok`. */
  error?: string
}

export interface QueriesApi {
  /** The `.sql` files of queries/, sorted by name. */
  list(): Promise<SavedQuery[]>
  /** A saved query's text. @throws EngineError QUERY_NOT_FOUND / INVALID_QUERY_NAME. */
  read(arg: { name: string }): Promise<{ name: string; text: string }>
  /** Writes (creates or replaces) a saved query as a plain file. @throws EngineError INVALID_QUERY_NAME. */
  save(arg: { name: string; text: string }): Promise<SavedQuery>
  /** History entries, newest first, whose statement contains `search` (case-insensitive); at most `limit` (default 200). */
  history(arg?: { search?: string; limit?: number }): Promise<QueryHistoryEntry[]>
}
