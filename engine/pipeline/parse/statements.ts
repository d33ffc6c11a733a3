// Dispatches one pipeline statement (CREATE ..., APPLY CHANGES / AUTO CDC INTO, SET) to its parser.
import { parseDatasetStatement, type CreateModifiers } from './datasetStatement'
import { parseCdcFlow, parseCreateFlow } from './flowStatement'
import type { StatementCursor } from './statementCursor'
import { emptyResult, type StatementResult } from './statementResult'

/**
 * Parses one statement. Accepted heads: CREATE [OR REFRESH | OR REPLACE] [TEMPORARY | PRIVATE | STREAMING | LIVE |
 * INCREMENTAL | MATERIALIZED]... {TABLE | VIEW}, CREATE FLOW, CREATE SINK (reported unsupported), APPLY CHANGES INTO,
 * AUTO CDC INTO, SET key = value. @throws ParseFailure naming the position and what was expected.
 */
export function parseStatement(c: StatementCursor): StatementResult {
  if (c.isWord(0, 'SET')) return parseSet(c)
  if (c.atWords('APPLY', 'CHANGES') || c.atWords('AUTO', 'CDC')) return parseCdcFlow(c, undefined)
  if (!c.isWord(0, 'CREATE')) c.fail('expected CREATE, APPLY CHANGES INTO, AUTO CDC INTO or SET')
  const start = c.next()!.start
  if (!c.acceptWords('OR', 'REFRESH') && c.isWord(0, 'OR')) c.expectWords('OR', 'REPLACE')
  const mods: CreateModifiers = { temporary: false, isPrivate: false, streaming: false, live: false, incremental: false, materialized: false, start }
  for (;;) {
    if (c.acceptWords('TEMPORARY') || c.acceptWords('TEMP')) mods.temporary = true
    else if (c.acceptWords('PRIVATE')) mods.isPrivate = true
    else if (c.acceptWords('STREAMING')) mods.streaming = true
    else if (c.acceptWords('LIVE')) mods.live = true
    else if (c.acceptWords('INCREMENTAL')) mods.incremental = true
    else if (c.acceptWords('MATERIALIZED')) mods.materialized = true
    else break
  }
  const objectOffset = c.offset()
  if (c.acceptWords('TABLE')) return parseDatasetStatement(c, 'TABLE', mods, objectOffset)
  if (c.acceptWords('VIEW')) return parseDatasetStatement(c, 'VIEW', mods, objectOffset)
  const plain = !mods.temporary && !mods.isPrivate && !mods.streaming && !mods.live && !mods.incremental && !mods.materialized
  if (plain && c.acceptWords('FLOW')) return parseCreateFlow(c)
  if (plain && c.acceptWords('SINK')) return parseSink(c)
  c.fail(plain ? 'expected STREAMING TABLE, MATERIALIZED VIEW, LIVE TABLE, TEMPORARY VIEW, FLOW or SINK after CREATE' : 'expected TABLE or VIEW')
}

/** SET key = value: keys are dotted names, values literals or raw text (quotes removed from a single string). */
function parseSet(c: StatementCursor): StatementResult {
  const result = emptyResult()
  c.next()
  if (c.atEnd()) return result
  const keyStart = c.offset()
  while (!c.atEnd() && !c.atSymbol('=')) c.next()
  const key = c.source.text.slice(keyStart, c.tokens[c.pos - 1]?.end ?? keyStart).trim()
  if (!c.acceptSymbol('=') || key === '') return result // `SET key` only displays a value
  const rest = c.tokens.slice(c.pos)
  c.pos = c.tokens.length
  if (rest.length === 0) return result
  const value =
    rest.length === 1 && (rest[0]!.kind === 'string' || (rest[0]!.kind === 'quotedIdent' && !rest[0]!.backtick))
      ? rest[0]!.value
      : c.source.text.slice(rest[0]!.start, rest[rest.length - 1]!.end)
  result.setting = { key, value }
  return result
}

/** CREATE SINK writes to Kafka / Event Hubs / external Delta: parsed only far enough to name it, then reported. */
function parseSink(c: StatementCursor): StatementResult {
  const result = emptyResult()
  const at = c.offset()
  const name = c.expectName('a sink name')
  c.pos = c.tokens.length
  result.unsupported.push({
    feature: 'sink',
    detail: `CREATE SINK ${name.written} writes outside the lakehouse and is not run locally`,
    location: c.source.locate(at)
  })
  return result
}
