// The shape of a sample's documented counts: rows a table (optionally filtered) holds after the pipeline ran over sets 1..n.

export interface ExpectedCount {
  /** `schema.table` */
  table: string
  /** Optional Spark SQL predicate, e.g. `__END_AT IS NULL`. */
  where?: string
  rows: number
  /** Why the number is what it is, in terms of the generated data. */
  because: string
}

/** `SELECT count(*) ...` text for one expected count. */
export function countSql(expected: ExpectedCount): string {
  return `SELECT count(*) AS n FROM ${expected.table}${expected.where ? ` WHERE ${expected.where}` : ''}`
}
