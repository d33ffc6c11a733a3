// Finds what a pipeline query reads: dataset references, read_files/cloud_files sources, path reads, unsupported calls.
import { identifierOf, type Token } from '../../sql/dialect/tokenizer'
import type { DatasetReference, FileSource, PathRead, UnsupportedFeature } from '../model'
import { ParseFailure, type StatementSource } from './statementCursor'
import { parseWatermarkClause } from './watermarkClause'

export interface QueryScan {
  references: DatasetReference[]
  fileSources: FileSource[]
  pathReads: PathRead[]
  unsupported: UnsupportedFeature[]
}

/** Words that end a relation instead of naming its alias. */
const NOT_ALIAS = new Set([
  'WHERE', 'JOIN', 'ON', 'USING', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL', 'GROUP', 'ORDER', 'LIMIT',
  'HAVING', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY', 'OFFSET', 'FETCH', 'ANTI', 'SEMI', 'OUTER',
  'LATERAL', 'PIVOT', 'UNPIVOT', 'TABLESAMPLE', 'SELECT', 'FROM', 'VERSION', 'TIMESTAMP', 'FOR', 'WITH', 'CLUSTER',
  'DISTRIBUTE', 'SORT', 'WATERMARK', 'MINUS'
])
/** Words that end a FROM clause at their bracket level. */
const CLAUSE_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'CLUSTER', 'DISTRIBUTE', 'SORT', 'LATERAL', 'PIVOT', 'UNPIVOT'])
const PATH_FORMATS = new Set(['delta', 'parquet', 'json', 'csv', 'text', 'orc', 'avro', 'binaryfile', 'xml'])
const FILE_FUNCTIONS = new Set(['READ_FILES', 'CLOUD_FILES'])
/** Calls a laptop cannot make: they need Databricks services, credentials or workspace identity. */
const UNSUPPORTED_CALLS: Record<string, string> = {
  READ_KAFKA: 'kafka',
  READ_KINESIS: 'kinesis',
  READ_PUBSUB: 'pubsub',
  READ_PULSAR: 'pulsar',
  READ_EVENT_HUBS: 'event_hubs',
  SECRET: 'secret',
  IS_MEMBER: 'is_member',
  IS_ACCOUNT_GROUP_MEMBER: 'is_member',
  VECTOR_SEARCH: 'ai_function'
}

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s
const isWord = (t: Token | undefined, ...w: string[]): boolean => t !== undefined && t.kind === 'word' && w.includes(t.value)
const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'word' || (t.kind === 'quotedIdent' && t.backtick === true))

/**
 * Scans tokens [from, to) of a statement (significant tokens only) holding a query that starts at `queryStart` in
 * the statement text. Spans are relative to the query text; locations are file positions. CTE names are not
 * references. @throws ParseFailure when a read_files/cloud_files call or a STREAM( ) wrapper is not closed.
 */
