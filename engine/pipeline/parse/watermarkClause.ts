// Parses Databricks' `WATERMARK named_expression DELAY OF interval` clause after a relation in a pipeline query.
import { identifierOf, type Token } from '../../sql/dialect/tokenizer'
import { parseIntervalMs } from '../../stream/eventTime'
import type { WatermarkClause } from '../model'
import { ParseFailure, type StatementSource } from './statementCursor'

/** Interval unit words Spark accepts in interval literals (MONTH and YEAR parse but are refused as delays). */
const UNITS = new Set([
  'MILLISECOND', 'MILLISECONDS', 'SECOND', 'SECONDS', 'MINUTE', 'MINUTES',
  'HOUR', 'HOURS', 'DAY', 'DAYS', 'WEEK', 'WEEKS', 'MONTH', 'MONTHS', 'YEAR', 'YEARS'
])
/** Words that end the clause: an alias keyword or the next clause of the query. */
const END_WORDS = new Set(['AS', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'ON', 'USING', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY', 'NATURAL', 'LATERAL'])

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s
const isWord = (t: Token | undefined, ...w: string[]): boolean => t !== undefined && t.kind === 'word' && w.includes(t.value)

/**
 * Reads the clause starting at `tokens[at]` (the WATERMARK keyword) up to `to`. Accepted forms (Databricks "WATERMARK
 * clause"): `WATERMARK ts DELAY OF INTERVAL 10 MINUTES`, `WATERMARK to_timestamp(s) AS ts DELAY OF INTERVAL '10' MINUTE`,
 * `... DELAY OF INTERVAL '10 minutes'`, several `<n> <unit>` pairs (`INTERVAL 1 HOUR 30 MINUTES`). Spans are relative to
 * `queryStart`. A bad interval (unknown unit, zero, a month or more) does not throw: the clause carries `problem` and
 * `delayMs: null` so validate reports it at `delayLocation`.
 * @returns the clause and the index of the first token after it.
 * @throws ParseFailure when DELAY OF is missing, the event-time expression is empty, or an expression has no `AS name`
 *   (Spark's REQUIRES_EXPLICIT_NAME_IN_WATERMARK_CLAUSE).
 */
export function parseWatermarkClause(source: StatementSource, tokens: readonly Token[], at: number, to: number, queryStart: number): { clause: WatermarkClause; next: number } {
  const keyword = tokens[at]!
  let depth = 0
  let delay = -1
  for (let k = at + 1; k < to; k++) {
    if (isSym(tokens[k], '(')) depth++
    else if (isSym(tokens[k], ')')) depth--
    else if (depth === 0 && isWord(tokens[k], 'DELAY') && isWord(tokens[k + 1], 'OF')) { delay = k; break }
    if (depth < 0) break
  }
  if (delay < 0) throw new ParseFailure('expected DELAY OF <interval> after WATERMARK <event time column>', keyword.start)
  const exprTokens = tokens.slice(at + 1, delay)
  if (exprTokens.length === 0) throw new ParseFailure('expected the event-time column after WATERMARK', tokens[delay]!.start)
  const named = namedExpression(source, exprTokens)
  let k = delay + 2
  const intervalStart = tokens[k]
  if (isWord(tokens[k], 'INTERVAL')) k++
  const parts: string[] = []
  let refused: string | undefined
  while (k < to && (tokens[k]!.kind === 'number' || tokens[k]!.kind === 'string')) {
    parts.push(tokens[k]!.kind === 'string' ? tokens[k]!.value : tokens[k]!.text)
    k++
    // A word after a bare number ('10' or 10) is its unit, a wrong one included, so `INTERVAL 10 FORTNIGHTS` is reported
    // rather than read as an alias; after a literal that names its unit ('10 minutes') only a real unit word is taken.
    const unit = tokens[k]
    const bare = /^\s*\d+(\.\d+)?\s*$/.test(parts[parts.length - 1]!)
    if (unit && unit.kind === 'word' && (UNITS.has(unit.value) || (bare && !END_WORDS.has(unit.value)))) {
      if (/^(MONTH|YEAR)S?$/.test(unit.value)) refused = `${unit.text}: a watermark delay must be less than a month`
      parts.push(unit.text)
      k++
    }
  }
  const last = tokens[k - 1]!
  const delayText = intervalStart && k > delay + 2 ? source.text.slice(intervalStart.start, last.end) : ''
  const clause: WatermarkClause = {
    column: named.column,
    delayMs: null,
    delayText,
    span: { start: keyword.start - queryStart, end: (k > delay + 2 ? last : tokens[delay + 1]!).end - queryStart },
    location: source.locate(keyword.start),
    delayLocation: source.locate((intervalStart ?? tokens[delay + 1]!).start)
  }
  if (named.expression !== undefined) clause.expression = named.expression
  if (parts.length === 0) clause.problem = `expected an interval literal after DELAY OF, such as INTERVAL 10 MINUTES`
  else if (refused) clause.problem = refused
  else {
    const text = parts.join(' ')
    try {
      clause.delayMs = parseIntervalMs(text, { positive: true })
    } catch (e) {
      clause.problem = `${(e as Error).message.replace(/^INVALID_INTERVAL: /, '')} (e.g. INTERVAL 10 MINUTES)`
    }
  }
  if (clause.problem) clause.delayMs = null
  return { clause, next: k }
}

/** `ts`, `s.ts`, `` `event ts` `` or `expr AS name`. */
function namedExpression(source: StatementSource, exprTokens: Token[]): { column: string; expression?: string } {
  const n = exprTokens.length
  if (n >= 3 && isWord(exprTokens[n - 2], 'AS')) {
    const name = identifierOf(exprTokens[n - 1]!)
    if (name === null) throw new ParseFailure('expected a name after AS in the WATERMARK clause', exprTokens[n - 1]!.start)
    return { column: name, expression: source.text.slice(exprTokens[0]!.start, exprTokens[n - 3]!.end) }
  }
  const dotted = exprTokens.every((t, i) => (i % 2 === 0 ? identifierOf(t) !== null && t.kind !== 'string' : isSym(t, '.'))) && n % 2 === 1
  if (!dotted) {
    throw new ParseFailure('a WATERMARK expression needs a name: WATERMARK <expression> AS <name> DELAY OF ... (REQUIRES_EXPLICIT_NAME_IN_WATERMARK_CLAUSE)', exprTokens[0]!.start)
  }
  return { column: identifierOf(exprTokens[n - 1]!)! }
}
