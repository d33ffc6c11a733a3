// Finds the table references of a query (after FROM, JOIN and FROM-list commas) with their time-travel clauses and scopes.
import { SqlError } from '../sqlError'
import { sparkSyntaxEdits } from './sparkSyntax'
import { renderWithEdits } from './textEdits'
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'

export type TimeTravel =
  | { kind: 'version'; version: number }
  /** `sql` is a DuckDB expression (literal or expression) evaluating to the instant. */
  | { kind: 'timestamp'; sql: string }

export interface TableReference {
  /** Name parts as written (quotes removed): ['bronze', 'users'] or ['delta', '/abs/path']. */
  parts: string[]
  /** Name as written in the source, for messages. */
  nameText: string
  timeTravel?: TimeTravel
  /** Alias as written, when the user gave one. */
  alias?: string
  /** Source offsets of the name through the time-travel clause (the part a rewrite replaces). */
  start: number
  end: number
  line: number
  column: number
  /** The SELECT block the reference belongs to. */
  scope: QueryScope
}

/** One SELECT block: its table references and where its WHERE clause is. */
export interface QueryScope {
  id: number
  references: TableReference[]
  /** Other relations in the FROM clause (subqueries, table functions) that make unqualified columns ambiguous. */
  otherRelations: number
  /** Significant tokens of the WHERE condition, if any. */
  where: Token[]
  /** An outer, semi, anti, asof or natural join: WHERE conjuncts may not prune the joined sides safely. */
  hasNonInnerJoin: boolean
}

const NOT_ALIAS = new Set([
  'WHERE', 'JOIN', 'ON', 'USING', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL', 'GROUP', 'ORDER', 'LIMIT',
  'HAVING', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY', 'OFFSET', 'FETCH', 'ANTI', 'SEMI', 'POSITIONAL',
  'ASOF', 'OUTER', 'LATERAL', 'PIVOT', 'UNPIVOT', 'SAMPLE', 'TABLESAMPLE', 'RETURNING', 'SET', 'VALUES', 'SELECT',
  'FROM', 'INTO', 'VERSION', 'TIMESTAMP', 'FOR', 'AS', 'WITH', 'CLUSTER', 'DISTRIBUTE', 'SORT', 'LATERAL', 'USING'
])
const CLAUSE_END = new Set(['GROUP', 'HAVING', 'ORDER', 'LIMIT', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'OFFSET', 'FETCH', 'CLUSTER', 'DISTRIBUTE', 'SORT'])
const NON_INNER = new Set(['LEFT', 'RIGHT', 'FULL', 'OUTER', 'ANTI', 'SEMI', 'ASOF', 'POSITIONAL', 'NATURAL'])

interface Frame {
  scope: QueryScope | null
  sawSelect: boolean
  inFrom: boolean
  whereStart: number | null
  firstIndex: number
}

/**
 * Finds every table reference in a statement's tokens. A FROM counts only when it starts a clause (its
 * parenthesis level has seen SELECT, or it is the first word there, as in DuckDB's FROM-first syntax), so
 * `extract(year FROM d)` and `trim(x FROM s)` are not mistaken for tables. Subqueries, table functions and
 * `read_parquet(...)` are skipped. Time travel: `@vN`, `@yyyyMMddHHmmssSSS`, `VERSION AS OF n`,
 * `TIMESTAMP AS OF expr`, and the `FOR SYSTEM_VERSION|SYSTEM_TIME|VERSION|TIMESTAMP AS OF` spellings.
 */