export function scanQuery(source: StatementSource, tokens: readonly Token[], from: number, to: number, queryStart: number): QueryScan {
  const scan: QueryScan = { references: [], fileSources: [], pathReads: [], unsupported: [] }
  const t = (i: number): Token | undefined => (i < to ? tokens[i] : undefined)
  const consumed = new Set<number>()
  const span = (start: number, end: number) => ({ start: start - queryStart, end: end - queryStart })
  const cteNames = collectCteNames(tokens, from, to)

  const closeOf = (open: number): number => {
    let depth = 0
    for (let k = open; k < to; k++) {
      if (isSym(tokens[k], '(')) depth++
      else if (isSym(tokens[k], ')') && --depth === 0) return k
    }
    throw new ParseFailure(`unclosed '(' in query`, tokens[open]!.start)
  }
  /** A dotted name starting at i: [end index (exclusive), parts]. */
  const nameAt = (i: number): [number, string[]] | null => {
    if (!isName(t(i))) return null
    const parts = [identifierOf(t(i)!)!]
    let k = i + 1
    while (isSym(t(k), '.') && t(k + 1) !== undefined && (isName(t(k + 1)) || t(k + 1)!.kind === 'quotedIdent')) {
      parts.push(identifierOf(t(k + 1)!)!)
      k += 2
    }
    return [k, parts]
  }
  const markAll = (a: number, b: number): void => {
    for (let k = a; k <= b; k++) consumed.add(k)
  }
  const addReference = (nameStart: number, nameEnd: number, parts: string[], streaming: boolean, spanStart: number, spanEnd: number): void => {
    const live = parts.length > 1 && tokens[nameStart]!.kind === 'word' && tokens[nameStart]!.value === 'LIVE'
    const nameParts = live ? parts.slice(1) : parts
    scan.references.push({
      name: nameParts.map((p) => p.toLowerCase()).join('.'),
      written: source.text.slice(tokens[nameStart]!.start, tokens[nameEnd - 1]!.end),
      streaming,
      span: span(spanStart, spanEnd),
      location: source.locate(spanStart)
    })
  }
  /** read_files( or cloud_files( at i; returns the index of its closing bracket. */
  const addFileSource = (i: number, streaming: boolean, spanStart: number, spanEndToken?: number): number => {
    const close = closeOf(i + 1)
    const fn = tokens[i]!.value === 'READ_FILES' ? 'read_files' : 'cloud_files'
    const args = splitArguments(tokens, i + 2, close)
    const fileSource: FileSource = {
      function: fn,
      path: '',
      format: '',
      options: {},
      streaming: fn === 'cloud_files' || streaming,
      span: span(spanStart, tokens[spanEndToken ?? close]!.end),
      location: source.locate(spanStart)
    }
    const positional: Token[][] = []
    for (const arg of args) {
      if (arg.length >= 3 && isSym(arg[1], '=>')) {
        const key = identifierOf(arg[0]!) ?? arg[0]!.text
        const value = argumentValue(source, arg.slice(2))
        if (key.toLowerCase() === 'format') fileSource.format = value.toLowerCase()
        else fileSource.options[key] = value
      } else positional.push(arg)
    }
    if (positional[0]) fileSource.path = argumentValue(source, positional[0])
    if (fn === 'cloud_files') {
      if (positional[1]) fileSource.format = argumentValue(source, positional[1]).toLowerCase()
      const map = positional[2]
      if (map && isWord(map[0], 'MAP') && isSym(map[1], '(')) {
        const values = splitArguments(tokens, tokens.indexOf(map[1]!) + 1, tokens.indexOf(map[map.length - 1]!))
        for (let k = 0; k + 1 < values.length; k += 2) fileSource.options[argumentValue(source, values[k]!)] = argumentValue(source, values[k + 1]!)
      }
    }
    if (fileSource.path === '') throw new ParseFailure(`${fn}(...) needs a path as its first argument`, tokens[i]!.start)
    scan.fileSources.push(fileSource)
    markAll(i, close)
    return close
  }
  /** STREAM at i: STREAM(name), STREAM name, STREAM read_files(...), STREAM(read_files(...)). Returns last index used, or -1. */
  const streamAt = (i: number, relationPosition: boolean): number => {
    const start = tokens[i]!.start
    if (isSym(t(i + 1), '(')) {
      const close = closeOf(i + 1)
      if (isWord(t(i + 2), ...FILE_FUNCTIONS) && isSym(t(i + 3), '(')) {
        addFileSource(i + 2, true, start, close)
        markAll(i, close)
        return close
      }
      const name = nameAt(i + 2)
      if (name && name[0] === close) {
        addReference(i + 2, close, name[1], true, start, tokens[close]!.end)
        markAll(i, close)
        return close
      }
      return -1
    }
    if (!relationPosition) return -1
    if (isWord(t(i + 1), ...FILE_FUNCTIONS) && isSym(t(i + 2), '(')) return addFileSource(i + 1, true, start)
    const name = nameAt(i + 1)
    if (!name || isSym(t(name[0]), '(')) return -1 // no name, or a table function such as read_kafka(...)
    if (!pathRead(i + 1, name, true, start)) addReference(i + 1, name[0], name[1], true, start, tokens[name[0] - 1]!.end)
    markAll(i, name[0] - 1)
    return name[0] - 1
  }
  /** delta.`/path` style names: recorded as path reads, not dataset references. */
  const pathRead = (i: number, name: [number, string[]], streaming: boolean, spanStart: number): boolean => {
    const [end, parts] = name
    if (parts.length !== 2 || !PATH_FORMATS.has(parts[0]!.toLowerCase()) || tokens[end - 1]!.kind !== 'quotedIdent') return false
    scan.pathReads.push({
      format: parts[0]!.toLowerCase(),
      path: parts[1]!,
      streaming,
      span: span(spanStart, tokens[end - 1]!.end),
      location: source.locate(spanStart)
    })
    markAll(i, end - 1)
    return true
  }
  /** One relation after FROM / JOIN / a FROM-list comma; returns the index after it (and its alias). */
  const relationAt = (i: number): number => {
    if (isWord(t(i), 'LATERAL')) return i + 1
    if (isWord(t(i), 'VALUES', 'SELECT')) return i // inline rows or a bare subquery: nothing to reference
    const refsBefore = scan.references.length
    const filesBefore = scan.fileSources.length
    let after = i
    if (isWord(t(i), 'STREAM')) {
      const last = streamAt(i, true)
      if (last < 0) return i
      after = last + 1
    } else if (isSym(t(i), '(')) {
      const close = closeOf(i)
      const name = nameAt(i + 1)
      if (name && name[0] === close) {
        if (!(name[1].length === 1 && cteNames.has(name[1][0]!.toLowerCase()))) {
          addReference(i + 1, close, name[1], false, tokens[i]!.start, tokens[close]!.end)
        }
        markAll(i, close)
      } else if (!isWord(t(i + 1), 'SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE')) return relationAt(i + 1) // a bracketed join
      after = close + 1
    } else {
      const name = nameAt(i)
      if (!name) return i
      if (isSym(t(name[0]), '(')) {
        // a table-valued function; read_files/cloud_files are handled by the main loop
        return name[0]
      }
      if (!pathRead(i, name, false, tokens[i]!.start)) {
        const cte = name[1].length === 1 && cteNames.has(name[1][0]!.toLowerCase())
        if (!cte) addReference(i, name[0], name[1], false, tokens[i]!.start, tokens[name[0] - 1]!.end)
        markAll(i, name[0] - 1)
      }
      after = name[0]
    }
    // WATERMARK ts DELAY OF interval: belongs to the relation just read (a reference or a file source).
    if (isWord(t(after), 'WATERMARK')) {
      const { clause, next } = parseWatermarkClause(source, tokens, after, to, queryStart)
      const owner = scan.fileSources.length > filesBefore ? scan.fileSources.at(-1) : scan.references.length > refsBefore ? scan.references.at(-1) : undefined
      if (owner) owner.watermark = clause
      markAll(after, next - 1)
      after = next
    }
    // alias: [AS] name [(column aliases)]
    if (isWord(t(after), 'AS')) after++
    if (isName(t(after)) && !(t(after)!.kind === 'word' && NOT_ALIAS.has(t(after)!.value))) {
      after++
      if (isSym(t(after), '(')) after = closeOf(after) + 1
    }
    return after
  }

  // Per bracket level: has it seen SELECT (so FROM starts a clause), and is it inside a FROM clause (so a comma
  // starts another relation, also after a JOIN ... ON condition).
  const levels: { select: boolean; inFrom: boolean }[] = [{ select: false, inFrom: false }]
  for (let i = from; i < to; i++) {
    const tok = tokens[i]!
    const level = levels[levels.length - 1]!
    if (isSym(tok, '(')) levels.push({ select: false, inFrom: false })
    else if (isSym(tok, ')')) levels.length > 1 && levels.pop()
    else if (isWord(tok, 'SELECT')) Object.assign(level, { select: true, inFrom: false })
    else if (tok.kind === 'word' && CLAUSE_END.has(tok.value)) level.inFrom = false
    if (consumed.has(i)) continue
    const prev = i > from ? tokens[i - 1] : undefined
    if (isWord(tok, 'FROM') && !isWord(prev, 'DISTINCT') && (level.select || prev === undefined || isSym(prev, '('))) {
      level.inFrom = true
      relationAt(i + 1)
    } else if (isSym(tok, ',') && level.inFrom && !consumed.has(i + 1)) {
      relationAt(i + 1)
    } else if (isWord(tok, 'JOIN')) {
      relationAt(i + 1)
    } else if (isWord(tok, 'STREAM')) {
      streamAt(i, false)
    } else if (isWord(tok, ...FILE_FUNCTIONS) && isSym(t(i + 1), '(') && !isSym(prev, '.')) {
      addFileSource(i, false, tok.start)
    } else if (isWord(tok, 'LIVE') && isSym(t(i + 1), '.') && isName(t(i + 2)) && !isSym(t(i + 3), '(') && !isSym(t(i + 3), '.') && !isSym(prev, '.')) {
      addReference(i, i + 3, ['live', identifierOf(t(i + 2)!)!], false, tok.start, t(i + 2)!.end)
      markAll(i, i + 2)
    } else if (tok.kind === 'word' && isSym(t(i + 1), '(') && !isSym(prev, '.')) {
      unsupportedCall(scan, source, tok)
    } else if (isName(tok) && isSym(t(i + 1), '.') && !isSym(prev, '.')) {
      const name = nameAt(i)
      if (name && name[1].length > 1 && isSym(t(name[0]), '(')) {
        scan.unsupported.push({
          feature: 'catalog_function',
          detail: `${source.text.slice(tok.start, tokens[name[0] - 1]!.end)}(...) is a catalog function (a model UDF or a registered function) that a local run cannot call`,
          location: source.locate(tok.start)
        })
        markAll(i, name[0] - 1)
      }
    }
  }
  return scan
}

