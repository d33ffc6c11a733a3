// Spark SQL type names <-> Delta schema types: parsing column definitions in CREATE TABLE and printing DESCRIBE output.
import { isArray, isMap, isStruct, type DataType, type StructField } from '../../delta/schema'
import { deltaTypeOf } from '../../delta/typeMapping'
import type { TokenCursor } from './tokenCursor'

const PRIMITIVES: Record<string, string> = {
  STRING: 'string', VARCHAR: 'string', CHAR: 'string', TEXT: 'string',
  BIGINT: 'long', LONG: 'long',
  INT: 'integer', INTEGER: 'integer',
  SMALLINT: 'short', SHORT: 'short',
  TINYINT: 'byte', BYTE: 'byte',
  DOUBLE: 'double', FLOAT: 'float', REAL: 'float',
  BOOLEAN: 'boolean', BOOL: 'boolean',
  BINARY: 'binary',
  DATE: 'date',
  TIMESTAMP: 'timestamp', TIMESTAMP_LTZ: 'timestamp',
  TIMESTAMP_NTZ: 'timestamp_ntz'
}

/** Consumes a '>' that closes a type, splitting a '>>' token written for nested types. */
function expectClose(cursor: TokenCursor): void {
  const t = cursor.peek()
  if (t?.text === '>>') {
    // Split '>>' in place: keep the second '>' for the enclosing type.
    cursor.tokens.splice(cursor.pos, 1, { ...t, text: '>', value: '>', end: t.start + 1 }, { ...t, text: '>', value: '>', start: t.start + 1, column: t.column + 1 })
  }
  cursor.expectSymbol('>')
}

/**
 * Parses a Spark type (STRING, INT, DECIMAL(p,s), ARRAY<T>, MAP<K,V>, STRUCT<a: T, ...>, ...) into a Delta type.
 * @throws SqlError SYNTAX_ERROR naming the unknown type and its position.
 */
export function parseSparkType(cursor: TokenCursor): DataType {
  const t = cursor.peek()
  if (!t || t.kind !== 'word') cursor.fail('expected a data type')
  const name = t!.value
  cursor.next()
  if (name === 'ARRAY') {
    cursor.expectSymbol('<')
    const elementType = parseSparkType(cursor)
    expectClose(cursor)
    return { type: 'array', elementType, containsNull: true }
  }
  if (name === 'MAP') {
    cursor.expectSymbol('<')
    const keyType = parseSparkType(cursor)
    cursor.expectSymbol(',')
    const valueType = parseSparkType(cursor)
    expectClose(cursor)
    return { type: 'map', keyType, valueType, valueContainsNull: true }
  }
  if (name === 'STRUCT') {
    cursor.expectSymbol('<')
    const fields: StructField[] = []
    if (cursor.peek()?.text !== '>') {
      do {
        const fieldName = cursor.expectIdentifier('a struct field name')
        cursor.acceptSymbol(':')
        const type = parseSparkType(cursor)
        let nullable = true
        if (cursor.acceptKeywords('NOT', 'NULL')) nullable = false
        const metadata: Record<string, unknown> = {}
        if (cursor.acceptKeywords('COMMENT')) metadata.comment = cursor.expectString('a comment')
        fields.push({ name: fieldName, type, nullable, metadata })
      } while (cursor.acceptSymbol(','))
    }
    expectClose(cursor)
    return { type: 'struct', fields }
  }
  if (name === 'DECIMAL' || name === 'DEC' || name === 'NUMERIC') {
    let precision = 10
    let scale = 0
    if (cursor.acceptSymbol('(')) {
      precision = Number(cursor.next()?.value)
      if (cursor.acceptSymbol(',')) scale = Number(cursor.next()?.value)
      cursor.expectSymbol(')')
      if (!Number.isInteger(precision) || !Number.isInteger(scale) || precision < 1 || precision > 38 || scale > precision) {
        cursor.fail(`DECIMAL(${precision},${scale}) is not a valid decimal type (precision 1..38, scale <= precision)`)
      }
    }
    return `decimal(${precision},${scale})`
  }
  const primitive = PRIMITIVES[name]
  if (!primitive) {
    cursor.pos--
    cursor.fail(`unknown data type ${t!.text}`)
  }
  // VARCHAR(n) / CHAR(n): Delta stores them as string.
  if ((name === 'VARCHAR' || name === 'CHAR') && cursor.acceptSymbol('(')) {
    cursor.next()
    cursor.expectSymbol(')')
  }
  return primitive!
}

const SPARK_NAMES: Record<string, string> = {
  string: 'string', long: 'bigint', integer: 'int', short: 'smallint', byte: 'tinyint', double: 'double',
  float: 'float', boolean: 'boolean', binary: 'binary', date: 'date', timestamp: 'timestamp',
  timestamp_ntz: 'timestamp_ntz', variant: 'variant'
}

/** Spark's printed name for a Delta type, as DESCRIBE shows it: bigint, decimal(10,2), array<int>, struct<a:int,b:string>. */
export function sparkTypeName(type: DataType): string {
  if (typeof type === 'string') return SPARK_NAMES[type] ?? type.replace(/\s+/g, '')
  if (isArray(type)) return `array<${sparkTypeName(type.elementType)}>`
  if (isMap(type)) return `map<${sparkTypeName(type.keyType)},${sparkTypeName(type.valueType)}>`
  if (isStruct(type)) return `struct<${type.fields.map((f) => `${f.name}:${sparkTypeName(f.type)}`).join(',')}>`
  return JSON.stringify(type)
}

/** Spark's name for a DuckDB column type (TIMESTAMP WITH TIME ZONE -> timestamp); DuckDB's own name, lower-cased, when Spark has none. */
export function sparkTypeOfDuckdb(duckdbType: string): string {
  try {
    return sparkTypeName(deltaTypeOf(duckdbType))
  } catch {
    return duckdbType.toLowerCase()
  }
}
