// The SQL relation (file, row) of rows deleted by deletion vectors, inline for small sets or as a temp table for large ones.
import { createHash } from 'node:crypto'
import { sqlString, type ParquetPort } from './parquetPort'

/** Deleted row indexes of one data file, as DuckDB will name that file in read_parquet's filename column. */
export interface DeletedRows {
  file: string
  rows: number[]
}

/** Above this much SQL text the row set goes into a temp table instead of the query text. */
const INLINE_LIMIT_CHARS = 64_000
/** Runs at least this long are written as range(a, b) instead of listing every index. */
const RUN_MIN = 8

/** Temp tables already created on each port (their content is immutable: named by a hash of it). */
const createdTables = new WeakMap<ParquetPort, Set<string>>()

function fileRelation(entry: DeletedRows): string[] {
  const parts: string[] = []
  const singles: number[] = []
  const rows = entry.rows
  const file = sqlString(entry.file)
  for (let i = 0; i < rows.length; ) {
    let j = i
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++
    if (j - i + 1 >= RUN_MIN) parts.push(`SELECT ${file} AS file, range AS row FROM range(${rows[i]}, ${rows[j]! + 1})`)
    else for (let k = i; k <= j; k++) singles.push(rows[k]!)
    i = j + 1
  }
  // One string literal split in SQL: a list literal with thousands of elements costs DuckDB one expression each.
  if (singles.length > 0) parts.push(`SELECT ${file} AS file, CAST(unnest(string_split('${singles.join(',')}', ',')) AS BIGINT) AS row`)
  return parts
}

/**
 * A relation with columns (file VARCHAR, row BIGINT) listing every deleted row, for an anti join against
 * read_parquet(..., filename=, file_row_number=true). Small sets are inlined in the SQL; large ones are loaded once
 * into a session temp table `__delta_dv_<hash>` through `port.exec` (named by a hash of the content, so repeated
 * scans reuse it and concurrent scans cannot clash).
 */
export async function deletedRowsRelation(port: ParquetPort, entries: DeletedRows[]): Promise<string> {
  const parts = entries.flatMap(fileRelation)
  if (parts.length === 0) return 'SELECT CAST(NULL AS VARCHAR) AS file, CAST(NULL AS BIGINT) AS row WHERE false'
  const body = parts.join(' UNION ALL ')
  if (body.length <= INLINE_LIMIT_CHARS) return body
  const name = `__delta_dv_${createHash('sha1').update(body).digest('hex').slice(0, 20)}`
  let known = createdTables.get(port)
  if (!known) createdTables.set(port, (known = new Set()))
  if (!known.has(name)) {
    await port.exec(`CREATE TEMP TABLE IF NOT EXISTS ${name} AS ${body}`)
    known.add(name)
  }
  return `SELECT file, row FROM ${name}`
}
