// Parses a dataset's column/constraint list and its table clauses (PARTITIONED BY, COMMENT, TBLPROPERTIES, ...).
import type { Token } from '../../sql/dialect/tokenizer'
import type { ColumnDefinition, Expectation, PipelineDiagnostic, UnsupportedFeature } from '../model'
import { StatementCursor } from './statementCursor'

export interface TableSpecification {
  columns: ColumnDefinition[]
  expectations: Expectation[]
  keyConstraints: string[]
  unsupported: UnsupportedFeature[]
}

export interface TableClauses {
  partitionColumns: string[]
  clusterBy: string[]
  comment?: string
  properties: Record<string, string>
  unsupported: UnsupportedFeature[]
  diagnostics: PipelineDiagnostic[]
}

const COLUMN_PROPERTY = new Set(['NOT', 'NULL', 'COMMENT', 'GENERATED', 'DEFAULT', 'MASK', 'CONSTRAINT', 'PRIMARY', 'REFERENCES', 'COLLATE'])
const CLAUSE_START = new Set(['AS', 'COMMENT', 'PARTITIONED', 'CLUSTER', 'TBLPROPERTIES', 'SCHEDULE', 'TRIGGER', 'WITH', 'LOCATION', 'USING', 'OPTIONS', 'DEFAULT', 'REFRESH'])

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s

/**
 * Parses `( column | CONSTRAINT name EXPECT (expr) [ON VIOLATION ...] | [CONSTRAINT name] PRIMARY KEY|FOREIGN KEY ..., ... )`
 * with the cursor on the `(`. @throws ParseFailure naming the item and what was expected.
 */
export function parseTableSpecification(cursor: StatementCursor): TableSpecification {
  const spec: TableSpecification = { columns: [], expectations: [], keyConstraints: [], unsupported: [] }
  const openIndex = cursor.pos
  const group = cursor.expectGroup('the column list')
  const inner = cursor.tokens.slice(openIndex + 1, cursor.pos - 1)
  for (const item of splitItems(inner)) {
    const end = item.length > 0 ? item[item.length - 1]!.end : group.end
    if (item.length === 0) new StatementCursor(cursor.source, [], group.end).fail('expected a column or constraint')
    parseItem(new StatementCursor(cursor.source, item, end), spec)
  }
  return spec
}

/** Splits on commas outside brackets and outside `<...>` type parameters (STRUCT<a: INT, b: STRING>). */
function splitItems(tokens: readonly Token[]): Token[][] {
  const items: Token[][] = []
  let current: Token[] = []
  let parens = 0
  let angles = 0
  for (const t of tokens) {
    if (isSym(t, '(')) parens++
    else if (isSym(t, ')')) parens--
    else if (parens === 0 && isSym(t, '<')) angles++
    else if (parens === 0 && isSym(t, '>')) angles = Math.max(0, angles - 1)
    else if (parens === 0 && isSym(t, '>>')) angles = Math.max(0, angles - 2)
    if (parens === 0 && angles === 0 && isSym(t, ',')) {
      items.push(current)
      current = []
    } else current.push(t)
  }
  items.push(current)
  return items
}