export function findTableReferences(allTokens: readonly Token[]): { references: TableReference[]; scopes: QueryScope[] } {
  const tokens = allTokens.filter(isSignificant)
  const references: TableReference[] = []
  const scopes: QueryScope[] = []
  const newScope = (): QueryScope => {
    const scope: QueryScope = { id: scopes.length, references: [], otherRelations: 0, where: [], hasNonInnerJoin: false }
    scopes.push(scope)
    return scope
  }
  const frames: Frame[] = [{ scope: null, sawSelect: false, inFrom: false, whereStart: null, firstIndex: 0 }]
  const closeWhere = (frame: Frame, end: number): void => {
    if (frame.whereStart !== null && frame.scope) frame.scope.where = tokens.slice(frame.whereStart, end)
    frame.whereStart = null
  }

  /** Parses a relation at index i (after FROM/JOIN/comma); returns the index after it. */
  const parseRelation = (i: number, frame: Frame): number => {
    const scope = frame.scope ?? (frame.scope = newScope())
    const t = tokens[i]
    if (!t) return i
    if (t.text === '(' || isKeyword(t, 'LATERAL', 'UNNEST') || tokens[i + 1]?.text === '(') {
      scope.otherRelations++
      return i
    }
    if (identifierOf(t) === null || (t.kind === 'word' && NOT_ALIAS.has(t.value))) return i
    const parts = [identifierOf(t)!]
    let j = i + 1
    while (tokens[j]?.text === '.' && tokens[j + 1] && identifierOf(tokens[j + 1]!) !== null) {
      parts.push(identifierOf(tokens[j + 1]!)!)
      j += 2
    }
    if (tokens[j]?.text === '(') {
      // schema.function(...) — a table function, not a table
      scope.otherRelations++
      return i
    }
    const nameEnd = tokens[j - 1]!
    const ref: TableReference = {
      parts, nameText: allTokensText(tokens, i, j), start: t.start, end: nameEnd.end, line: t.line, column: t.column, scope
    }
    const travel = parseTimeTravel(tokens, j, allTokens, ref.nameText)
    if (travel) {
      ref.timeTravel = travel.timeTravel
      ref.end = tokens[travel.next - 1]!.end
      j = travel.next
    }
    if (isKeyword(tokens[j], 'AS') && tokens[j + 1] && identifierOf(tokens[j + 1]!) !== null) {
      ref.alias = identifierOf(tokens[j + 1]!)!
      j += 2
    } else if (tokens[j] && identifierOf(tokens[j]!) !== null && !(tokens[j]!.kind === 'word' && NOT_ALIAS.has(tokens[j]!.value))) {
      ref.alias = identifierOf(tokens[j]!)!
      j++
    }
    references.push(ref)
    scope.references.push(ref)
    return j
  }

  let i = 0
  while (i < tokens.length) {
    const t = tokens[i]!
    const frame = frames[frames.length - 1]!
    if (t.text === '(') {
      frames.push({ scope: null, sawSelect: false, inFrom: false, whereStart: null, firstIndex: i + 1 })
      i++
      continue
    }
    if (t.text === ')') {
      closeWhere(frame, i)
      if (frames.length > 1) frames.pop()
      i++
      continue
    }
    if (t.kind === 'word') {
      if (t.value === 'SELECT') {
        // A SELECT block starts a scope unless DuckDB's FROM-first form already opened it (`FROM t SELECT a`).
        if (!frame.scope) frame.scope = newScope()
        frame.sawSelect = true
        frame.inFrom = false
      } else if (t.value === 'FROM' && (frame.sawSelect || i === frame.firstIndex)) {
        closeWhere(frame, i)
        if (!frame.scope) frame.scope = newScope()
        frame.inFrom = true
        i = parseRelation(i + 1, frame)
        continue
      } else if (t.value === 'JOIN' && frame.inFrom) {
        i = parseRelation(i + 1, frame)
        continue
      } else if (NON_INNER.has(t.value) && frame.inFrom && frame.scope) {
        frame.scope.hasNonInnerJoin = true
      } else if (t.value === 'WHERE' && frame.scope) {
        frame.inFrom = false
        frame.whereStart = i + 1
      } else if (t.value === 'EXCEPT' && tokens[i - 1]?.text === '*' && tokens[i + 1]?.text === '(' && !isKeyword(tokens[i + 2], 'SELECT', 'WITH', 'FROM', 'VALUES')) {
        // Databricks `SELECT * EXCEPT (cols)`: a column list, not the set operation.
      } else if (CLAUSE_END.has(t.value)) {
        closeWhere(frame, i)
        frame.inFrom = false
        if (t.value === 'UNION' || t.value === 'EXCEPT' || t.value === 'INTERSECT') {
          frame.scope = null
          frame.sawSelect = false
          frame.firstIndex = i + 1
          if (isKeyword(tokens[i + 1], 'ALL', 'DISTINCT')) frame.firstIndex = i + 2
          if (isKeyword(tokens[i + 1], 'BY') || isKeyword(tokens[i + 2], 'BY')) frame.firstIndex = i + 3
        }
      }
    } else if (t.text === ',' && frame.inFrom) {
      i = parseRelation(i + 1, frame)
      continue
    }
    i++
  }
  for (const frame of frames) closeWhere(frame, tokens.length)
  return { references, scopes }
}

