// Parses flows: CREATE FLOW name AS AUTO CDC INTO | INSERT INTO [ONCE], and standalone APPLY CHANGES / AUTO CDC INTO.
import type { Token } from '../../sql/dialect/tokenizer'
import type { CdcSpec, Flow, PipelineDiagnostic } from '../model'
import type { StatementCursor } from './statementCursor'
import { canonicalName, emptyResult, readQuery, referenceOf, type StatementResult } from './statementResult'
import { parseNameList } from './tableSpec'

/**
 * CREATE FLOW name [COMMENT '...'] AS { AUTO CDC [ONCE] INTO ... | APPLY CHANGES INTO ... | INSERT [ONCE] INTO [ONCE] target [BY NAME] query },
 * with the cursor after FLOW. @throws ParseFailure naming what was expected.
 */
export function parseCreateFlow(c: StatementCursor): StatementResult {
  const nameToken = c.peek()
  const flowName = c.expectName('a flow name')
  if (c.acceptWords('COMMENT')) c.expectString('the flow comment')
  c.expectWords('AS')
  const location = c.source.locate(nameToken!.start)
  const name = canonicalName(flowName)
  if (c.atWords('AUTO', 'CDC') || c.atWords('APPLY', 'CHANGES')) return parseCdcFlow(c, name, location)
  if (!c.acceptWords('INSERT')) c.fail(`expected AUTO CDC INTO or INSERT INTO after CREATE FLOW ${flowName.written} AS`)
  let once = c.acceptWords('ONCE')
  c.expectWords('INTO')
  once = c.acceptWords('ONCE') || once
  const target = c.expectName('the flow target table')
  if (c.atSymbol('(')) parseNameList(c, 'the INSERT column list')
  c.acceptWords('BY', 'NAME')
  const result = emptyResult()
  const query = readQuery(c, `flow ${flowName.written}`, result.unsupported)
  result.flows.push({ name, target: canonicalName(target), kind: 'append', query, once, location })
  return result
}

/**
 * `{AUTO CDC [ONCE] | APPLY CHANGES} INTO target FROM source KEYS (...) ... SEQUENCE BY ...` with the cursor on AUTO or
 * APPLY. `name` is the flow name; a standalone statement passes undefined and the flow is named after its target.
 * Clauses are accepted in any order; KEYS and SEQUENCE BY are required.
 * @throws ParseFailure naming the missing or malformed clause.
 */
