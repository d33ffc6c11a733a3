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
  /** For EXPLAIN / EXPLAIN ANALYZE: the plan as a tree (the rows then list the same operators flat). */
  plan?: QueryPlan
}

/** One operator of a query plan. */
export interface PlanOperator {
  /** DuckDB's operator name, e.g. `HASH_GROUP_BY`, `TABLE_SCAN`. */
  name: string
  /** The operator's extra information (groups, aggregates, filters, projections, files read), in DuckDB's order. */
  details: { key: string; value: string }[]
  /** The optimizer's row estimate, where it gave one. */
  estimatedRows?: number
  /** EXPLAIN ANALYZE only: rows the operator produced. */
  actualRows?: number
  /** EXPLAIN ANALYZE only: time spent in this operator alone (children excluded), in milliseconds. */
  timeMs?: number
  children: PlanOperator[]
}

/** A structured EXPLAIN (estimates only) or EXPLAIN ANALYZE (the query ran; actual rows and timings) plan. */
export interface QueryPlan {
  analyzed: boolean
  /** EXPLAIN ANALYZE only: the query's total latency in milliseconds. */
  totalMs?: number
  /** Root operators (usually one). */
  operators: PlanOperator[]
}

/** File formats a query result can be exported to. */
export type ExportFormat = 'parquet' | 'csv'

export interface SqlApi {
  /** Runs a script of one or more `;`-separated statements in order; resolves with one result per statement. */
  execute(arg: { sql: string }): Promise<StatementResult[]>
  /** Interrupts the statement running now, if any; the pending `execute` rejects with code CANCELLED. */
  cancel(): Promise<void>
  /**
   * Runs one query and returns its whole result as a file's bytes (parquet, or CSV with a header row). Cancelled by
   * `cancel` like `execute`. Rejects with UNSUPPORTED for anything but a single query (SELECT, WITH, FROM, VALUES...).
   */
  exportResult(arg: { sql: string; format: ExportFormat }): Promise<Uint8Array>
}
