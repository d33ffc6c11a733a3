// CSV landing files read without DuckDB's sniffer: every field as text under its header name, ragged rows kept, types inferred from values.
//
// The sniffer guesses the header, delimiter and rows to skip from the file's shape; one row with an extra field makes
// it take the widest row as the header and skip everything above it, so whole files read as zero rows. A pipeline must
// never lose rows silently, so the reader states the dialect (Spark's CSV defaults) and the column count itself.
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { SourceSchemaColumn } from './checkpoints'

/** Spark's boolean option spelling: true/1/yes (any case). */
export function optionFlag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback
  return /^(true|1|yes)$/i.test(value.trim())
}

/** One CSV file as text columns: a SELECT with one VARCHAR column per field name plus `__lb_line` (1-based record number: its line unless a quoted field spans lines). */
export interface RawCsv {
  sql: string
  /** Field names: the header's (blank or repeated ones as Spark's `_c<i>`), `_c<i>` without a header or past the header's width. */
  columns: string[]
}

function dialectOptions(options: Map<string, string>): string {
  const parts = [`delim = ${sqlString(options.get('sep') ?? options.get('delimiter') ?? ',')}`, `quote = ${sqlString(options.get('quote') ?? '"')}`]
  if (options.get('escape') !== undefined) parts.push(`escape = ${sqlString(options.get('escape')!)}`)
  if (options.get('nullvalue') !== undefined) parts.push(`nullstr = ${sqlString(options.get('nullvalue')!)}`)
  return parts.join(', ')
}

/**
 * The fields of `absolutePath` as text. The column count is the most delimiters any line holds plus one (an upper
 * bound, so no field is cut off; columns that stay empty in every row are left out); rows shorter than that are padded
 * with NULLs. With `header`, the first record names the columns and is not returned.
 * @throws DuckDB errors naming the file when it cannot be parsed with this dialect (e.g. an unterminated quote).
 */
export async function readCsvAsText(session: DuckdbSession, absolutePath: string, options: Map<string, string>): Promise<RawCsv> {
  const header = optionFlag(options.get('header'), false)
  const delimiter = options.get('sep') ?? options.get('delimiter') ?? ','
  const file = sqlString(absolutePath)
  const widest = await session.query(
    `SELECT coalesce(max(length(line) - length(replace(line, ${sqlString(delimiter)}, ''))), 0)::BIGINT AS n FROM (SELECT unnest(string_split(content, chr(10))) AS line FROM read_text(${file}))`
  )
  const width = Math.max(1, Math.floor(Number(widest[0]!.n) / Math.max(1, delimiter.length)) + 1)
  const positional = Array.from({ length: width }, (_, i) => `__lb_f${i}`)
  const reader = `read_csv(${file}, auto_detect = false, header = false, null_padding = true, ${dialectOptions(options)}, ` +
    `columns = {${positional.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}})`
  const numbered = `SELECT *, row_number() OVER () AS __lb_line FROM ${reader}`
  const firstRow = header ? (await session.query(`SELECT * FROM (${numbered}) WHERE __lb_line = 1`))[0] : undefined
  const used = await session.query(`SELECT ${positional.map((c, i) => `count(${sqlIdent(c)})::BIGINT AS n${i}`).join(', ')} FROM (${numbered})${header ? ' WHERE __lb_line > 1' : ''}`)
  const names: string[] = []
  const seen = new Set<string>()
  const selects: string[] = []
  positional.forEach((c, i) => {
    const headerName = firstRow?.[c]
    const named = typeof headerName === 'string' && headerName.trim() !== ''
    if (!named && Number(used[0]![`n${i}`]) === 0) return
    let name = named ? headerName.trim() : `_c${i}`
    // Spark makes repeated header names unique by appending the column index.
    if (seen.has(name.toLowerCase())) name = `${name}${i}`
    seen.add(name.toLowerCase())
    names.push(name)
    selects.push(`${sqlIdent(c)} AS ${sqlIdent(name)}`)
  })
  const rows = `SELECT ${[...selects, '__lb_line'].join(', ')} FROM (${numbered})`
  return { sql: header ? `${rows} WHERE __lb_line > 1` : rows, columns: names }
}

/**
 * Column types inferred from the values of `raw` (Spark's inferSchema order): whole numbers BIGINT, other numbers
 * DOUBLE, true/false BOOLEAN, yyyy-MM-dd DATE, date-times TIMESTAMP, anything else (or no value at all) VARCHAR.
 */
export async function inferCsvTypes(session: DuckdbSession, raw: RawCsv[]): Promise<SourceSchemaColumn[]> {
  const names: string[] = []
  for (const r of raw) for (const c of r.columns) if (!names.some((n) => n.toLowerCase() === c.toLowerCase())) names.push(c)
  if (names.length === 0) return []
  const union = raw.map((r) => `SELECT ${names.map((n) => (r.columns.includes(n) ? sqlIdent(n) : `CAST(NULL AS VARCHAR) AS ${sqlIdent(n)}`)).join(', ')} FROM (${r.sql})`).join(' UNION ALL ')
  const checks = names.map((n, i) => {
    const v = `trim(${sqlIdent(n)})`
    return [
      `count(${v})::BIGINT AS c${i}`,
      `coalesce(bool_and(regexp_full_match(${v}, '[+-]?[0-9]+') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL), false) AS i${i}`,
      `coalesce(bool_and(regexp_full_match(${v}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')), false) AS d${i}`,
      `coalesce(bool_and(lower(${v}) IN ('true', 'false')), false) AS b${i}`,
      `coalesce(bool_and(regexp_full_match(${v}, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') AND TRY_CAST(${v} AS DATE) IS NOT NULL), false) AS dt${i}`,
      `coalesce(bool_and(regexp_full_match(${v}, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ].*') AND TRY_CAST(${v} AS TIMESTAMP) IS NOT NULL), false) AS ts${i}`
    ].join(', ')
  })
  const stats = (await session.query(`SELECT ${checks.join(', ')} FROM (${union})`))[0]!
  return names.map((name, i) => {
    const type = Number(stats[`c${i}`]) === 0 ? 'VARCHAR'
      : stats[`i${i}`] === true ? 'BIGINT'
        : stats[`d${i}`] === true ? 'DOUBLE'
          : stats[`b${i}`] === true ? 'BOOLEAN'
            : stats[`dt${i}`] === true ? 'DATE'
              : stats[`ts${i}`] === true ? 'TIMESTAMP'
                : 'VARCHAR'
    return { name, type }
  })
}
