// Recognises a streaming table's stream-stream join: two watermarked streams joined on keys and an event-time bound.
import { identifierOf, isSignificant, tokenize, type Token } from '../../sql/dialect/tokenizer'
import { EventTimeError, parseIntervalMs } from '../../stream/eventTime'
import type { DatasetReference, FileSource, Query, SourceLocation, WatermarkClause } from '../model'
import { isSym, isWord, locationOfToken, sliceQuery, splitTopAnds, textOf, topLevel } from './queryTokens'

/** One input of the join. */
export interface JoinSidePlan {
  /** The alias the query gives the stream (`s` in `STREAM(x) WATERMARK ... AS s`). */
  alias: string
  watermark: WatermarkClause
  /** `SELECT * FROM <the stream with its WATERMARK clause>`: every row of the side, what its watermark observes. */
  input: Query
  /** Conditions over `alias` only (Spark SQL as written), applied to the side before the join. */
  filters: string[]
}

/**
 * `SELECT <items over a and b> FROM <stream> WATERMARK ... AS a [INNER | LEFT [OUTER]] JOIN <stream> WATERMARK ... AS b
 * ON a.k = b.k [AND ...] AND <event-time bound> [WHERE ...]`, planned for IntervalJoin.
 */
export interface StreamJoinPlan {
  type: 'inner' | 'leftOuter'
  left: JoinSidePlan
  right: JoinSidePlan
  /** Equality keys, as column names of each side. */
  keys: { left: string; right: string }[]
  /** right.time - left.time lies in [lowerMs, upperMs]. */
  bounds: { lowerMs: number; upperMs: number }
  /** The SELECT list as written: Spark SQL over the two aliases, each a struct of its side's columns when run. */
  select: string
  /** Inner joins only: conditions over both aliases (or strict time bounds), applied to the joined rows. */
  residual: string[]
  location: SourceLocation
}

export type JoinShape = { kind: 'join'; plan: StreamJoinPlan } | { kind: 'unsupported'; message: string; location: SourceLocation }

const SUPPORTED = 'supported: SELECT ... FROM STREAM(a) WATERMARK t DELAY OF ... AS x [INNER | LEFT [OUTER]] JOIN STREAM(b) WATERMARK t DELAY OF ... AS y ' +
  'ON x.k = y.k [AND ...] AND y.t BETWEEN x.t [+/- INTERVAL ...] AND x.t + INTERVAL ... [WHERE ...]'
const CLAUSES = new Set(['GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'QUALIFY', 'CLUSTER', 'DISTRIBUTE', 'SORT'])
const AGGREGATE = /^(COUNT|SUM|MIN|MAX|AVG|MEAN|COLLECT_LIST|COLLECT_SET|APPROX_COUNT_DISTINCT|FIRST|LAST|STDDEV|VARIANCE|COUNT_IF|ANY_VALUE|PERCENTILE|MEDIAN|WINDOW|SESSION_WINDOW)$/
const NOT_ALIAS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'ON', 'USING', 'WHERE', 'NATURAL', 'SEMI', 'ANTI', 'GROUP', 'ORDER', 'LIMIT'])

type Source = DatasetReference | FileSource
type Operand = { alias: string; column: string; offsetMs: number }

/**
 * Plans a query that joins two watermarked streams, or says why it cannot run (naming the file:line:column of the
 * offending part and what is supported). Equalities between the two aliases are the join keys; the event-time bound
 * (`BETWEEN`, or `>=` / `<=` pairs, on the two WATERMARK columns, with INTERVAL offsets) must bound both ways so
 * state can be evicted; conditions on one alias filter that side first (for a LEFT OUTER JOIN: left ones from WHERE,
 * right ones from ON); other conditions of an inner join apply to the joined rows. Never throws.
 */
