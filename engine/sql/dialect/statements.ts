// Recognises the Spark/Delta statement forms DuckDB lacks (DESCRIBE HISTORY, CREATE TABLE ... USING DELTA, INSERT, DELETE, ...).
import type { StructField } from '../../delta/schema'
import { classifyMaintenance, type MaintenanceStatement } from './maintenanceStatements'
import { parseSparkType } from './sparkTypes'
import { TokenCursor } from './tokenCursor'
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'

/** A table named in a statement: parts as written plus where it was written. */
export interface NamedTable {
  parts: string[]
  line: number
  column: number
}

export type SparkStatement =
  | { kind: 'query' }
  | { kind: 'describeHistory'; table: NamedTable; limit?: number }
  | { kind: 'describeDetail'; table: NamedTable }
  | { kind: 'describeTable'; table: NamedTable; extended: boolean }
  | { kind: 'showSchemas' }
  | { kind: 'showTables'; schema?: string }
  | { kind: 'showColumns'; table: NamedTable }
  /** USE [SCHEMA|DATABASE] name: Spark's current schema (one-part names), which the engine does not keep. */
  | { kind: 'use'; name: string; line: number; column: number }
  | { kind: 'createSchema'; name: string; ifNotExists: boolean }
  | {
      kind: 'createTable'
      table: NamedTable
      ifNotExists: boolean
      orReplace: boolean
      columns?: StructField[]
      partitionedBy: string[]
      comment?: string
      properties: Record<string, string>
      /** Raw tokens of the AS query (CTAS), not yet rewritten. */
      asQuery?: Token[]
    }
  | {
      kind: 'insert'
      table: NamedTable
      overwrite: boolean
      columns?: string[]
      byName: boolean
      /** Raw tokens of a REPLACE WHERE predicate (Databricks `INSERT INTO t REPLACE WHERE p SELECT ...`). */
      replaceWhere?: Token[]
      /** Static partition values from PARTITION (col = literal, ...). */
      partition?: Token[]
      query: Token[]
    }
  | { kind: 'delete'; table: NamedTable; alias?: string; where?: Token[] }
  /** A statement that would change a table in a way the engine does not implement yet (UPDATE, MERGE, DROP...). */
  | { kind: 'otherTableCommand'; verb: string; table: NamedTable }
  /** RESTORE / OPTIMIZE / VACUUM on a named table (see maintenanceStatements). */
  | MaintenanceStatement

/** Raw tokens from `first` to `last` inclusive (whitespace and comments between them kept). */
function rawBetween(all: readonly Token[], first: Token, last: Token): Token[] {
  return all.filter((t) => t.start >= first.start && t.end <= last.end)
}

/** Raw tokens from the cursor position to the end of the statement (whitespace and comments kept). */
function restOf(all: readonly Token[], cursor: TokenCursor): Token[] {
  const from = cursor.sourceOffset()
  return all.filter((t) => t.start >= from)
}

function namedTable(cursor: TokenCursor): NamedTable {
  const t = cursor.peek()
  const parts = cursor.expectQualifiedName()
  return { parts, line: t?.line ?? 1, column: t?.column ?? 1 }
}

/**
 * Classifies one statement. Forms that are not Spark-specific come back as `{kind: 'query'}` and are run by DuckDB
 * after their table references are bound (including DuckDB's own `DESCRIBE SELECT ...`, `CREATE TABLE` without
 * USING DELTA or a schema, `INSERT` into DuckDB tables: the runner decides from the catalog).
 * @throws SqlError SYNTAX_ERROR with line/column when a recognised Spark form is malformed.
 */
