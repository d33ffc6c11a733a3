// statementAtCursor: finds the `;`-separated statements of a script and picks what Run should execute.

/** A statement's place in the script: [start, end) excludes the terminating `;`. */
export interface StatementSpan {
  start: number
  end: number
  text: string
}

export type RunScope = 'selection' | 'statement' | 'all'

/**
 * Splits `sql` at top-level semicolons. Semicolons inside '…', "…", `…` quotes and -- / block comments do not split.
 * Statements that are only whitespace and comments are dropped.
 */
export function splitStatementSpans(sql: string): StatementSpan[] {
  const spans: StatementSpan[] = []
  let start = 0
  let i = 0
  const push = (end: number) => {
    const text = sql.slice(start, end)
    if (!isBlank(text)) spans.push({ start, end, text })
  }
  while (i < sql.length) {
    const c = sql[i]!
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c)
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i)
      i = newline === -1 ? sql.length : newline + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2)
      i = close === -1 ? sql.length : close + 2
    } else if (c === ';') {
      push(i)
      start = i + 1
      i++
    } else {
      i++
    }
  }
  push(sql.length)
  return spans
}

/**
 * What Run executes: the selection when there is one; else the statement under the cursor (a cursor just after a
 * statement's `;`, or on blank lines after it, still means that statement); else the whole script.
 * Offsets are character offsets into `sql`.
 */
export function pickSqlToRun(sql: string, selection: { start: number; end: number }, cursor: number): RunTarget {
  const selectionStart = Math.min(selection.start, selection.end)
  const selected = sql.slice(selectionStart, Math.max(selection.start, selection.end))
  if (!isBlank(selected)) return trimmed(selected, selectionStart, 'selection')
  const spans = splitStatementSpans(sql)
  const inside = spans.find((s) => cursor >= s.start && cursor <= s.end + 1)
  const before = [...spans].reverse().find((s) => s.end < cursor)
  const chosen = inside ?? before ?? spans[0]
  if (chosen && spans.length > 1) return trimmed(chosen.text, chosen.start, 'statement')
  return trimmed(sql, 0, 'all')
}

/** What Run executes and where it starts in the editor's text (so engine line/column map back onto the editor). */
export interface RunTarget {
  sql: string
  scope: RunScope
  /** Offset in the editor's text of the first character of `sql`. */
  offset: number
}

function trimmed(text: string, start: number, scope: RunScope): RunTarget {
  return { sql: text.trim(), scope, offset: start + (text.length - text.trimStart().length) }
}

/**
 * Where an engine error's 1-based `line`/`column` (counted in the text that ran) falls in the editor's text, as a
 * 1-based line/column there. `column` may be absent (then it stays absent).
 */
export function locateInEditor(text: string, offset: number, at: { line: number; column?: number }): { line: number; column?: number } {
  const before = text.slice(0, offset)
  const baseLine = before.split('\n').length
  const baseColumn = offset - (before.lastIndexOf('\n') + 1) + 1
  const line = baseLine + at.line - 1
  if (at.column === undefined) return { line }
  return { line, column: at.line === 1 ? baseColumn + at.column - 1 : at.column }
}

function isBlank(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === ''
}

function skipQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1
  while (i < sql.length) {
    if (sql[i] === '\\' && quote !== '`') {
      i += 2
    } else if (sql[i] === quote) {
      // A doubled quote is an escaped quote inside the literal.
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else {
      i++
    }
  }
  return sql.length
}
