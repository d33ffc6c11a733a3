// Parses Delta's table maintenance commands: RESTORE ... TO VERSION|TIMESTAMP AS OF, OPTIMIZE [WHERE] [ZORDER BY], VACUUM [RETAIN n HOURS] [DRY RUN].
import type { NamedTable } from './statements'
import { TokenCursor } from './tokenCursor'
import { identifierOf, isKeyword, type Token } from './tokenizer'

export type MaintenanceStatement =
  | { kind: 'restore'; table: NamedTable; version?: number; timestamp?: string }
  | { kind: 'optimize'; table: NamedTable; where?: Token[]; zorderBy: string[] }
  | { kind: 'vacuum'; table: NamedTable; retentionHours?: number; dryRun: boolean }

function namedTable(cursor: TokenCursor): NamedTable {
  const t = cursor.peek()
  const parts = cursor.expectQualifiedName()
  return { parts, line: t?.line ?? 1, column: t?.column ?? 1 }
}

function expectNumber(cursor: TokenCursor, what: string, integer: boolean): number {
  const t = cursor.next()
  if (t?.kind !== 'number' || (integer && !/^\d+$/.test(t.value))) {
    if (t) cursor.pos--
    cursor.fail(`expected ${what}`)
  }
  return Number(t.value)
}

/**
 * Parses a statement starting with RESTORE, OPTIMIZE or VACUUM, or returns null when it is not that form (so the
 * caller can treat it as something else, e.g. DuckDB's own VACUUM without a table name).
 * @throws SqlError SYNTAX_ERROR with line/column for a malformed command.
 */
export function classifyMaintenance(tokens: readonly Token[]): MaintenanceStatement | null {
  const cursor = new TokenCursor(tokens)
  const verb = cursor.next()
  if (!verb || verb.kind !== 'word') return null
  if (verb.value === 'RESTORE') {
    cursor.acceptKeywords('TABLE')
    const t = cursor.peek()
    if (!t || identifierOf(t) === null) return null
    const table = namedTable(cursor)
    cursor.acceptKeywords('TO')
    if (cursor.acceptKeywords('VERSION', 'AS', 'OF')) {
      const version = expectNumber(cursor, 'a version number after VERSION AS OF', true)
      if (!cursor.atEnd()) cursor.fail('unexpected text after RESTORE ... VERSION AS OF n')
      return { kind: 'restore', table, version }
    }
    if (cursor.acceptKeywords('TIMESTAMP', 'AS', 'OF')) {
      const timestamp = cursor.expectString('a timestamp string after TIMESTAMP AS OF')
      if (!cursor.atEnd()) cursor.fail("unexpected text after RESTORE ... TIMESTAMP AS OF '...'")
      return { kind: 'restore', table, timestamp }
    }
    cursor.fail('expected TO VERSION AS OF n or TO TIMESTAMP AS OF \'timestamp\'')
  }
  if (verb.value === 'OPTIMIZE') {
    const t = cursor.peek()
    if (!t || identifierOf(t) === null) return null
    const table = namedTable(cursor)
    let where: Token[] | undefined
    if (cursor.acceptKeywords('WHERE')) {
      const start = cursor.pos
      let depth = 0
      while (!cursor.atEnd()) {
        const tok = cursor.peek()!
        if (tok.text === '(') depth++
        else if (tok.text === ')') depth--
        if (depth === 0 && isKeyword(tok, 'ZORDER')) break
        cursor.next()
      }
      if (cursor.pos === start) cursor.fail('expected a predicate after WHERE')
      const first = cursor.tokens[start]!
      const last = cursor.tokens[cursor.pos - 1]!
      where = tokens.filter((x) => x.start >= first.start && x.end <= last.end)
    }
    const zorderBy: string[] = []
    if (cursor.acceptKeywords('ZORDER', 'BY')) {
      const parenthesised = cursor.acceptSymbol('(')
      do zorderBy.push(cursor.expectIdentifier('a ZORDER BY column'))
      while (cursor.acceptSymbol(','))
      if (parenthesised) cursor.expectSymbol(')')
    }
    if (!cursor.atEnd()) cursor.fail('unexpected text after OPTIMIZE')
    return { kind: 'optimize', table, where, zorderBy }
  }
  if (verb.value === 'VACUUM') {
    const t = cursor.peek()
    // DuckDB has its own VACUUM [ANALYZE] [table]; only a lakehouse-style name (checked by the runner) is Delta's.
    if (!t || identifierOf(t) === null || isKeyword(t, 'ANALYZE', 'FULL')) return null
    const table = namedTable(cursor)
    let retentionHours: number | undefined
    let dryRun = false
    if (cursor.acceptKeywords('RETAIN')) {
      retentionHours = expectNumber(cursor, 'a number of hours after RETAIN', false)
      cursor.expectKeywords('HOURS')
    }
    if (cursor.acceptKeywords('DRY', 'RUN')) dryRun = true
    if (!cursor.atEnd()) cursor.fail('unexpected text after VACUUM (expected RETAIN n HOURS and/or DRY RUN)')
    return { kind: 'vacuum', table, retentionHours, dryRun }
  }
  return null
}