export function classifyStatement(tokens: readonly Token[]): SparkStatement {
  const cursor = new TokenCursor(tokens)
  const first = cursor.peek()
  if (!first || first.kind !== 'word') return { kind: 'query' }
  switch (first.value) {
    case 'DESCRIBE':
    case 'DESC': {
      cursor.next()
      if (cursor.acceptKeywords('HISTORY')) {
        const table = namedTable(cursor)
        let limit: number | undefined
        if (cursor.acceptKeywords('LIMIT')) {
          const n = cursor.next()
          if (n?.kind !== 'number' || !/^\d+$/.test(n.value)) cursor.fail('expected a row count after LIMIT')
          limit = Number(n!.value)
        }
        if (!cursor.atEnd()) cursor.fail('unexpected text after DESCRIBE HISTORY')
        return { kind: 'describeHistory', table, limit }
      }
      if (cursor.acceptKeywords('DETAIL')) {
        const table = namedTable(cursor)
        if (!cursor.atEnd()) cursor.fail('unexpected text after DESCRIBE DETAIL')
        return { kind: 'describeDetail', table }
      }
      cursor.acceptKeywords('TABLE')
      const extended = cursor.acceptKeywords('EXTENDED') || cursor.acceptKeywords('FORMATTED')
      const next = cursor.peek()
      if (!next || isKeyword(next, 'SELECT', 'FROM', 'WITH', 'VALUES') || next.text === '(') return { kind: 'query' }
      const table = namedTable(cursor)
      if (!cursor.atEnd()) return { kind: 'query' }
      return { kind: 'describeTable', table, extended }
    }
    case 'SHOW': {
      cursor.next()
      if (cursor.acceptKeywords('SCHEMAS') || cursor.acceptKeywords('DATABASES')) return { kind: 'showSchemas' }
      if (cursor.acceptKeywords('TABLES')) {
        if (cursor.acceptKeywords('IN') || cursor.acceptKeywords('FROM')) return { kind: 'showTables', schema: cursor.expectIdentifier('a schema name') }
        return { kind: 'showTables' }
      }
      if (cursor.acceptKeywords('COLUMNS')) {
        if (!cursor.acceptKeywords('IN') && !cursor.acceptKeywords('FROM')) cursor.fail('expected IN or FROM after SHOW COLUMNS')
        const table = namedTable(cursor)
        // SHOW COLUMNS IN t IN schema: the second name is the schema.
        if ((cursor.acceptKeywords('IN') || cursor.acceptKeywords('FROM')) && table.parts.length === 1) table.parts.unshift(cursor.expectIdentifier('a schema name'))
        if (!cursor.atEnd()) cursor.fail('unexpected text after SHOW COLUMNS')
        return { kind: 'showColumns', table }
      }
      return { kind: 'query' }
    }
    case 'USE': {
      cursor.next()
      if (!cursor.acceptKeywords('SCHEMA')) cursor.acceptKeywords('DATABASE')
      const at = cursor.peek()
      if (!at || cursor.tokens.length - cursor.pos !== 1 || identifierOf(at) === null) return { kind: 'query' }
      return { kind: 'use', name: identifierOf(at)!, line: at.line, column: at.column }
    }
    case 'CREATE':
      return classifyCreate(tokens, cursor)
    case 'INSERT':
      return classifyInsert(tokens, cursor)
    case 'DELETE': {
      cursor.next()
      cursor.expectKeywords('FROM')
      const table = namedTable(cursor)
      let alias: string | undefined
      if (cursor.acceptKeywords('AS')) alias = cursor.expectIdentifier('an alias')
      else if (cursor.peek() && !isKeyword(cursor.peek(), 'WHERE')) alias = cursor.expectIdentifier('WHERE')
      if (cursor.atEnd()) return { kind: 'delete', table, alias }
      cursor.expectKeywords('WHERE')
      return { kind: 'delete', table, alias, where: restOf(tokens, cursor) }
    }
    case 'OPTIMIZE':
    case 'VACUUM':
    case 'RESTORE': {
      const maintenance = classifyMaintenance(tokens)
      if (maintenance) return maintenance
      return { kind: 'query' }
    }
    case 'UPDATE':
    case 'MERGE':
    case 'DROP':
    case 'ALTER':
    case 'TRUNCATE': {
      cursor.next()
      const verb = first.value === 'MERGE' || first.value === 'UPDATE' ? first.value : `${first.value}${isKeyword(cursor.peek(), 'TABLE') ? ' TABLE' : ''}`
      if (first.value === 'MERGE') cursor.acceptKeywords('INTO')
      if (['DROP', 'ALTER', 'TRUNCATE'].includes(first.value) && !cursor.acceptKeywords('TABLE')) return { kind: 'query' }
      cursor.acceptKeywords('IF', 'EXISTS')
      const t = cursor.peek()
      if (!t || identifierOf(t) === null) return { kind: 'query' }
      return { kind: 'otherTableCommand', verb, table: namedTable(cursor) }
    }
    default:
      return { kind: 'query' }
  }
}

