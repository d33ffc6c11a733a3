// The compute seam of the Delta layer: delta/ builds DuckDB SQL text; engine/sql supplies the executor.

/** Executes DuckDB SQL for the Delta layer (reading checkpoints, writing data files, scans). */
export interface ParquetPort {
  /** Runs a query and returns its rows as plain JS objects (BIGINT as bigint, nested values as objects/arrays, DATE/TIMESTAMP as JS values chosen by the implementation). */
  query(sql: string): Promise<Record<string, unknown>[]>
  /** Runs a statement for its effect (COPY ... TO, CREATE TEMP TABLE ...). */
  exec(sql: string): Promise<void>
}

/** Quotes a string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** Quotes an identifier for DuckDB. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