export function streamJoinShapeOf(query: Query, watermarked: Source[]): JoinShape {
  const firstWatermark = watermarked[0]!.watermark!
  const refuse = (message: string, at: SourceLocation = firstWatermark.location): JoinShape => ({ kind: 'unsupported', location: at, message: `stream-stream join: ${message} (${SUPPORTED})` })
  if (watermarked.length !== 2) return refuse(`a stream-stream join takes exactly two watermarked streams, this query has ${watermarked.length}`, watermarked[2]?.watermark!.location)
  let tokens: Token[]
  try {
    tokens = tokenize(query.sql).filter(isSignificant)
  } catch (e) {
    return refuse(`the query cannot be read: ${(e as Error).message}`)
  }
  const at = (t: Token | undefined): SourceLocation => (t ? locationOfToken(query, t) : query.location)
  if (!isWord(tokens[0], 'SELECT')) return refuse('a stream-stream join streaming table must be a single SELECT (no WITH or set operations)', at(tokens[0]))
  if (isWord(tokens[1], 'DISTINCT')) return refuse('SELECT DISTINCT over a stream-stream join is not supported', at(tokens[1]))
  const top = topLevel(tokens)
  const fromIndex = top.find((i) => isWord(tokens[i], 'FROM'))
  if (fromIndex === undefined) return refuse('expected FROM', query.location)
  const clause = top.find((i) => i > fromIndex && tokens[i]!.kind === 'word' && CLAUSES.has(tokens[i]!.value) && !isSym(tokens[i + 1], '('))
  if (clause !== undefined) return refuse(`${tokens[clause]!.text} is not supported on a stream-stream join (its rows are appended as pairs are found; aggregate them in a materialized view)`, at(tokens[clause]))
  const aggregate = tokens.slice(1, fromIndex).find((t, k) => t.kind === 'word' && AGGREGATE.test(t.value) && isSym(tokens[k + 2], '('))
  if (aggregate) return refuse(`${aggregate.text}(...) is not supported in a stream-stream join's SELECT (aggregate the joined table in a materialized view)`, at(aggregate))

  const [a, b] = [...watermarked].sort((x, y) => x.span.start - y.span.start) as [Source, Source]
  const left = relationAt(tokens, fromIndex + 1, a)
  if (typeof left === 'string') return refuse(left, at(tokens[fromIndex + 1]))
  let k = left.next
  let type: StreamJoinPlan['type'] = 'inner'
  if (isWord(tokens[k], 'INNER')) k++
  else if (isWord(tokens[k], 'LEFT')) { type = 'leftOuter'; k += isWord(tokens[k + 1], 'OUTER') ? 2 : 1 }
  if (!isWord(tokens[k], 'JOIN')) return refuse(`only [INNER] JOIN and LEFT [OUTER] JOIN of two streams are supported, found '${tokens[k]?.text ?? 'end of query'}' (for a RIGHT OUTER JOIN swap the sides)`, at(tokens[k] ?? tokens[left.next - 1]))
  const right = relationAt(tokens, k + 1, b)
  if (typeof right === 'string') return refuse(right, at(tokens[k + 1]))
  if (left.alias.toLowerCase() === right.alias.toLowerCase()) return refuse(`both streams are called '${left.alias}': give them different aliases (FROM STREAM(x) ... AS s JOIN STREAM(x) ... AS e)`, at(tokens[right.next - 1]))
  if (!isWord(tokens[right.next], 'ON')) return refuse(`expected ON <keys and event-time bound> after the second stream, found '${tokens[right.next]?.text ?? 'end of query'}'`, at(tokens[right.next] ?? tokens.at(-1)))
  const whereIndex = top.find((i) => i > right.next && isWord(tokens[i], 'WHERE')) ?? tokens.length
  const extraJoin = top.find((i) => i > right.next && i < whereIndex && isWord(tokens[i], 'JOIN'))
  if (extraJoin !== undefined) return refuse('only two streams can be joined in one streaming table', at(tokens[extraJoin]))
  const on = splitTopAnds(tokens.slice(right.next + 1, whereIndex))
  const where = whereIndex < tokens.length ? splitTopAnds(tokens.slice(whereIndex + 1)) : []
  if (on.length === 0) return refuse('ON needs the join keys and the event-time bound', at(tokens[right.next]))

  const sides = { left: { alias: left.alias, watermark: a.watermark! }, right: { alias: right.alias, watermark: b.watermark! } }
  const keys: StreamJoinPlan['keys'] = []
  const filters: { left: string[]; right: string[] } = { left: [], right: [] }
  const residual: string[] = []
  let lower: { ms: number; strict: boolean } | null = null
  let upper: { ms: number; strict: boolean } | null = null
  for (const [part, conjuncts] of [['ON', on], ['WHERE', where]] as const) {
    for (const c of conjuncts) {
      const text = textOf(query.sql, c)
      const key = keyOf(c, sides)
      if (key && part === 'ON') { keys.push(key); continue }
      const bound = boundOf(c, sides)
      if (typeof bound === 'string') return refuse(bound, at(c[0]))
      if (bound) {
        for (const piece of bound) {
          if (piece.strict && type === 'leftOuter') return refuse(`the event-time bound '${text}' of a LEFT OUTER JOIN must use >= / <= or BETWEEN`, at(c[0]))
          if (piece.strict) residual.push(text)
          if (piece.kind === 'lower' && (!lower || piece.ms > lower.ms)) lower = piece
          if (piece.kind === 'upper' && (!upper || piece.ms < upper.ms)) upper = piece
        }
        continue
      }
      const used = aliasesIn(c, [left.alias, right.alias])
      const only = used.size === 1 ? ([...used][0] === left.alias.toLowerCase() ? 'left' : 'right') : null
      if (type === 'inner') {
        if (only) filters[only].push(text)
        else residual.push(text)
        continue
      }
      if (only === 'left' && part === 'WHERE') { filters.left.push(text); continue }
      if (only === 'right' && part === 'ON') { filters.right.push(text); continue }
      return refuse(`'${text}' in the ${part} of a LEFT OUTER JOIN is not supported: conditions on the right stream go in ON, conditions on the left stream in WHERE`, at(c[0]))
    }
  }
  if (keys.length === 0) return refuse(`the join needs at least one equality between ${left.alias} and ${right.alias} columns in ON`, at(tokens[right.next]))
  if (!lower || !upper) {
    return refuse(`the join needs an event-time bound on both sides, e.g. ${right.alias}.${sides.right.watermark.column} BETWEEN ${left.alias}.${sides.left.watermark.column} AND ${left.alias}.${sides.left.watermark.column} + INTERVAL 3 HOURS, so state can be evicted as the watermark passes`, at(tokens[right.next]))
  }
  if (lower.ms > upper.ms) return refuse(`the event-time bound is empty: ${right.alias}.${sides.right.watermark.column} - ${left.alias}.${sides.left.watermark.column} must lie in [${lower.ms}, ${upper.ms}] ms`, at(tokens[right.next]))
  const sideOf = (source: Source, rel: Relation, alias: string, sideFilters: string[]): JoinSidePlan => ({
    alias, watermark: source.watermark!, filters: sideFilters,
    input: sliceQuery(query, tokens[rel.first]!.start, source.watermark!.span.end, 'SELECT * FROM ')
  })
  return {
    kind: 'join',
    plan: {
      type, keys, bounds: { lowerMs: lower.ms, upperMs: upper.ms }, residual, location: query.location,
      left: sideOf(a, left, left.alias, filters.left), right: sideOf(b, right, right.alias, filters.right),
      select: textOf(query.sql, tokens.slice(1, fromIndex))
    }
  }
}