/** Why each kind of call cannot run on a laptop. */
const UNSUPPORTED_REASON: Record<string, string> = {
  kafka: 'reads a Kafka topic, which a local run has no connection to',
  kinesis: 'reads a Kinesis stream, which a local run has no connection to',
  pubsub: 'reads a Pub/Sub subscription, which a local run has no connection to',
  pulsar: 'reads a Pulsar topic, which a local run has no connection to',
  event_hubs: 'reads an Event Hubs stream, which a local run has no connection to',
  secret: 'reads a Databricks secret scope, which does not exist locally',
  is_member: 'asks for workspace group membership, which does not exist locally',
  ai_function: 'calls a Databricks AI service, which a local run cannot reach'
}

function unsupportedCall(scan: QueryScan, source: StatementSource, tok: Token): void {
  const feature = UNSUPPORTED_CALLS[tok.value] ?? (tok.value.startsWith('AI_') ? 'ai_function' : undefined)
  if (feature === undefined) return
  scan.unsupported.push({ feature, detail: `${tok.text}(...) ${UNSUPPORTED_REASON[feature]}`, location: source.locate(tok.start) })
}

/** Names defined by WITH clauses anywhere in the query (they shadow datasets and are not references). */
function collectCteNames(tokens: readonly Token[], from: number, to: number): Set<string> {
  const names = new Set<string>()
  for (let i = from; i < to; i++) {
    if (!isWord(tokens[i], 'WITH')) continue
    let k = i + 1
    if (isWord(tokens[k], 'RECURSIVE')) k++
    for (;;) {
      const nameToken = tokens[k]
      if (!isName(nameToken) || k >= to) break
      let j = k + 1
      if (isSym(tokens[j], '(')) j = skipGroup(tokens, j, to)
      if (!isWord(tokens[j], 'AS')) break
      names.add(identifierOf(nameToken!)!.toLowerCase())
      j++
      if (!isSym(tokens[j], '(')) break
      j = skipGroup(tokens, j, to)
      if (!isSym(tokens[j], ',')) break
      k = j + 1
    }
  }
  return names
}

