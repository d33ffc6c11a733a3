// Recognises a streaming table's event-time shape: a windowed aggregation over one watermarked stream, or a form we refuse.
import { identifierOf, isSignificant, tokenize, type Token } from '../../sql/dialect/tokenizer'
import type { AggregateFunction } from '../../stream/eventTime'
import type { Query, SourceLocation, WatermarkClause } from '../model'

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
  | { kind: 'unsupported'; message: string; location: SourceLocation }

const AGGREGATES: Record<string, AggregateFunction> = { COUNT: 'count', SUM: 'sum', MIN: 'min', MAX: 'max', AVG: 'avg', MEAN: 'avg' }
const OTHER_AGGREGATES = new Set(['COLLECT_LIST', 'COLLECT_SET', 'APPROX_COUNT_DISTINCT', 'FIRST', 'LAST', 'STDDEV', 'VARIANCE', 'COUNT_IF', 'ANY_VALUE', 'PERCENTILE', 'MEDIAN'])
const TOP_CLAUSES = new Set(['HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'QUALIFY', 'WINDOW', 'CLUSTER', 'DISTRIBUTE', 'SORT'])

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s
const isWord = (t: Token | undefined, ...w: string[]): boolean => t !== undefined && t.kind === 'word' && w.includes(t.value)
const norm = (text: string): string => text.replace(/\s+/g, '').toLowerCase()
/** A clause keyword (WINDOW as a clause: not the window() function, not an alias `AS window`). */
const isClause = (tokens: Token[], i: number): boolean =>
  tokens[i]!.kind === 'word' && TOP_CLAUSES.has(tokens[i]!.value) && !isSym(tokens[i + 1], '(') && !isWord(tokens[i - 1], 'AS') && !isSym(tokens[i + 1], ',')

/**
 * Classifies a streaming table's query. Only queries that carry a WATERMARK clause are looked at; the others are `none`.
 * A watermarked query that groups by window()/session_window() must read exactly one stream, with plain
 * count/sum/min/max/avg select items (DISTINCT, HAVING, ORDER BY, LIMIT, set operations and nested aggregates are
 * refused), and is then planned for the event-time operators. Two watermarked streams joined is the stream-stream join
 * form, refused as unsupported here. Never throws.
 */
export function eventTimeShapeOf(query: Query): EventTimeShape {
  const watermarked = [...query.references, ...query.fileSources].filter((s) => s.watermark !== undefined)
  if (watermarked.length === 0) return { kind: 'none' }
  const first = watermarked[0]!.watermark!
  const tokens = tokenize(query.sql).filter(isSignificant)
  const top = topLevel(tokens)
  const groupBy = top.findIndex((i) => isWord(tokens[i], 'GROUP') && isWord(tokens[i + 1], 'BY'))
  const windowCall = tokens.findIndex((t, i) => isWord(t, 'WINDOW', 'SESSION_WINDOW') && isSym(tokens[i + 1], '('))
  if (watermarked.length > 1) {
    return { kind: 'unsupported', location: watermarked[1]!.watermark!.location, message: 'a join of two watermarked streams (stream-stream join with an event-time bound) is not supported in pipeline streaming tables yet; run it as a materialized view over the two tables, or join one stream to a table' }
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
  const shift = prefix.length - from
  const within = <T extends { span: { start: number; end: number }; watermark?: WatermarkClause }>(items: T[]): T[] =>
    items.filter((x) => x.span.start >= from && x.span.end <= to).map((x) => ({
      ...x, span: { start: x.span.start + shift, end: x.span.end + shift },
      ...(x.watermark ? { watermark: { ...x.watermark, span: { start: x.watermark.span.start + shift, end: x.watermark.span.end + shift } } } : {})
    }))
  const input: Query = { sql: prefix + query.sql.slice(from, to), location: query.location, references: within(query.references), fileSources: within(query.fileSources) }
  const { kind, timeColumn, size, slide, name } = windowItem
  return { kind: 'window', plan: { kind, watermark: first, timeColumn, size, ...(slide ? { slide } : {}), windowName: name, keys, aggregates, output, input, location: query.location } }
}

function unsupported(watermark: WatermarkClause, message: string): EventTimeShape {
  return { kind: 'unsupported', message, location: watermark.location }
}

/** Indexes of tokens at bracket depth 0. */
function topLevel(tokens: Token[]): number[] {
  const out: number[] = []
  let depth = 0
  tokens.forEach((t, i) => {
    if (isSym(t, '(')) depth++
    else if (isSym(t, ')')) depth--
    else if (depth === 0) out.push(i)
  })
  return out
}

function hasAggregate(tokens: Token[]): boolean {
  return tokens.some((t, i) => t.kind === 'word' && (AGGREGATES[t.value] !== undefined || OTHER_AGGREGATES.has(t.value)) && isSym(tokens[i + 1], '('))
}

/** Index of the bracket closing the one at `open`. */
function closes(tokens: Token[], open: number): number {
  let depth = 0
  for (let k = open; k < tokens.length; k++) {
    if (isSym(tokens[k], '(')) depth++
    else if (isSym(tokens[k], ')') && --depth === 0) return k
  }
  return -1
}

function splitTopCommas(tokens: Token[], from: number, to: number): Token[][] {
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

function textOf(sql: string, tokens: Token[]): string {
  return sql.slice(tokens[0]!.start, tokens.at(-1)!.end)
}

/** `expr [AS] alias` -> expression tokens and alias. */
function aliased(sql: string, item: Token[]): { tokens: Token[]; expression: string; alias?: string } {
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
