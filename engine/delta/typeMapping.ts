// Spark/Delta data types <-> DuckDB SQL types (TIMESTAMPTZ is Delta's timestamp; TIMESTAMP is timestamp_ntz).
import { isArray, isMap, isStruct, type DataType, type StructField, type StructType } from './schema'

const PRIMITIVE_TO_DUCKDB: Record<string, string> = {
  string: 'VARCHAR',
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  timestamp_ntz: 'TIMESTAMP'
}

function quoteField(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * The DuckDB type for a Delta type, nested types included.
 * @throws Error naming the type when DuckDB has no equivalent (e.g. variant).
 */
export function duckdbTypeOf(type: DataType): string {
  if (typeof type === 'string') {
    const simple = PRIMITIVE_TO_DUCKDB[type]
    if (simple) return simple
    const dec = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type)
    if (dec) return `DECIMAL(${dec[1]},${dec[2]})`
    if (type === 'decimal') return 'DECIMAL(10,0)'
    throw new Error(`unsupported Delta data type '${type}'`)
  }
  if (isStruct(type)) return `STRUCT(${type.fields.map((f) => `${quoteField(f.name)} ${duckdbTypeOf(f.type)}`).join(', ')})`
  if (isArray(type)) return `${duckdbTypeOf(type.elementType)}[]`
  if (isMap(type)) return `MAP(${duckdbTypeOf(type.keyType)}, ${duckdbTypeOf(type.valueType)})`
  throw new Error(`unsupported Delta data type ${JSON.stringify(type)}`)
}

/** Splits "a, b(c, d), STRUCT(x INT, y INT)" on top-level commas (double-quoted names may hold commas). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === '(') depth++
    else if (!quoted && ch === ')') depth--
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  const last = text.slice(start).trim()
  if (last) parts.push(last)
  return parts
}

function parseFieldDecl(decl: string): { name: string; type: string } {
  if (decl.startsWith('"')) {
    let i = 1
    let name = ''
    while (i < decl.length) {
      if (decl[i] === '"' && decl[i + 1] === '"') {
        name += '"'
        i += 2
      } else if (decl[i] === '"') break
      else name += decl[i++]
    }
    return { name, type: decl.slice(i + 1).trim() }
  }
  const space = decl.indexOf(' ')
  return { name: decl.slice(0, space), type: decl.slice(space + 1).trim() }
}

/**
 * The Delta type for a DuckDB type name as DuckDB prints it (DESCRIBE / column type strings).
 * Unsigned and huge integers widen to the next signed type or decimal, since Spark has no unsigned types.
 * @throws Error naming the type when Delta has no equivalent (e.g. INTERVAL, UNION).
 */
export function deltaTypeOf(duckdbType: string): DataType {
  const t = duckdbType.trim()
  const upper = t.toUpperCase()
  if (upper.endsWith('[]')) return { type: 'array', elementType: deltaTypeOf(t.slice(0, -2)), containsNull: true }
  if (/^[A-Z_0-9 ]+\[\d+\]$/.test(upper)) return { type: 'array', elementType: deltaTypeOf(t.replace(/\[\d+\]$/, '')), containsNull: true }
  if (upper.startsWith('STRUCT(')) {
    const inner = t.slice(t.indexOf('(') + 1, t.lastIndexOf(')'))
    return { type: 'struct', fields: splitTopLevel(inner).map((decl) => {
      const { name, type } = parseFieldDecl(decl)
      return { name, type: deltaTypeOf(type), nullable: true, metadata: {} }
    }) }
  }
  if (upper.startsWith('MAP(')) {
    const [k, v] = splitTopLevel(t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')))
    return { type: 'map', keyType: deltaTypeOf(k!), valueType: deltaTypeOf(v!), valueContainsNull: true }
  }
  const dec = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(upper)
  if (dec) return `decimal(${dec[1]},${dec[2]})`
  switch (upper) {
    case 'VARCHAR': case 'TEXT': case 'STRING': case 'UUID': case 'JSON': return 'string'
    case 'BIGINT': case 'INT8': case 'LONG': case 'UINTEGER': return 'long'
    case 'INTEGER': case 'INT': case 'INT4': case 'USMALLINT': return 'integer'
    case 'SMALLINT': case 'INT2': case 'UTINYINT': return 'short'
    case 'TINYINT': case 'INT1': return 'byte'
    case 'UBIGINT': case 'HUGEINT': return 'decimal(38,0)'
    case 'FLOAT': case 'REAL': case 'FLOAT4': return 'float'
    case 'DOUBLE': case 'FLOAT8': return 'double'
    case 'DECIMAL': return 'decimal(18,3)'
    case 'BOOLEAN': case 'BOOL': return 'boolean'
    case 'BLOB': case 'BYTEA': return 'binary'
    case 'DATE': return 'date'
    case 'TIMESTAMP WITH TIME ZONE': case 'TIMESTAMPTZ': return 'timestamp'
    case 'TIMESTAMP': case 'DATETIME': case 'TIMESTAMP_MS': case 'TIMESTAMP_S': case 'TIMESTAMP_NS': return 'timestamp_ntz'
    default: throw new Error(`DuckDB type ${duckdbType} has no Delta equivalent`)
  }
}

/** A nullable field with empty metadata. */
export function field(name: string, type: DataType, nullable = true): StructField {
  return { name, type, nullable, metadata: {} }
}

/** True when the type or any nested type is timestamp_ntz (the table then needs the timestampNtz feature). */
export function usesTimestampNtz(type: DataType | StructType): boolean {
  if (typeof type === 'string') return type === 'timestamp_ntz'
  if (isStruct(type)) return type.fields.some((f) => usesTimestampNtz(f.type))
  if (isArray(type)) return usesTimestampNtz(type.elementType)
  if (isMap(type)) return usesTimestampNtz(type.keyType) || usesTimestampNtz(type.valueType)
  return false
}
