// Recognises a streaming table's event-time shape: a windowed aggregation over one watermarked stream, or a form we refuse.
import { identifierOf, isSignificant, tokenize, type Token } from '../../sql/dialect/tokenizer'
import { aliased, closes, isSym, isWord, norm, sliceQuery, splitTopCommas, textOf, topLevel } from './queryTokens'
import type { AggregateFunction } from '../../stream/eventTime'
import type { Query, SourceLocation, WatermarkClause } from '../model'
import { streamJoinShapeOf, type StreamJoinPlan } from './joinQuery'

export interface WindowKey {
  /** The grouping expression as written. */
  expression: string
  /** Output column name (alias, column name, or the expression text); undefined when not selected. */
  name?: string
}

export interface WindowAggregate {
  fn: AggregateFunction
  /** The argument as written; absent for count(*) / count(1). */
  argument?: string
  name: string
}

/** `SELECT window(ts, ...) AS w, keys..., aggregates... FROM <one watermarked stream> [WHERE ...] GROUP BY window(...), keys`. */
export interface WindowedAggregation {
  kind: 'window' | 'session'
  watermark: WatermarkClause
  /** The time column written inside window()/session_window(). */
  timeColumn: string
  /** window: size [and slide]; session: the gap. Interval strings as written. */
  size: string
  slide?: string
  /** Output name of the window struct column. */
  windowName: string
  keys: WindowKey[]
  aggregates: WindowAggregate[]
  /** Output columns in SELECT order. */
  output: ({ kind: 'window' } | { kind: 'key'; index: number } | { kind: 'aggregate'; index: number })[]
  /** `SELECT *, <key i> AS _etp_k<i>, <argument j> AS _etp_v<j>` over the query's FROM and WHERE: the operator's input. */
  input: Query
  location: SourceLocation
}

/** none: no watermark (runs as before); stateless: a watermark but nothing stateful (Spark ignores it there). */
export type EventTimeShape =
  | { kind: 'none' }
  | { kind: 'stateless' }
  | { kind: 'window'; plan: WindowedAggregation }
  | { kind: 'join'; plan: StreamJoinPlan }
  | { kind: 'unsupported'; message: string; location: SourceLocation }