function classifyCreate(tokens: readonly Token[], cursor: TokenCursor): SparkStatement {
  cursor.next()
  const orReplace = cursor.acceptKeywords('OR', 'REPLACE')
  if (cursor.acceptKeywords('SCHEMA') || cursor.acceptKeywords('DATABASE')) {
    const ifNotExists = cursor.acceptKeywords('IF', 'NOT', 'EXISTS')
    const name = cursor.expectIdentifier('a schema name')
    return { kind: 'createSchema', name, ifNotExists }
  }
  if (!cursor.acceptKeywords('TABLE')) return { kind: 'query' }
  const ifNotExists = cursor.acceptKeywords('IF', 'NOT', 'EXISTS')
  const table = namedTable(cursor)
  let columns: StructField[] | undefined
  if (cursor.acceptSymbol('(')) {
    columns = []
    do {
      const name = cursor.expectIdentifier('a column name')
      const type = parseSparkType(cursor)
      let nullable = true
      const metadata: Record<string, unknown> = {}
      for (;;) {
        if (cursor.acceptKeywords('NOT', 'NULL')) nullable = false
        else if (cursor.acceptKeywords('COMMENT')) metadata.comment = cursor.expectString('a comment')
        else break
      }
      columns.push({ name, type, nullable, metadata })
    } while (cursor.acceptSymbol(','))
    cursor.expectSymbol(')')
  }
  let usingDelta = false
  let partitionedBy: string[] = []
  let comment: string | undefined
  const properties: Record<string, string> = {}
  let asQuery: Token[] | undefined
  for (;;) {
    if (cursor.acceptKeywords('USING')) {
      const provider = cursor.expectIdentifier('a table provider')
      if (provider.toLowerCase() !== 'delta') {
        cursor.pos--
        cursor.fail(`only USING DELTA tables can be created in a lakehouse, not USING ${provider}`)
      }
      usingDelta = true
    } else if (cursor.acceptKeywords('PARTITIONED', 'BY')) {
      cursor.expectSymbol('(')
      do partitionedBy.push(cursor.expectIdentifier('a partition column'))
      while (cursor.acceptSymbol(','))
      cursor.expectSymbol(')')
    } else if (cursor.acceptKeywords('COMMENT')) {
      comment = cursor.expectString('a table comment')
    } else if (cursor.acceptKeywords('TBLPROPERTIES')) {
      cursor.expectSymbol('(')
      do {
        const keyTok = cursor.peek()
        let key: string
        if (keyTok?.kind === 'string') key = cursor.expectString()
        else key = cursor.expectQualifiedName('a property name').join('.')
        cursor.acceptSymbol('=')
        const valueTok = cursor.next()
        if (!valueTok || !['string', 'number', 'word'].includes(valueTok.kind)) cursor.fail('expected a property value')
        properties[key] = valueTok!.kind === 'string' ? valueTok!.value : valueTok!.text
      } while (cursor.acceptSymbol(','))
      cursor.expectSymbol(')')
    } else if (cursor.acceptKeywords('AS')) {
      asQuery = restOf(tokens, cursor)
      break
    } else if (cursor.atEnd()) break
    else if (!usingDelta && columns === undefined) return { kind: 'query' }
    else if (isKeyword(cursor.peek(), 'LOCATION')) {
      cursor.fail('LOCATION is not supported: lakehouse tables live under tables/<schema>/<table>; to create a table in another folder, name it delta.`/path/to/table`')
    } else cursor.fail('unexpected text in CREATE TABLE')
  }
  // Without USING DELTA, a one-part name is DuckDB's own (temporary, in-memory) table.
  if (!usingDelta && table.parts.length < 2) return { kind: 'query' }
  if (!columns && !asQuery) cursor.fail('CREATE TABLE needs a column list or AS SELECT')
  partitionedBy = partitionedBy.map((p) => p)
  return { kind: 'createTable', table, ifNotExists, orReplace, columns, partitionedBy, comment, properties, asQuery }
}

function classifyInsert(tokens: readonly Token[], cursor: TokenCursor): SparkStatement {
  cursor.next()
  let overwrite = false
  if (cursor.acceptKeywords('OVERWRITE')) overwrite = true
  else if (!cursor.acceptKeywords('INTO')) return { kind: 'query' }
  cursor.acceptKeywords('TABLE')
  const table = namedTable(cursor)
  let partition: Token[] | undefined
  if (cursor.acceptKeywords('PARTITION')) {
    const start = cursor.pos
    cursor.expectSymbol('(')
    let depth = 1
    while (depth > 0 && !cursor.atEnd()) {
      const t = cursor.next()!
      if (t.text === '(') depth++
      else if (t.text === ')') depth--
    }
    partition = cursor.tokens.slice(start + 1, cursor.pos - 1)
  }
  let byName = false
  let columns: string[] | undefined
  let replaceWhere: Token[] | undefined
  if (cursor.acceptKeywords('BY', 'NAME')) byName = true
  else if (cursor.peek()?.text === '(' && !isKeyword(cursor.peek(1), 'SELECT', 'WITH', 'VALUES', 'FROM')) {
    cursor.next()
    columns = []
    do columns.push(cursor.expectIdentifier('a column name'))
    while (cursor.acceptSymbol(','))
    cursor.expectSymbol(')')
  }
  if (cursor.acceptKeywords('REPLACE', 'WHERE')) {
    // The predicate runs until the query starts (SELECT / WITH / VALUES / FROM / TABLE at depth 0).
    const start = cursor.pos
    let depth = 0
    while (!cursor.atEnd()) {
      const t = cursor.peek()!
      if (t.text === '(') depth++
      else if (t.text === ')') depth--
      if (depth === 0 && isKeyword(t, 'SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE')) break
      cursor.next()
    }
    if (cursor.pos === start) cursor.fail('expected a predicate after REPLACE WHERE')
    replaceWhere = rawBetween(tokens, cursor.tokens[start]!, cursor.tokens[cursor.pos - 1]!)
  }
  if (cursor.atEnd()) cursor.fail('expected a query or VALUES after the INSERT target')
  const query = restOf(tokens, cursor)
  if (!query.some(isSignificant)) cursor.fail('expected a query')
  return { kind: 'insert', table, overwrite, columns, byName, replaceWhere, partition, query }
}
