// Spark type names written in SQL text (CAST targets, from_json schemas) as DuckDB type text.
import { tokenize, isSignificant, type Token } from '../tokenizer'

/** Spark primitive type names -> DuckDB (Spark's TIMESTAMP is zoned, like DuckDB's TIMESTAMPTZ). */
const PRIMITIVES: Record<string, string> = {
  STRING: 'VARCHAR', VARCHAR: 'VARCHAR', CHAR: 'VARCHAR', TEXT: 'VARCHAR',
  BIGINT: 'BIGINT', LONG: 'BIGINT', INT: 'INTEGER', INTEGER: 'INTEGER', SMALLINT: 'SMALLINT', SHORT: 'SMALLINT',
  TINYINT: 'TINYINT', BYTE: 'TINYINT', DOUBLE: 'DOUBLE', FLOAT: 'FLOAT', REAL: 'FLOAT', BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN',
  BINARY: 'BLOB', DATE: 'DATE', TIMESTAMP: 'TIMESTAMPTZ', TIMESTAMP_LTZ: 'TIMESTAMPTZ', TIMESTAMP_NTZ: 'TIMESTAMP',
  VOID: 'INTEGER', INTERVAL: 'INTERVAL'
}

/** Raised for text that is not a Spark type. */
export class SparkTypeError extends Error {}

/** Splits `>>` so nested closers parse one at a time. */
function typeTokens(tokens: readonly Token[]): string[] {
  return tokens.filter(isSignificant).flatMap((t) => (t.text === '>>' ? ['>', '>'] : [t.kind === 'word' ? t.value : t.kind === 'quotedIdent' ? `"${t.value}"` : t.text]))
}

/** A parsed Spark type: DuckDB text plus the field list of a top-level struct. */
export interface SparkTypeText {
  duckdb: string
  /** DuckDB json_transform structure: `"INTEGER"`, `["VARCHAR"]`, `{"a":"DATE"}`. */
  jsonStructure: unknown
}

class TypeParser {
  pos = 0
  constructor(readonly words: string[], readonly raw: string) {}
  peek(): string | undefined {
    return this.words[this.pos]
  }
  expect(text: string): void {
    if (this.words[this.pos] !== text) throw new SparkTypeError(`expected '${text}' in type '${this.raw}'`)
    this.pos++
  }
  type(): SparkTypeText {
    const name = this.words[this.pos++]
    if (name === undefined) throw new SparkTypeError(`missing type in '${this.raw}'`)
    if (name === 'ARRAY') {
      this.expect('<')
      const element = this.type()
      this.expect('>')
      return { duckdb: `${element.duckdb}[]`, jsonStructure: [element.jsonStructure] }
    }
    if (name === 'MAP') {
      this.expect('<')
      const key = this.type()
      this.expect(',')
      const value = this.type()
      this.expect('>')
      return { duckdb: `MAP(${key.duckdb}, ${value.duckdb})`, jsonStructure: `MAP(${key.duckdb}, ${value.duckdb})` }
    }
    if (name === 'STRUCT') {
      this.expect('<')
      const fields = this.peek() === '>' ? [] : this.fields('>')
      this.expect('>')
      return structOf(fields)
    }
    if (name === 'DECIMAL' || name === 'DEC' || name === 'NUMERIC') {
      let precision = '10'
      let scale = '0'
      if (this.peek() === '(') {
        this.pos++
        precision = this.words[this.pos++]!
        if (this.peek() === ',') {
          this.pos++
          scale = this.words[this.pos++]!
        }
        this.expect(')')
      }
      const text = `DECIMAL(${precision},${scale})`
      return { duckdb: text, jsonStructure: text }
    }
    const primitive = PRIMITIVES[name]
    if (!primitive) throw new SparkTypeError(`unknown data type '${name.toLowerCase()}' in '${this.raw}'`)
    if ((name === 'VARCHAR' || name === 'CHAR') && this.peek() === '(') this.pos += 3
    return { duckdb: primitive, jsonStructure: primitive }
  }
  /** `name [:] type [NOT NULL] [COMMENT '...'], ...` up to `end` (exclusive). */
  fields(end: string | undefined): { name: string; type: SparkTypeText }[] {
    const fields: { name: string; type: SparkTypeText }[] = []
    for (;;) {
      const raw = this.words[this.pos++]
      if (raw === undefined) throw new SparkTypeError(`missing field name in '${this.raw}'`)
      const name = raw.startsWith('"') ? raw.slice(1, -1) : this.original(this.pos - 1)
      if (this.peek() === ':') this.pos++
      const type = this.type()
      if (this.peek() === 'NOT') this.pos += 2
      if (this.peek() === 'COMMENT') this.pos += 2
      fields.push({ name, type })
      if (this.peek() !== ',') break
      this.pos++
    }
    if (this.peek() !== end) throw new SparkTypeError(`unexpected '${this.peek()}' in type '${this.raw}'`)
    return fields
  }
  /** Field names keep the case they were written in. */
  original(index: number): string {
    return this.originals[index] ?? this.words[index]!
  }
  originals: string[] = []
}

