// The SQL domain of the Engine API: run Spark SQL over the lakehouse, results as Arrow IPC bytes.

export interface ColumnInfo {
  name: string
  /** Spark-style type name, e.g. `bigint`, `string`, `timestamp`. */
  type: string
}

/** The outcome of one statement of a script. */
export interface StatementResult {
  /** The statement's text as it was run. */
  statement: string
  /** `rows` for statements that return a result set, `ok` for commands. */
  kind: 'rows' | 'ok'
  columns: ColumnInfo[]
  rowCount: number
  /** The result set as an Arrow IPC stream (an empty stream for `ok`). */
  arrow: Uint8Array
  /** A sentence for commands, e.g. "Created table silver.x". */
  message?: string
  elapsedMs: number
}

export interface SqlApi {
  /** Runs a script of one or more `;`-separated statements in order; resolves with one result per statement. */
  execute(arg: { sql: string }): Promise<StatementResult[]>
  /** Interrupts the statement running now, if any; the pending `execute` rejects with code CANCELLED. */
  cancel(): Promise<void>
}