/** Index after the group opened at `open` (or `to` when unclosed). */
function skipGroup(tokens: readonly Token[], open: number, to: number): number {
  let depth = 0
  for (let k = open; k < to; k++) {
    if (isSym(tokens[k], '(')) depth++
    else if (isSym(tokens[k], ')') && --depth === 0) return k + 1
  }
  return to
}

/** Arguments between `from` and the closing bracket index `close`, split on top-level commas. */
function splitArguments(tokens: readonly Token[], from: number, close: number): Token[][] {
  const args: Token[][] = []
  let current: Token[] = []
  let depth = 0
  for (let k = from; k < close; k++) {
    const tok = tokens[k]!
    if (isSym(tok, '(')) depth++
    else if (isSym(tok, ')')) depth--
    if (depth === 0 && isSym(tok, ',')) {
      args.push(current)
      current = []
    } else current.push(tok)
  }
  if (current.length > 0) args.push(current)
  return args
}

/** A literal argument's value (strings unquoted, "double quoted" too), else its text as written. */
function argumentValue(source: StatementSource, arg: readonly Token[]): string {
  if (arg.length === 1 && (arg[0]!.kind === 'string' || (arg[0]!.kind === 'quotedIdent' && !arg[0]!.backtick))) return arg[0]!.value
  return source.text.slice(arg[0]!.start, arg[arg.length - 1]!.end)
}
