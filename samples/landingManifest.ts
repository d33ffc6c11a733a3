// What a sample data set put into landing/: rows per file (and per Kafka topic) by kind, so tests can assert exact counts.

/** How many landed rows of each kind a file (or topic) holds. The four kinds are disjoint; `warned` overlaps them. */
export interface RowCounts {
  /** Valid rows whose event time lies inside the data set's window. */
  good: number
  /** Valid rows whose event time lies in an earlier window (they arrive after newer data). */
  late: number
  /** Exact copies of another row of the same data set (at-least-once delivery). */
  duplicate: number
  /** Rows a DROP ROW expectation sends to quarantine (unparseable values, missing keys, invalid codes). */
  malformed: number
  /** Kept rows (good, late or duplicate) that violate a warn-only expectation and are only counted. */
  warned: number
}

export interface LandingFileManifest {
  /** Relative to the lakehouse root, e.g. `landing/registered_users/registered_users_1.csv`. */
  path: string
  format: 'csv' | 'json'
  rows: RowCounts
  /** Kafka multiplex files: the same counts per topic. */
  topics?: Record<string, RowCounts>
}

export interface DataSetManifest {
  sample: string
  setNumber: number
  files: LandingFileManifest[]
}

/** A landing file rendered in memory, before it is written. */
export interface LandingFile {
  path: string
  format: 'csv' | 'json'
  text: string
  manifest: LandingFileManifest
}

export type RowKind = 'good' | 'late' | 'duplicate' | 'malformed'

/** One landed row as the generator produced it: its kind, whether it trips a warn expectation, and its typed fields. */
export interface LandedRow<T> {
  kind: RowKind
  warned?: boolean
  row: T
}

/** Counts rows by kind. */
export function countRows(rows: readonly LandedRow<unknown>[]): RowCounts {
  const counts: RowCounts = { good: 0, late: 0, duplicate: 0, malformed: 0, warned: 0 }
  for (const r of rows) {
    counts[r.kind]++
    if (r.warned) counts.warned++
  }
  return counts
}

/** Total rows of a RowCounts (warned rows are already inside the other kinds). */
export function totalRows(c: RowCounts): number {
  return c.good + c.late + c.duplicate + c.malformed
}

/** Rows that pass every DROP ROW expectation (good, late and duplicate). */
export function keptRows(c: RowCounts): number {
  return c.good + c.late + c.duplicate
}

/** Sums RowCounts field by field. */
export function addCounts(a: RowCounts, b: RowCounts): RowCounts {
  return { good: a.good + b.good, late: a.late + b.late, duplicate: a.duplicate + b.duplicate, malformed: a.malformed + b.malformed, warned: a.warned + b.warned }
}
