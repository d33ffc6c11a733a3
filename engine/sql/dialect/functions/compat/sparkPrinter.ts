// Spark's result printer over Lakebench query results: values rendered exactly as Spark's golden files show them.
import { tableFromIPC } from 'apache-arrow'
import { splitTopLevel } from '../../../../delta/typeMapping'
import { ARROW_META_DUCKDB_TYPE, arrowRows, uniqueColumnNames } from '../../../arrow'

/** A DuckDB type as a tree: the base name plus children (struct fields, list element, map key/value). */
export interface DuckType {
  name: string
  /** DECIMAL scale. */
  scale?: number
  element?: DuckType
  key?: DuckType
  value?: DuckType
  fields?: { name: string; type: DuckType }[]
}

/** Parses a DuckDB type as printed (`STRUCT("a" INTEGER, b DATE[])`, `MAP(VARCHAR, DOUBLE)`, `DECIMAL(4,2)`). */
export function parseDuckType(text: string): DuckType {
  const t = text.trim()
  if (t.endsWith(']')) return { name: 'LIST', element: parseDuckType(t.slice(0, t.lastIndexOf('['))) }
  const open = t.indexOf('(')
  if (open < 0) return { name: t.toUpperCase() }
  const name = t.slice(0, open).trim().toUpperCase()
  const inner = t.slice(open + 1, t.lastIndexOf(')'))
  if (name === 'DECIMAL') return { name, scale: Number(splitTopLevel(inner)[1] ?? 0) }
  if (name === 'MAP') {
    const [k, v] = splitTopLevel(inner)
    return { name, key: parseDuckType(k!), value: parseDuckType(v!) }
  }
  if (name === 'STRUCT') {
    return {
      name,
      fields: splitTopLevel(inner).map((f) => {
        const m = /^("(?:[^"]|"")*"|\S+)\s+(.*)$/s.exec(f)!
        const fieldName = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!
        return { name: fieldName, type: parseDuckType(m[2]!) }
      })
    }
  }
  return { name }
}

/** Java's Double.toString: plain between 1e-3 and 1e7, else scientific with at least one fractional digit. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(v)
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v)
    return s.includes('.') ? s : `${s}.0`
  }
  const [mantissa, exponent] = v.toExponential().split('e')
  return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

/** Wall-clock text of an instant in a time zone: `yyyy-MM-dd HH:mm:ss[.fraction]`. */
function zonedWallClock(iso: string, timeZone: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)
  if (!m) return iso
  const date = new Date(`${m[1]}Z`)
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', era: 'short'
  }).formatToParts(date).map((p) => [p.type, p.value]))
  let year = Number(parts.year)
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year
  return `${String(year).padStart(4, '0')}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}${m[2] ? `.${m[2]}` : ''}`
}

/** `yyyy-MM-dd HH:mm:ss` plus the fraction only when non-zero, trailing zeros dropped. */
function timestampText(wall: string): string {
  const m = /^(\d{4,}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(wall)
  if (!m) return wall
  const fraction = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]} ${m[2]}${fraction ? `.${fraction}` : ''}`
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'])

/**
 * One value as Spark prints it: `NULL` at top level (`null` nested), Java doubles, decimals with their scale, dates and
 * timestamps in the session time zone, `[a,b]`, `{"f":v}`, `{k:v}`, strings quoted only inside nested values.
 */
export function renderSparkValue(value: unknown, type: DuckType, timeZone: string, nested = false): string {
  if (value === null || value === undefined) return nested ? 'null' : 'NULL'
  switch (type.name) {
    case 'BOOLEAN': return String(value)
    case 'FLOAT':
    case 'DOUBLE': return typeof value === 'number' ? javaDouble(value) : String(value)
    case 'DECIMAL': return typeof value === 'number' ? value.toFixed(type.scale ?? 0) : String(value)
    case 'DATE': return String(value)
    case 'TIMESTAMP WITH TIME ZONE': {
      // Top-level values arrive as ISO with 'Z'; nested ones as DuckDB text `2015-08-26 07:00:00+00`.
      const iso = String(value).replace(' ', 'T').replace(/\+00(:00)?$/, 'Z')
      return timestampText(zonedWallClock(iso.endsWith('Z') ? iso : `${iso}Z`, timeZone))
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_S': return timestampText(String(value))
    case 'INTERVAL': return intervalText(String(value))
    case 'BLOB': return nested ? JSON.stringify(value) : String(value)
    case 'LIST': {
      const items = value as unknown[]
      return `[${items.map((v) => renderSparkValue(v, type.element!, timeZone, true)).join(',')}]`
    }
    case 'STRUCT': {
      const record = value as Record<string, unknown>
      return `{${type.fields!.map((f) => `"${f.name}":${renderSparkValue(record[f.name], f.type, timeZone, true)}`).join(',')}}`
    }
    case 'MAP': {
      const entries = Array.isArray(value) ? (value as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value] as const) : Object.entries(value as object)
      return `{${entries.map(([k, v]) => `${renderSparkValue(k, type.key!, timeZone, true)}:${renderSparkValue(v, type.value!, timeZone, true)}`).join(',')}}`
    }
    default:
      if (INTEGER_TYPES.has(type.name)) return String(value)
      return nested && typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}

/** DuckDB interval text (`3 days`, `00:00:01`) as Spark's day-time interval `D HH:mm:ss.nnnnnnnnn`. */
function intervalText(text: string): string {
  const days = Number(/(-?\d+) days?/.exec(text)?.[1] ?? 0)
  const time = /(\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(text)
  const clock = time ? `${time[1]}:${time[2]}:${time[3]}.${(time[4] ?? '').padEnd(9, '0')}` : '00:00:00.000000000'
  return `${days} ${clock}`
}

/** A query result as Spark prints it: column count and each row's values. */
export interface PrintedResult {
  types: string[]
  rows: string[][]
}

/** Renders an Arrow IPC result (from SqlEngine.execute) with Spark's printer rules in `timeZone`. */
export function printSparkResult(ipc: Uint8Array, timeZone: string): PrintedResult {
  const schema = tableFromIPC(ipc).schema
  const types = schema.fields.map((f) => parseDuckType(f.metadata.get(ARROW_META_DUCKDB_TYPE) ?? 'VARCHAR'))
  // Keys in column order (Object.values would put integer-like column names first).
  const keys = uniqueColumnNames(schema.fields.map((f) => f.name))
  const rows = arrowRows(ipc).map((row) => keys.map((k, i) => renderSparkValue(row[k], types[i]!, timeZone)))
  return { types: schema.fields.map((f) => f.metadata.get(ARROW_META_DUCKDB_TYPE) ?? ''), rows }
}