interface Relation { first: number; alias: string; next: number }

/** The stream written at token `first` (optionally after STREAM), its alias and the token after it; or why it is not one. */
function relationAt(tokens: Token[], first: number, source: Source): Relation | string {
  const startsAt = tokens.findIndex((t) => t.start === source.span.start)
  const wrapped = startsAt - first
  const ok = wrapped === 0 || (wrapped === 1 && isWord(tokens[first], 'STREAM')) || (wrapped === 2 && isWord(tokens[first], 'STREAM') && isSym(tokens[first + 1], '('))
  const written = 'name' in source ? source.written : `read_files('${source.path}')`
  if (startsAt < 0 || !ok) return `expected the watermarked stream ${written} here: each side of the join must be a watermarked stream, not a subquery or another table`
  let next = tokens.findIndex((t) => t.start >= source.watermark!.span.end)
  if (next < 0) next = tokens.length
  let alias: string | null = null
  if (isWord(tokens[next], 'AS') && tokens[next + 1] && identifierOf(tokens[next + 1]!) !== null) { alias = identifierOf(tokens[next + 1]!); next += 2 }
  else if (tokens[next] && (tokens[next]!.kind === 'quotedIdent' || (tokens[next]!.kind === 'word' && !NOT_ALIAS.has(tokens[next]!.value)))) { alias = identifierOf(tokens[next]!); next += 1 }
  if (alias === null) {
    if (!('name' in source)) return `give ${written} an alias (... WATERMARK ... AS x) to name its columns in the join`
    alias = source.name.split('.').at(-1)!
  }
  return { first, alias, next }
}

/** `x.col` at `tokens[i]`: the alias (lower-cased) and column, or null. */
function qualifiedAt(tokens: Token[], i: number): { alias: string; column: string } | null {
  const a = tokens[i]
  const c = tokens[i + 2]
  if (!a || !c || !isSym(tokens[i + 1], '.') || isSym(tokens[i - 1], '.')) return null
  const alias = identifierOf(a)
  const column = identifierOf(c)
  return alias === null || column === null ? null : { alias: alias.toLowerCase(), column }
}

function aliasesIn(tokens: Token[], aliases: string[]): Set<string> {
  const wanted = new Set(aliases.map((x) => x.toLowerCase()))
  const out = new Set<string>()
  tokens.forEach((_, i) => {
    const q = qualifiedAt(tokens, i)
    if (q && wanted.has(q.alias)) out.add(q.alias)
  })
  return out
}

type Sides = { left: { alias: string; watermark: WatermarkClause }; right: { alias: string; watermark: WatermarkClause } }