export function parseCdcFlow(c: StatementCursor, name: string | undefined, location = c.source.locate(c.offset())): StatementResult {
  const result = emptyResult()
  const statementOffset = c.offset()
  let once = false
  if (c.acceptWords('AUTO', 'CDC')) once = c.acceptWords('ONCE')
  else c.expectWords('APPLY', 'CHANGES')
  c.expectWords('INTO')
  const targetName = c.expectName('the CDC target table')
  c.expectWords('FROM')
  const sourceStart = c.offset()
  let streaming = false
  let sourceName
  if (c.acceptWords('STREAM')) {
    streaming = true
    const bracketed = c.acceptSymbol('(')
    sourceName = c.expectName('the CDC source')
    if (bracketed) c.expectSymbol(')')
  } else sourceName = c.expectName('the CDC source')
  const sourceEnd = c.tokens[c.pos - 1]!.end
  const spec: CdcSpec = {
    source: referenceOf(c, sourceName, streaming, sourceStart, sourceEnd),
    keys: [],
    sequenceBy: '',
    scdType: 1,
    ignoreNullUpdates: false
  }
  if (c.acceptWords('AS')) c.expectIdentifier('a source alias')
  let sawKeys = false
  while (!c.atEnd()) {
    const at = c.peek()!
    if (c.acceptWords('KEYS')) {
      spec.keys = parseNameList(c, 'KEYS')
      sawKeys = true
    } else if (c.acceptWords('IGNORE', 'NULL', 'UPDATES')) {
      spec.ignoreNullUpdates = true
      if (c.acceptWords('ON')) columnSelection(c, 'IGNORE NULL UPDATES ON')
    } else if (c.acceptWords('APPLY', 'AS', 'DELETE', 'WHEN')) spec.applyAsDeleteWhen = expressionUntilClause(c, 'APPLY AS DELETE WHEN')
    else if (c.acceptWords('APPLY', 'AS', 'TRUNCATE', 'WHEN')) spec.applyAsTruncateWhen = expressionUntilClause(c, 'APPLY AS TRUNCATE WHEN')
    else if (c.acceptWords('SEQUENCE', 'BY')) spec.sequenceBy = expressionUntilClause(c, 'SEQUENCE BY')
    else if (c.acceptWords('SYSTEM', 'SEQUENCE', 'BY')) {
      expressionUntilClause(c, 'SYSTEM SEQUENCE BY')
      result.diagnostics.push(ignoredWarning(c, at, 'SYSTEM SEQUENCE BY is ignored: changes are ordered by SEQUENCE BY alone'))
    } else if (c.acceptWords('COLUMNS', 'TO', 'UPDATE')) {
      expressionUntilClause(c, 'COLUMNS TO UPDATE')
      result.diagnostics.push(ignoredWarning(c, at, 'COLUMNS TO UPDATE is ignored: every selected column is updated'))
    } else if (c.acceptWords('COLUMNS')) spec.columns = columnSelection(c, 'COLUMNS')
    else if (c.acceptWords('STORED', 'AS', 'SCD', 'TYPE')) {
      const t = c.peek()
      if (t?.kind !== 'number' || (t.value !== '1' && t.value !== '2')) c.fail('expected 1 or 2 after STORED AS SCD TYPE')
      c.next()
      spec.scdType = t!.value === '2' ? 2 : 1
    } else if (c.acceptWords('TRACK', 'HISTORY', 'ON')) spec.trackHistory = columnSelection(c, 'TRACK HISTORY ON')
    else if (c.acceptWords('WHERE')) spec.where = expressionUntilClause(c, 'WHERE')
    else c.fail('expected KEYS, SEQUENCE BY, APPLY AS DELETE WHEN, APPLY AS TRUNCATE WHEN, COLUMNS, STORED AS SCD TYPE, TRACK HISTORY ON or IGNORE NULL UPDATES')
  }
  if (!sawKeys) c.fail(`expected KEYS (...) in the CDC flow into ${targetName.written}`)
  if (spec.sequenceBy === '') c.fail(`expected SEQUENCE BY in the CDC flow into ${targetName.written}`)
  const target = canonicalName(targetName)
  const flow: Flow = { name: name ?? target, target, kind: 'cdc', cdc: spec, once, location: name === undefined ? c.source.locate(statementOffset) : location }
  result.flows.push(flow)
  return result
}

function ignoredWarning(c: StatementCursor, at: Token, message: string): PipelineDiagnostic {
  return { severity: 'warning', code: 'IGNORED_CLAUSE', message, location: c.source.locate(at.start) }
}

/** True when the cursor is at the start of another CDC clause. */
function atCdcClause(c: StatementCursor): boolean {
  return (
    c.atWords('APPLY', 'AS') ||
    c.atWords('SEQUENCE', 'BY') ||
    c.atWords('SYSTEM', 'SEQUENCE') ||
    c.atWords('STORED', 'AS') ||
    c.atWords('TRACK', 'HISTORY') ||
    c.atWords('IGNORE', 'NULL', 'UPDATES') ||
    (c.isWord(0, 'KEYS') && c.atSymbol('(', 1)) ||
    (c.isWord(0, 'COLUMNS') && (c.atSymbol('*', 1) || c.atSymbol('(', 1) || c.isWord(1, 'TO') || c.peek(1)?.kind === 'word' || c.peek(1)?.kind === 'quotedIdent')) ||
    c.isWord(0, 'WHERE')
  )
}

/** Expression text up to the next CDC clause. @throws ParseFailure when it is empty. */
function expressionUntilClause(c: StatementCursor, clause: string): string {
  const start = c.offset()
  let end = start
  while (!c.atEnd() && !atCdcClause(c)) {
    if (c.atSymbol('(')) end = c.expectGroup(`the ${clause} expression`).end + 1
    else end = c.next()!.end
  }
  if (end === start) c.fail(`expected an expression after ${clause}`)
  return c.source.text.slice(start, end)
}

/** `a, b` | `(a, b)` | `* EXCEPT (a, b)`. */
function columnSelection(c: StatementCursor, clause: string): { include?: string[]; except?: string[] } {
  if (c.acceptSymbol('*')) {
    c.expectWords('EXCEPT')
    return { except: parseNameList(c, `${clause} * EXCEPT`) }
  }
  if (c.atSymbol('(')) return { include: parseNameList(c, clause) }
  const include: string[] = []
  do include.push(c.expectName(`a column name in ${clause}`).parts.join('.'))
  while (c.acceptSymbol(','))
  return { include }
}
