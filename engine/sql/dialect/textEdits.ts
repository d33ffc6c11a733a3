// Splicing edits into a statement's tokens for DuckDB, and mapping positions in the result back to the user's text.
import { renderTokens, type Token } from './tokenizer'

/** A source-range replacement in a statement (offsets into the user's text, end exclusive). */
export interface TextEdit {
  start: number
  end: number
  text: string
}

/** SQL for DuckDB plus a way back from an offset in it to the user's text. */
export interface RenderedSql {
  sql: string
  /** The source offset that produced the character at `offset` of `sql` (the edit's start inside replaced text). */
  sourceOffset(offset: number): number
}

interface Segment {
  renderedStart: number
  sourceStart: number
  /** True when the text was copied as written, so offsets inside it map one to one. */
  verbatim: boolean
}

/**
 * Renders tokens with edits applied (by source offset) and backticks turned into DuckDB quotes. An edit replaces
 * every token that starts inside its range (an empty range inserts its text); edits must not overlap. Replacements keep the line count of the text
 * they replace, so DuckDB's line numbers still match the user's text.
 */
export function renderMapped(tokens: readonly Token[], edits: readonly TextEdit[]): RenderedSql {
  // Insertions (start === end) come before a replacement starting at the same offset.
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end)
  const segments: Segment[] = []
  let sql = ''
  let k = 0
  let r = 0
  while (k < tokens.length) {
    const t = tokens[k]!
    const edit = sorted[r]
    if (edit && t.start >= edit.start) {
      let replaced = ''
      while (k < tokens.length && tokens[k]!.start < edit.end) replaced += tokens[k++]!.text
      segments.push({ renderedStart: sql.length, sourceStart: edit.start, verbatim: false })
      sql += edit.text + '\n'.repeat((replaced.match(/\n/g) ?? []).length)
      r++
      continue
    }
    const text = renderTokens([t])
    segments.push({ renderedStart: sql.length, sourceStart: t.start, verbatim: text === t.text })
    sql += text
    k++
  }
  // Insertions after the last token.
  for (; r < sorted.length; r++) {
    segments.push({ renderedStart: sql.length, sourceStart: sorted[r]!.start, verbatim: false })
    sql += sorted[r]!.text
  }
  return {
    sql,
    sourceOffset(offset: number): number {
      let lo = 0
      let hi = segments.length - 1
      if (hi < 0) return 0
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (segments[mid]!.renderedStart <= offset) lo = mid
        else hi = mid - 1
      }
      const s = segments[lo]!
      return s.verbatim ? s.sourceStart + Math.max(0, offset - s.renderedStart) : s.sourceStart
    }
  }
}

/** Renders tokens with edits applied; see renderMapped. */
export function renderWithEdits(tokens: readonly Token[], edits: readonly TextEdit[]): string {
  return renderMapped(tokens, edits).sql
}

/** The 1-based line and column of a source offset, from the tokens that cover it. */
export function positionOf(tokens: readonly Token[], offset: number): { line: number; column: number } | undefined {
  const t = tokens.find((x) => x.start <= offset && offset < x.end) ?? tokens.find((x) => x.start >= offset)
  if (!t) return undefined
  const before = t.text.slice(0, Math.max(0, offset - t.start))
  const newline = before.lastIndexOf('\n')
  if (newline < 0) return { line: t.line, column: t.column + before.length }
  return { line: t.line + (before.match(/\n/g) ?? []).length, column: before.length - newline }
}