function allTokensText(tokens: readonly Token[], from: number, to: number): string {
  return tokens.slice(from, to).map((t) => t.text).join('')
}

/**
 * Parses a time-travel clause starting at index i, if there is one.
 * @throws SqlError INVALID_VERSION when VERSION AS OF is not followed by a non-negative integer.
 */
function parseTimeTravel(tokens: readonly Token[], i: number, allTokens: readonly Token[], table: string): { timeTravel: TimeTravel; next: number } | null {
  const t = tokens[i]
  if (t?.text === '@') {
    const spec = tokens[i + 1]
    if (spec?.kind === 'word' && /^V\d+$/.test(spec.value)) return { timeTravel: { kind: 'version', version: Number(spec.value.slice(1)) }, next: i + 2 }
    if (spec?.kind === 'number' && /^\d{17}$/.test(spec.value)) {
      const v = spec.value
      const iso = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)} ${v.slice(8, 10)}:${v.slice(10, 12)}:${v.slice(12, 14)}.${v.slice(14, 17)}`
      return { timeTravel: { kind: 'timestamp', sql: `'${iso}'` }, next: i + 2 }
    }
    return null
  }
  let j = i
  if (isKeyword(tokens[j], 'FOR')) j++
  const kindWord = tokens[j]
  if (!isKeyword(kindWord, 'VERSION', 'SYSTEM_VERSION', 'TIMESTAMP', 'SYSTEM_TIME')) return null
  if (!isKeyword(tokens[j + 1], 'AS') || !isKeyword(tokens[j + 2], 'OF')) return null
  j += 3
  if (isKeyword(kindWord, 'VERSION', 'SYSTEM_VERSION')) {
    const n = tokens[j]
    const text = n?.kind === 'string' ? n.value : n?.value
    if (!n || !/^\d+$/.test(text ?? '') || !Number.isSafeInteger(Number(text))) {
      // Spark only accepts an integer literal here; say which table and what was written instead.
      const at = n ?? tokens[j - 1]!
      const written = n ? (n.text === '-' && tokens[j + 1] ? `-${tokens[j + 1]!.text}` : n.text) : 'nothing'
      throw new SqlError('INVALID_VERSION', `VERSION AS OF for ${table} needs a non-negative integer version, not ${written} (line ${at.line}, column ${at.column})`, {
        line: at.line, column: at.column, table
      })
    }
    return { timeTravel: { kind: 'version', version: Number(text) }, next: j + 1 }
  }
  const end = timestampExpressionEnd(tokens, j)
  if (end === j) return null
  // Render from the full token list so the expression keeps its spacing (INTERVAL 1 HOUR), in DuckDB's spelling.
  const from = tokens[j]!.start
  const to = tokens[end - 1]!.end
  const expression = allTokens.filter((x) => x.start >= from && x.end <= to)
  return { timeTravel: { kind: 'timestamp', sql: renderWithEdits(expression, sparkSyntaxEdits(expression)) }, next: end }
}

/** The end of a simple timestamp expression: operands (literals, typed literals, INTERVALs, calls) joined by + or -. */
function timestampExpressionEnd(tokens: readonly Token[], start: number): number {
  let j = start
  for (;;) {
    const t = tokens[j]
    if (!t) return j
    if (t.kind === 'string' || t.kind === 'number') j++
    else if (isKeyword(t, 'TIMESTAMP', 'DATE', 'TIMESTAMPTZ') && tokens[j + 1]?.kind === 'string') j += 2
    else if (isKeyword(t, 'INTERVAL')) {
      j++
      if (tokens[j]?.kind === 'string' || tokens[j]?.kind === 'number') j++
      if (tokens[j]?.kind === 'word' && /^(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND|MILLISECOND)S?$/.test(tokens[j]!.value)) j++
    } else if (t.kind === 'word' && tokens[j + 1]?.text === '(') {
      let depth = 0
      j++
      do {
        if (tokens[j]?.text === '(') depth++
        else if (tokens[j]?.text === ')') depth--
        j++
      } while (depth > 0 && j < tokens.length)
    } else if (isKeyword(t, 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'NOW')) j++
    else return j
    if (tokens[j]?.text === '::' && tokens[j + 1]?.kind === 'word') j += 2
    if (tokens[j]?.text === '+' || tokens[j]?.text === '-') j++
    else return j
  }
}