const AGGREGATES: Record<string, AggregateFunction> = { COUNT: 'count', SUM: 'sum', MIN: 'min', MAX: 'max', AVG: 'avg', MEAN: 'avg' }
const OTHER_AGGREGATES = new Set(['COLLECT_LIST', 'COLLECT_SET', 'APPROX_COUNT_DISTINCT', 'FIRST', 'LAST', 'STDDEV', 'VARIANCE', 'COUNT_IF', 'ANY_VALUE', 'PERCENTILE', 'MEDIAN'])
const TOP_CLAUSES = new Set(['HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'QUALIFY', 'WINDOW', 'CLUSTER', 'DISTRIBUTE', 'SORT'])

/** A clause keyword (WINDOW as a clause: not the window() function, not an alias `AS window`). */
const isClause = (tokens: Token[], i: number): boolean =>
  tokens[i]!.kind === 'word' && TOP_CLAUSES.has(tokens[i]!.value) && !isSym(tokens[i + 1], '(') && !isWord(tokens[i - 1], 'AS') && !isSym(tokens[i + 1], ',')

/**
 * Classifies a streaming table's query. Only queries that carry a WATERMARK clause are looked at; the others are `none`.
 * A watermarked query that groups by window()/session_window() must read exactly one stream, with plain
 * count/sum/min/max/avg select items (DISTINCT, HAVING, ORDER BY, LIMIT, set operations and nested aggregates are
 * refused), and is then planned for the event-time operators. Two watermarked streams joined is the stream-stream join
 * form (see streamJoinShapeOf). Never throws.
 */
export function eventTimeShapeOf(query: Query): EventTimeShape {
  const watermarked = [...query.references, ...query.fileSources].filter((s) => s.watermark !== undefined)
  if (watermarked.length === 0) return { kind: 'none' }
  const first = watermarked[0]!.watermark!
  const tokens = tokenize(query.sql).filter(isSignificant)
  const top = topLevel(tokens)
  const groupBy = top.findIndex((i) => isWord(tokens[i], 'GROUP') && isWord(tokens[i + 1], 'BY'))
  const windowCall = tokens.findIndex((t, i) => isWord(t, 'WINDOW', 'SESSION_WINDOW') && isSym(tokens[i + 1], '('))
  if (watermarked.length > 1) return streamJoinShapeOf(query, watermarked)
  const streams = [...query.references, ...query.fileSources].filter((s) => s.streaming)
  if (streams.length > 1) {
    return unsupported(first, 'a join of two streams needs a WATERMARK on both (and an event-time bound in ON) to run as a stream-stream join')
  }
  if (groupBy < 0 || windowCall < 0) return groupBy < 0 && !hasAggregate(tokens) ? { kind: 'stateless' } : unsupported(first, 'a watermarked streaming aggregation must group by window(ts, size[, slide]) or session_window(ts, gap) on the watermarked column')
  if (!isWord(tokens[0], 'SELECT')) return unsupported(first, 'a windowed streaming table must be a single SELECT ... FROM ... GROUP BY query (no WITH or set operations)')
  if (isWord(tokens[1], 'DISTINCT')) return unsupported(first, 'SELECT DISTINCT is not supported in a windowed streaming table')
  const fromIndex = top.find((i) => isWord(tokens[i], 'FROM'))
  if (fromIndex === undefined) return unsupported(first, 'expected FROM')
  const refusedClause = top.filter((i) => i > fromIndex && isClause(tokens, i)).map((i) => tokens[i]!)[0]
  if (refusedClause) return unsupported(first, `${refusedClause.text} is not supported in a windowed streaming table (its rows are final windows appended once)`)
  const groupStart = top[groupBy]!
  const selectItems = splitTopCommas(tokens, 1, fromIndex).map((item) => aliased(query.sql, item))
  const groupEnd = top.find((i) => i > groupStart + 1 && isClause(tokens, i)) ?? tokens.length
  const groupItems = splitTopCommas(tokens, groupStart + 2, groupEnd).map((item) => textOf(query.sql, item))
  const groupAll = groupItems.length === 1 && norm(groupItems[0]!) === 'all'

  let windowItem: { kind: 'window' | 'session'; timeColumn: string; size: string; slide?: string; name: string; text: string } | undefined
  const keys: WindowKey[] = []
  const aggregates: WindowAggregate[] = []
  const output: WindowedAggregation['output'] = []
  for (const item of selectItems) {
    const head = item.tokens[0]!
    if (isWord(head, 'WINDOW', 'SESSION_WINDOW') && isSym(item.tokens[1], '(') && isSym(item.tokens.at(-1), ')')) {
      const args = splitTopCommas(item.tokens, 2, item.tokens.length - 1)
      const strings = args.slice(1).map((a) => (a.length === 1 && a[0]!.kind === 'string' ? a[0]!.value : undefined))
      const session = head.value === 'SESSION_WINDOW'
      if (args.length < 2 || args.length > (session ? 2 : 3) || strings.some((s) => s === undefined) || args[0]!.some((t) => t.kind !== 'word' && t.kind !== 'quotedIdent' && !isSym(t, '.'))) {
        return unsupported(first, `${head.text}(...) needs a column and ${session ? 'a gap' : 'a size [and a slide]'} as string literals, e.g. ${session ? "session_window(ts, '5 minutes')" : "window(ts, '10 minutes')"}`)
      }
      if (windowItem) return unsupported(first, 'only one window()/session_window() column is supported')
      windowItem = { kind: session ? 'session' : 'window', timeColumn: identifierOf(args[0]!.at(-1)!)!, size: strings[0]!, ...(strings[1] ? { slide: strings[1] } : {}), name: item.alias ?? head.text.toLowerCase(), text: item.expression }
      output.push({ kind: 'window' })
      continue
    }
    const fn = head.kind === 'word' ? AGGREGATES[head.value] : undefined
    if (fn && isSym(item.tokens[1], '(') && isSym(item.tokens.at(-1), ')') && closes(item.tokens, 1) === item.tokens.length - 1) {
      const inner = item.tokens.slice(2, -1)
      if (isWord(inner[0], 'DISTINCT')) return unsupported(first, `${head.text}(DISTINCT ...) is not supported in a windowed streaming table`)
      const star = inner.length === 1 && (isSym(inner[0], '*') || (inner[0]!.kind === 'number' && fn === 'count'))
      if (star && fn !== 'count') return unsupported(first, `${item.expression} needs a column`)
      const argument = star ? undefined : textOf(query.sql, inner)
      aggregates.push({ fn, ...(argument !== undefined ? { argument } : {}), name: item.alias ?? (star ? 'count(1)' : item.expression) })
      output.push({ kind: 'aggregate', index: aggregates.length - 1 })
      continue
    }
    const nested = item.tokens.find((t, i) => t.kind === 'word' && (AGGREGATES[t.value] || OTHER_AGGREGATES.has(t.value)) && isSym(item.tokens[i + 1], '('))
    if (nested) return unsupported(first, `${item.expression}: only plain count/sum/min/max/avg(...) select items are supported in a windowed streaming table`)
    const matches = groupAll || groupItems.some((g) => norm(g) === norm(item.expression) || (item.alias !== undefined && norm(g) === norm(item.alias)))
    if (!matches) return unsupported(first, `${item.expression} is neither grouped nor an aggregate`)
    const plainName = item.tokens.length === 1 || (item.tokens.length === 3 && isSym(item.tokens[1], '.')) ? identifierOf(item.tokens.at(-1)!) ?? undefined : undefined
    keys.push({ expression: item.expression, name: item.alias ?? plainName ?? item.expression })
    output.push({ kind: 'key', index: keys.length - 1 })
  }
  if (!windowItem) return unsupported(first, 'select the window()/session_window() column you group by')
  if (!groupAll) {
    for (const g of groupItems) {
      const isWindow = norm(g) === norm(windowItem.text) || norm(g) === norm(windowItem.name)
      const known = keys.some((k) => norm(k.expression) === norm(g) || (k.name !== undefined && norm(k.name) === norm(g)))
      if (!isWindow && !known) keys.push({ expression: g })
    }
  }
  if (aggregates.length === 0) return unsupported(first, 'a windowed streaming table needs at least one aggregate (count/sum/min/max/avg)')
  const extra = [...keys.map((k, i) => `(${k.expression}) AS _etp_k${i}`), ...aggregates.flatMap((a, j) => (a.argument !== undefined ? [`(${a.argument}) AS _etp_v${j}`] : []))]
  const prefix = `SELECT *${extra.map((e) => `, ${e}`).join('')} `
  const from = tokens[fromIndex]!.start
  const to = tokens[groupStart]!.start
  const input = sliceQuery(query, from, to, prefix)
  const { kind, timeColumn, size, slide, name } = windowItem
  return { kind: 'window', plan: { kind, watermark: first, timeColumn, size, ...(slide ? { slide } : {}), windowName: name, keys, aggregates, output, input, location: query.location } }
}

function unsupported(watermark: WatermarkClause, message: string): EventTimeShape {
  return { kind: 'unsupported', message, location: watermark.location }
}

function hasAggregate(tokens: Token[]): boolean {
  return tokens.some((t, i) => t.kind === 'word' && (AGGREGATES[t.value] !== undefined || OTHER_AGGREGATES.has(t.value)) && isSym(tokens[i + 1], '('))
}