function parseItem(c: StatementCursor, spec: TableSpecification): void {
  const text = c.source.text
  const first = c.peek()!
  const itemText = (): string => text.slice(first.start, c.tokens[c.tokens.length - 1]!.end)
  if (c.atWords('CONSTRAINT')) {
    c.next()
    const name = c.expectIdentifier('a constraint name')
    if (c.acceptWords('EXPECT')) {
      const expression = c.expectGroupText(`the expectation ${name}`)
      if (expression === '') c.fail(`expected a condition inside EXPECT ( ) of ${name}`)
      let action: Expectation['action'] = 'warn'
      if (c.acceptWords('ON', 'VIOLATION')) {
        if (c.acceptWords('DROP', 'ROW')) action = 'drop'
        else if (c.acceptWords('FAIL', 'UPDATE')) action = 'fail'
        else c.fail('expected DROP ROW or FAIL UPDATE after ON VIOLATION')
      }
      if (!c.atEnd()) c.fail(`expected ',' or ')' after the expectation ${name}`)
      spec.expectations.push({ name, expression, action, location: c.source.locate(first.start) })
      return
    }
    if (c.isWord(0, 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK')) {
      spec.keyConstraints.push(itemText())
      return
    }
    c.fail(`expected EXPECT, PRIMARY KEY or FOREIGN KEY after CONSTRAINT ${name}`)
  }
  if (c.atWords('PRIMARY', 'KEY') || c.atWords('FOREIGN', 'KEY')) {
    spec.keyConstraints.push(itemText())
    return
  }
  const column: ColumnDefinition = { name: c.expectIdentifier('a column name, CONSTRAINT, PRIMARY KEY or FOREIGN KEY'), nullable: true }
  const typeStart = c.pos
  let angles = 0
  while (!c.atEnd() && !(angles === 0 && c.peek()!.kind === 'word' && COLUMN_PROPERTY.has(c.peek()!.value))) {
    const t = c.peek()!
    if (t.kind === 'punct' && t.text === '(') c.expectGroup(`the type of ${column.name}`)
    else {
      if (isSym(t, '<')) angles++
      else if (isSym(t, '>')) angles--
      else if (isSym(t, '>>')) angles -= 2
      c.next()
    }
  }
  if (c.pos > typeStart) column.type = text.slice(c.tokens[typeStart]!.start, c.tokens[c.pos - 1]!.end)
  while (!c.atEnd()) {
    const at = c.peek()!
    if (c.acceptWords('NOT', 'NULL')) column.nullable = false
    else if (c.acceptWords('NULL')) column.nullable = true
    else if (c.acceptWords('COMMENT')) column.comment = c.expectString(`the comment of column ${column.name}`)
    else if (c.acceptWords('COLLATE')) c.expectIdentifier('a collation name')
    else if (c.acceptWords('GENERATED')) {
      if (!c.acceptWords('ALWAYS')) c.expectWords('BY', 'DEFAULT')
      c.expectWords('AS')
      if (c.acceptWords('IDENTITY')) {
        if (c.atSymbol('(')) c.expectGroup('the identity options')
      } else {
        column.generatedAs = c.expectGroupText(`the generation expression of ${column.name}`)
      }
    } else if (c.acceptWords('DEFAULT')) {
      skipUntil(c, (t) => t.kind === 'word' && COLUMN_PROPERTY.has(t.value) && t.value !== 'NULL')
    } else if (c.acceptWords('MASK')) {
      const fn = c.expectName('a mask function name')
      if (c.acceptWords('USING', 'COLUMNS')) c.expectGroup('the mask columns')
      spec.unsupported.push({
        feature: 'column_mask',
        detail: `column ${column.name} is masked by ${fn.written}; masks are Unity Catalog policies and are not applied locally`,
        location: c.source.locate(at.start)
      })
    } else if (c.isWord(0, 'CONSTRAINT', 'PRIMARY', 'REFERENCES')) {
      spec.keyConstraints.push(`${column.name} ${text.slice(at.start, c.tokens[c.tokens.length - 1]!.end)}`)
      c.pos = c.tokens.length
    } else c.fail(`expected NOT NULL, COMMENT, GENERATED ALWAYS AS or ',' after column ${column.name}`)
  }
  spec.columns.push(column)
}

function skipUntil(c: StatementCursor, stop: (t: Token) => boolean): void {
  while (!c.atEnd() && !stop(c.peek()!)) {
    if (c.atSymbol('(')) c.expectGroup('an expression')
    else c.next()
  }
}

/** Identifiers in `( a, b.c, ... )`. @throws ParseFailure otherwise. */
export function parseNameList(c: StatementCursor, what: string): string[] {
  c.expectSymbol('(')
  const names: string[] = []
  do names.push(c.expectName(`a column name in ${what}`).parts.join('.'))
  while (c.acceptSymbol(','))
  c.expectSymbol(')')
  return names
}

/**
 * Parses table clauses in any order until AS or the end of the statement. SCHEDULE / REFRESH EVERY / TRIGGER ON
 * UPDATE / LOCATION are accepted and ignored with a warning; row filters are reported as unsupported.
 * @throws ParseFailure at an unknown clause, naming the clauses that may follow.
 */
export function parseTableClauses(c: StatementCursor): TableClauses {
  const clauses: TableClauses = { partitionColumns: [], clusterBy: [], properties: {}, unsupported: [], diagnostics: [] }
  const ignored = (at: Token, what: string): void => {
    skipUntil(c, (t) => t.kind === 'word' && CLAUSE_START.has(t.value) && t !== at)
    clauses.diagnostics.push({
      severity: 'warning',
      code: 'IGNORED_CLAUSE',
      message: `${what} is ignored: a local run refreshes when it is started`,
      location: c.source.locate(at.start)
    })
  }
  while (!c.atEnd() && !c.isWord(0, 'AS')) {
    const at = c.peek()!
    if (c.acceptWords('PARTITIONED', 'BY')) clauses.partitionColumns = parseNameList(c, 'PARTITIONED BY')
    else if (c.acceptWords('CLUSTER', 'BY')) {
      if (c.acceptWords('AUTO') || c.acceptWords('NONE')) clauses.clusterBy = []
      else clauses.clusterBy = parseNameList(c, 'CLUSTER BY')
    } else if (c.acceptWords('COMMENT')) clauses.comment = c.expectString('the table comment')
    else if (c.acceptWords('TBLPROPERTIES')) Object.assign(clauses.properties, parseProperties(c))
    else if (c.acceptWords('OPTIONS')) parseProperties(c)
    else if (c.acceptWords('DEFAULT', 'COLLATION')) c.expectIdentifier('a collation name')
    else if (c.acceptWords('USING')) c.expectIdentifier('a table format')
    else if (c.isWord(0, 'SCHEDULE')) {
      c.next()
      c.acceptWords('REFRESH')
      ignored(at, 'SCHEDULE')
    }
    else if (c.atWords('REFRESH', 'EVERY')) ignored(c.next()!, 'REFRESH EVERY')
    else if (c.atWords('TRIGGER', 'ON', 'UPDATE')) ignored(c.next()!, 'TRIGGER ON UPDATE')
    else if (c.isWord(0, 'LOCATION')) ignored(c.next()!, 'LOCATION')
    else if (c.acceptWords('WITH', 'ROW', 'FILTER')) {
      const fn = c.expectName('a row filter function name')
      c.expectWords('ON')
      c.expectGroup('the row filter columns')
      clauses.unsupported.push({
        feature: 'row_filter',
        detail: `row filter ${fn.written} is a Unity Catalog policy and is not applied locally`,
        location: c.source.locate(at.start)
      })
    } else c.fail('expected AS, COMMENT, PARTITIONED BY, CLUSTER BY, TBLPROPERTIES or the end of the statement')
  }
  return clauses
}

/** `( key [=] value, ... )` with keys as strings or dotted names and literal values. */
function parseProperties(c: StatementCursor): Record<string, string> {
  const properties: Record<string, string> = {}
  c.expectSymbol('(')
  if (c.acceptSymbol(')')) return properties
  do {
    const t = c.peek()
    const key = t && (t.kind === 'string' || (t.kind === 'quotedIdent' && !t.backtick)) ? c.expectString('a property key') : c.expectName('a property key').parts.join('.')
    c.acceptSymbol('=')
    const v = c.peek()
    if (v === undefined || v.kind === 'punct') c.fail(`expected a value for property ${key}`)
    if (v!.kind === 'string' || (v!.kind === 'quotedIdent' && !v!.backtick)) properties[key] = c.expectString('a property value')
    else {
      const start = c.next()!
      // signed numbers arrive as two tokens
      properties[key] = (start.text === '-' || start.text === '+') && c.peek()?.kind === 'number' ? start.text + c.next()!.text : start.text
    }
  } while (c.acceptSymbol(','))
  c.expectSymbol(')')
  return properties
}
