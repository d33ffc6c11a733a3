// Turns a DuckDB error message into one line that names the user's table and the line/column in the user's text.
import { positionOf } from './dialect/textEdits'
import type { Token } from './dialect/tokenizer'

/** What is known about the SQL DuckDB ran when it failed. */
export interface DuckdbErrorContext {
  /** The statement's tokens as the user wrote them. */
  tokens: readonly Token[]
  /** The SQL DuckDB ran and how its offsets map back to the user's text, when DuckDB ran the statement itself. */
  rendered?: { sql: string; sourceOffset(offset: number): number }
  /** The table a binder view shows (`silver.workouts@v3`), for view names in messages. */
  tableOfView(view: string): string | undefined
  /** The table whose folder holds a data file, for file errors. */
  tableOfFile(file: string): string | undefined
}

export interface LocatedError {
  message: string
  line: number
  column?: number
  /** The data file DuckDB could not read, and the Delta table it belongs to. */
  file?: string
  table?: string
}

/** DuckDB prints `LINE n: <text>` and a caret under the failing character (the text may be cut with `...`). */
const CARET = /\nLINE (\d+): (.*)\n( *)\^/

/** The character offset in `sql` that DuckDB's caret points at, or undefined when it cannot be placed. */
function caretOffset(sql: string, lineNumber: number, shown: string, caretColumn: number): number | undefined {
  const lines = sql.split('\n')
  const line = lines[lineNumber - 1]
  if (line === undefined) return undefined
  const lineStart = lines.slice(0, lineNumber - 1).reduce((n, l) => n + l.length + 1, 0)
  if (!shown.startsWith('...')) return lineStart + Math.min(caretColumn, line.length)
  const core = shown.slice(3).replace(/\.\.\.$/, '')
  const at = line.indexOf(core)
  return at < 0 ? undefined : lineStart + at + caretColumn - 3
}

/**
 * Rewrites a DuckDB error: its first line (plus DuckDB's "Candidate bindings" hint), binder view names replaced by
 * the tables they show, and the line/column of the failure in the user's text when DuckDB points at one.
 */
export function locateDuckdbError(raw: string, context: DuckdbErrorContext): LocatedError {
  const baseLine = context.tokens[0]?.line ?? 1
  const lines = raw.split('\n')
  const hint = lines.find((l) => /^(Candidate bindings|Did you mean)/.test(l))
  const named = (text: string): string => text.replace(/"?(__lb_t\d+)"?/g, (_, view: string) => context.tableOfView(view) ?? 'table')
  let message = named(lines[0]! + (hint ? ` (${hint.trim().replace(/:$/, '')})` : ''))
  // A data file of a Delta table that is missing or damaged: say which table (and version) it belongs to.
  const fileMatch = /"([^"]+\.parquet)"|'([^']+\.parquet)'/.exec(raw)
  const file = fileMatch ? fileMatch[1] ?? fileMatch[2] : undefined
  const table = file !== undefined ? context.tableOfFile(file) : undefined
  if (table) message = `${table}: ${message}`
  const found = { ...(file ? { file } : {}), ...(table ? { table: table.replace(/@v\d+$/, '') } : {}) }
  const caret = CARET.exec(raw)
  if (!caret) return { message, line: baseLine, ...found }
  const duckLine = Number(caret[1])
  const line = baseLine + duckLine - 1
  if (!context.rendered) return { message, line, ...found }
  const caretColumn = caret[3]!.length - `LINE ${caret[1]}: `.length
  const offset = caretOffset(context.rendered.sql, duckLine, caret[2]!, caretColumn)
  if (offset === undefined) return { message, line, ...found }
  const position = positionOf(context.tokens, context.rendered.sourceOffset(offset))
  return position ? { message, ...position, ...found } : { message, line, ...found }
}