/** `l.a = r.b` (either order) as a key pair. */
function keyOf(c: Token[], sides: Sides): { left: string; right: string } | null {
  if (c.length !== 7 || !isSym(c[3], '=')) return null
  const x = qualifiedAt(c, 0)
  const y = qualifiedAt(c, 4)
  if (!x || !y) return null
  const l = sides.left.alias.toLowerCase()
  const r = sides.right.alias.toLowerCase()
  if (x.alias === l && y.alias === r) return { left: x.column, right: y.column }
  if (x.alias === r && y.alias === l) return { left: y.column, right: x.column }
  return null
}

/** `alias.column [(+|-) INTERVAL ...]` over a side's watermark column, or null when the tokens are not of that form. */
function operandOf(tokens: Token[], sides: Sides): Operand | null | string {
  const q = qualifiedAt(tokens, 0)
  if (!q) return null
  const side = q.alias === sides.left.alias.toLowerCase() ? sides.left : q.alias === sides.right.alias.toLowerCase() ? sides.right : null
  if (!side || q.column.toLowerCase() !== side.watermark.column.toLowerCase()) return null
  if (tokens.length === 3) return { alias: q.alias, column: q.column, offsetMs: 0 }
  const sign = isSym(tokens[3], '+') ? 1 : isSym(tokens[3], '-') ? -1 : 0
  if (sign === 0 || !isWord(tokens[4], 'INTERVAL')) return `'${tokens.map((t) => t.text).join(' ')}': an event-time bound adds or subtracts an INTERVAL literal`
  try {
    return { alias: q.alias, column: q.column, offsetMs: sign * parseIntervalMs(tokens.slice(4).map((t) => t.kind === 'string' ? t.value : t.text).join(' ')) }
  } catch (e) {
    return e instanceof EventTimeError ? e.message : String(e)
  }
}

type BoundPiece = { kind: 'lower' | 'upper'; ms: number; strict: boolean }

/**
 * A conjunct comparing the two watermark columns (`r.t BETWEEN l.t AND l.t + INTERVAL 3 HOURS`, `r.t >= l.t`,
 * `l.t + INTERVAL 1 HOUR > r.t`...) as bounds on r.t - l.t; null when it is no such comparison; a message when it is one we cannot read.
 */
function boundOf(c: Token[], sides: Sides): BoundPiece[] | null | string {
  const depth0 = (pred: (t: Token) => boolean): number => {
    let depth = 0
    for (let i = 0; i < c.length; i++) {
      if (isSym(c[i], '(')) depth++
      else if (isSym(c[i], ')')) depth--
      else if (depth === 0 && pred(c[i]!)) return i
    }
    return -1
  }
  const l = sides.left.alias.toLowerCase()
  const compare = (x: Operand, op: string, y: Operand): BoundPiece | string => {
    if (x.alias === y.alias) return `'${x.alias}.${x.column}' is compared with itself; an event-time bound compares the two streams`
    // x.t + xo  op  y.t + yo, rewritten as r.t - l.t  op'  constant.
    const [flip, ms] = x.alias === l ? [true, x.offsetMs - y.offsetMs] : [false, y.offsetMs - x.offsetMs]
    const effective = flip ? ({ '>=': '<=', '>': '<', '<=': '>=', '<': '>' } as Record<string, string>)[op]! : op
    return { kind: effective.startsWith('>') ? 'lower' : 'upper', ms, strict: effective.length === 1 }
  }
  const between = depth0((t) => isWord(t, 'BETWEEN'))
  if (between > 0) {
    const and = depth0((t) => isWord(t, 'AND'))
    const subject = operandOf(c.slice(0, between), sides)
    if (subject === null || isWord(c[between - 1], 'NOT')) return null
    const low = operandOf(c.slice(between + 1, and), sides)
    const high = operandOf(c.slice(and + 1), sides)
    for (const o of [subject, low, high]) if (typeof o === 'string') return o
    if (!low || !high) return null
    const pieces = [compare(subject as Operand, '>=', low as Operand), compare(subject as Operand, '<=', high as Operand)]
    const problem = pieces.find((p) => typeof p === 'string')
    return problem !== undefined ? (problem as string) : (pieces as BoundPiece[])
  }
  const opAt = depth0((t) => t.kind === 'op' && ['>=', '<=', '>', '<'].includes(t.text))
  if (opAt <= 0) return null
  const x = operandOf(c.slice(0, opAt), sides)
  const y = operandOf(c.slice(opAt + 1), sides)
  if (typeof x === 'string') return x
  if (typeof y === 'string') return y
  if (!x || !y) return null
  const piece = compare(x, c[opAt]!.text, y)
  return typeof piece === 'string' ? piece : [piece]
}
