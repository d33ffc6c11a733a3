// formatCell: turns an Arrow cell value into display text, by the column's Arrow type (bigint, dates, nested, binary).
import { DataType, type Field, TimeUnit } from 'apache-arrow'

export type CellKind = 'null' | 'number' | 'text' | 'boolean' | 'temporal'

export interface FormattedCell {
  text: string
  kind: CellKind
}

const nullCell: FormattedCell = { text: 'NULL', kind: 'null' }

/**
 * A formatter for one column. Int64 arrives as bigint (exact, printed as is); dates as epoch days → YYYY-MM-DD;
 * timestamps (Arrow gives epoch milliseconds with a fraction) → `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, to the
 * microsecond; binary as hex; structs/lists/maps as JSON.
 */
export function cellFormatter(field: Field): (value: unknown) => FormattedCell {
  const type = field.type
  if (DataType.isDate(type)) return (v) => (v === null || v === undefined ? nullCell : { text: formatDate(Number(v)), kind: 'temporal' })
  if (DataType.isTimestamp(type)) {
    const fine = type.unit === TimeUnit.MICROSECOND || type.unit === TimeUnit.NANOSECOND
    return (v) => (v === null || v === undefined ? nullCell : { text: formatTimestamp(Number(v), fine), kind: 'temporal' })
  }
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) {
    return (v) => (v instanceof Uint8Array ? { text: hex(v), kind: 'text' } : nullCell)
  }
  if (DataType.isBool(type)) return (v) => (v === null || v === undefined ? nullCell : { text: v ? 'true' : 'false', kind: 'boolean' })
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) {
    return (v) => (v === null || v === undefined ? nullCell : { text: formatNumber(v), kind: 'number' })
  }
  return (v) => (v === null || v === undefined ? nullCell : { text: formatOther(v), kind: 'text' })
}

/** Spark-style type label for a header when the engine gave none (e.g. `bigint`, `string`, `timestamp`). */
export function typeLabel(field: Field): string {
  const type = field.type
  if (DataType.isInt(type)) return ({ 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as Record<number, string>)[type.bitWidth] ?? 'int'
  if (DataType.isFloat(type)) return type.precision === 1 ? 'float' : 'double'
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isDictionary(type)) return 'string'
  if (DataType.isBool(type)) return 'boolean'
  if (DataType.isDate(type)) return 'date'
  if (DataType.isTimestamp(type)) return type.timezone ? 'timestamp' : 'timestamp_ntz'
  if (DataType.isBinary(type)) return 'binary'
  if (DataType.isDecimal(type)) return `decimal(${type.precision},${type.scale})`
  return String(type).toLowerCase()
}

function formatNumber(v: unknown): string {
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)))
  return String(v)
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

function formatTimestamp(ms: number, fine: boolean): string {
  const whole = Math.floor(ms)
  const iso = new Date(whole).toISOString() // 2024-01-02T03:04:05.123Z
  let fraction = iso.slice(20, 23)
  if (fine) fraction += String(Math.round((ms - whole) * 1000) % 1000).padStart(3, '0')
  fraction = fraction.replace(/0+$/, '')
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}`
}

function hex(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join('')
  return bytes.byteLength > 32 ? `0x${shown}… (${bytes.byteLength} bytes)` : `0x${shown}`
}

function formatOther(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'object' && v !== null && 'toJSON' in v && typeof v.toJSON === 'function') return JSON.stringify(v.toJSON(), bigintReplacer)
  try {
    return JSON.stringify(v, bigintReplacer)
  } catch {
    return String(v)
  }
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
