// Renders landed rows as the text a producer would drop: CSV with a header, or newline-delimited JSON.

/** A CSV cell: empty for null, quoted when it holds a comma, quote or newline. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** CSV text with a header line; `columns` picks and orders the fields of each row. */
export function csvText(columns: readonly string[], rows: readonly object[]): string {
  const lines = rows.map((r) => columns.map((c) => csvCell((r as Record<string, unknown>)[c])).join(','))
  return [columns.join(','), ...lines].join('\n') + '\n'
}

/** Newline-delimited JSON, one object per line. */
export function ndjsonText(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
}

/** `yyyy-MM-dd HH:mm:ss` in UTC: the timestamp text both Spark and DuckDB parse without a pattern. */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** `yyyy-MM-dd` in UTC. */
export function dateText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