function structOf(fields: { name: string; type: SparkTypeText }[]): SparkTypeText {
  return {
    duckdb: `STRUCT(${fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${f.type.duckdb}`).join(', ')})`,
    jsonStructure: Object.fromEntries(fields.map((f) => [f.name, f.type.jsonStructure]))
  }
}

function parserFor(text: string): TypeParser {
  const tokens = tokenize(text).filter(isSignificant)
  const parser = new TypeParser(typeTokens(tokens), text)
  parser.originals = tokens.flatMap((t) => (t.text === '>>' ? ['>', '>'] : [t.kind === 'quotedIdent' ? `"${t.value}"` : t.text]))
  return parser
}

/**
 * A Spark type written in SQL (`array<int>`, `decimal(4, 2)`, `struct<a:int>`) as DuckDB type text.
 * @throws SparkTypeError for unknown type names or malformed nesting.
 */
export function duckdbTypeOfSpark(text: string): SparkTypeText {
  const parser = parserFor(text)
  const type = parser.type()
  if (parser.peek() !== undefined) throw new SparkTypeError(`unexpected '${parser.peek()}' after type in '${text}'`)
  return type
}

/** Words Spark's ANSI mode reserves: they cannot name a field in a DDL schema string. */
const ANSI_RESERVED = new Set(['ALL', 'AND', 'ANY', 'AS', 'AUTHORIZATION', 'BOTH', 'CASE', 'CAST', 'CHECK', 'COLLATE', 'COLUMN', 'CONSTRAINT', 'CREATE', 'CROSS', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'DISTINCT', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'FALSE', 'FETCH', 'FOR', 'FOREIGN', 'FROM', 'FULL', 'GRANT', 'GROUP', 'HAVING', 'IN', 'INNER', 'INTERSECT', 'INTO', 'IS', 'JOIN', 'LEADING', 'LEFT', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'ONLY', 'OR', 'ORDER', 'OUTER', 'OVERLAPS', 'PRIMARY', 'REFERENCES', 'RIGHT', 'SELECT', 'SESSION_USER', 'SOME', 'TABLE', 'THEN', 'TIME', 'TO', 'TRAILING', 'UNION', 'UNIQUE', 'UNKNOWN', 'USER', 'USING', 'WHEN', 'WHERE', 'WITH'])

/**
 * A schema string as from_json takes it: a DDL field list (`a INT, b STRING`) or a single type (`struct<...>`,
 * `array<int>`). In ANSI mode a reserved word cannot name a field, as in Spark.
 * @throws SparkTypeError for a malformed schema.
 */
export function duckdbTypeOfSchema(text: string, ansi: boolean): SparkTypeText {
  try {
    return duckdbTypeOfSpark(text)
  } catch (e) {
    const parser = parserFor(text)
    let fields: { name: string; type: SparkTypeText }[]
    try {
      fields = parser.fields(undefined)
    } catch {
      throw e
    }
    for (const f of fields) if (ansi && ANSI_RESERVED.has(f.name.toUpperCase())) throw new SparkTypeError(`'${f.name}' is a reserved word in ANSI mode`)
    return structOf(fields)
  }
}
