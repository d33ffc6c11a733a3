// Token helpers shared by the event-time query recognisers (windows, stream-stream joins): brackets, commas, clauses, locations.
import { identifierOf, type Token } from '../../sql/dialect/tokenizer'
import type { Query, SourceLocation, WatermarkClause } from '../model'

/** True when `t` is the punctuation or operator `s`. */
export const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s
/** True when `t` is one of the keywords `w` (unquoted, case-insensitive). */
export const isWord = (t: Token | undefined, ...w: string[]): boolean => t !== undefined && t.kind === 'word' && w.includes(t.value)
/** Text compared ignoring spaces and case. */
export const norm = (text: string): string => text.replace(/\s+/g, '').toLowerCase()

/** Indexes of tokens at bracket depth 0. */
export function topLevel(tokens: Token[]): number[] {
  const out: number[] = []
  let depth = 0
  tokens.forEach((t, i) => {
    if (isSym(t, '(')) depth++
    else if (isSym(t, ')')) depth--
    else if (depth === 0) out.push(i)
  })
  return out
}

/** Index of the bracket closing the one at `open`, or -1. */
export function closes(tokens: Token[], open: number): number {
  let depth = 0
  for (let k = open; k < tokens.length; k++) {
    if (isSym(tokens[k], '(')) depth++
    else if (isSym(tokens[k], ')') && --depth === 0) return k
  }
  return -1
}

/** Tokens [from, to) split at commas outside brackets. */
export function splitTopCommas(tokens: Token[], from: number, to: number): Token[][] {
  const out: Token[][] = []
  let current: Token[] = []
  let depth = 0
  for (let k = from; k < to; k++) {
    const t = tokens[k]!
    if (isSym(t, '(')) depth++
    else if (isSym(t, ')')) depth--
    if (depth === 0 && isSym(t, ',')) { out.push(current); current = [] } else current.push(t)
  }
  if (current.length > 0) out.push(current)
  return out
}

/**
 * Tokens split at AND outside brackets, the AND of `x BETWEEN a AND b` excepted: the conjuncts of a condition.
 * An OR anywhere at depth 0 keeps the whole condition as one conjunct (it cannot be split).
 */
export function splitTopAnds(tokens: Token[]): Token[][] {
  const out: Token[][] = []
  let current: Token[] = []
  let depth = 0
  let between = false
  for (const t of tokens) {
    if (isSym(t, '(')) depth++
    else if (isSym(t, ')')) depth--
    if (depth === 0 && isWord(t, 'BETWEEN')) between = true
    if (depth === 0 && isWord(t, 'AND')) {
      if (between) between = false
      else { out.push(current); current = []; continue }
    }
    current.push(t)
  }
  if (current.length > 0) out.push(current)
  return out
}

/** The query text the tokens span, as written. */
export function textOf(sql: string, tokens: Token[]): string {
  return sql.slice(tokens[0]!.start, tokens.at(-1)!.end)
}

/** `expr [AS] alias` -> expression tokens and alias. */
export function aliased(sql: string, item: Token[]): { tokens: Token[]; expression: string; alias?: string } {
  const n = item.length
  if (n >= 3 && isWord(item[n - 2], 'AS') && identifierOf(item[n - 1]!) !== null) {
    const tokens = item.slice(0, n - 2)
    return { tokens, expression: textOf(sql, tokens), alias: identifierOf(item[n - 1]!)! }
  }
  if (n >= 2 && (item[n - 1]!.kind === 'word' || item[n - 1]!.kind === 'quotedIdent') && (isSym(item[n - 2], ')') || item[n - 2]!.kind === 'word' || item[n - 2]!.kind === 'quotedIdent')) {
    const tokens = item.slice(0, n - 1)
    return { tokens, expression: textOf(sql, tokens), alias: identifierOf(item[n - 1]!)! }
  }
  return { tokens: item, expression: textOf(sql, item) }
}

/** Where token `t` of `query.sql` is in its pipeline file. */
export function locationOfToken(query: Query, t: Token): SourceLocation {
  const { file, line, column } = query.location
  return t.line === 1 ? { file, line, column: column + t.column - 1 } : { file, line: line + t.line - 1, column: t.column }
}

/**
 * A query made of `prefix` + query.sql[from, to) + `suffix`, keeping the references, file sources and WATERMARK clauses
 * inside that range (their spans shifted), so it renders like the original would there.
 */
export function sliceQuery(query: Query, from: number, to: number, prefix: string, suffix = ''): Query {
  const shift = prefix.length - from
  const moved = (span: { start: number; end: number }) => ({ start: span.start + shift, end: span.end + shift })
  const within = <T extends { span: { start: number; end: number }; watermark?: WatermarkClause }>(items: T[]): T[] =>
    items.filter((x) => x.span.start >= from && x.span.end <= to).map((x) => ({
      ...x, span: moved(x.span), ...(x.watermark ? { watermark: { ...x.watermark, span: moved(x.watermark.span) } } : {})
    }))
  return { sql: prefix + query.sql.slice(from, to) + suffix, location: query.location, references: within(query.references), fileSources: within(query.fileSources) }
}
