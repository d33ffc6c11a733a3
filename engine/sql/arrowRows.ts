// Arrow IPC bytes from resultToArrow -> plain JSON-ready rows (the CLI, tests and any host that wants objects).
import { DataType as DataTypeGuards, tableFromIPC, type DataType } from 'apache-arrow'

// Field metadata key written by arrow.ts (not imported from there: arrow.ts re-exports this module).
const ENCODING = 'lakebench.encoding'

/** DuckDB's +/-infinity sentinels: Int32 max/min+1 days for DATE, Int64 max/-max micros for timestamps. */
const INFINITY_DAYS = 2147483647
const INFINITY_MICROS = 9223372036854775807n
const MAX_JS_DATE_MS = 8.64e15

function infinity(positive: boolean): string {
  return positive ? 'infinity' : '-infinity'
}

/** yyyy-mm-dd for days since the epoch (ISO extended years outside 0000..9999, e.g. -000044-03-15). */
function isoDate(days: number): string {
  if (Math.abs(days) >= INFINITY_DAYS) return infinity(days > 0)
  const ms = days * 86_400_000
  if (Math.abs(ms) > MAX_JS_DATE_MS) return `${days} days from 1970-01-01`
  return new Date(ms).toISOString().split('T')[0]!
}

/** ISO text with microseconds ('Z' when zoned), 'infinity' for DuckDB's infinite timestamps. */
function isoFromMicros(micros: bigint, withZone: boolean): string {
  if (micros >= INFINITY_MICROS || micros <= -INFINITY_MICROS) return infinity(micros > 0n)
  let ms = micros / 1000n
  let frac = micros % 1000n
  if (frac < 0n) {
    frac += 1000n
    ms -= 1n
  }
  if (ms > BigInt(MAX_JS_DATE_MS) || ms < -BigInt(MAX_JS_DATE_MS)) return `${micros} microseconds from 1970-01-01`
  const iso = new Date(Number(ms)).toISOString() // yyyy-mm-ddThh:mm:ss.sssZ
  const withMicros = frac === 0n ? iso.slice(0, -1) : `${iso.slice(0, -1)}${String(frac).padStart(3, '0')}`
  return withZone ? `${withMicros}Z` : withMicros
}

/** A decimal's text as a JSON number when that is exact (at most 15 significant digits), else the text. */
function decimalValue(text: string): number | string {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '')
  return digits.length <= 15 ? Number(text) : text
}

/**
 * Column names made unique for use as object keys: a repeated name gets `_1`, `_2`, ... (skipping names already
 * taken), as DuckDB does when it creates a table from such a query.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set(names)
  const seen = new Set<string>()
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name)
      return name
    }
    let k = 1
    while (taken.has(`${name}_${k}`)) k++
    const unique = `${name}_${k}`
    taken.add(unique)
    seen.add(unique)
    return unique
  })
}

/** Microseconds from a timestamp's raw Int64 in its unit (0 s, 1 ms, 2 µs, 3 ns). */
function microsOf(raw: bigint, unit: number): bigint {
  if (raw >= INFINITY_MICROS || raw <= -INFINITY_MICROS) return raw
  return unit === 2 ? raw : unit === 1 ? raw * 1000n : unit === 0 ? raw * 1_000_000n : raw / 1000n
}

/**
 * Decodes Arrow IPC bytes produced by resultToArrow into plain JSON-ready rows: 64-bit integers as numbers when
 * safe (strings otherwise), dates as 'yyyy-mm-dd', timestamps as ISO text with microseconds ('Z' when zoned),
 * infinite dates/timestamps as 'infinity' / '-infinity', NaN and infinite floats as 'NaN' / 'Infinity', decimals as numbers when exact, binary as base64, nested
 * values parsed from their JSON text. Repeated column names are keyed as uniqueColumnNames makes them.
 */
export function arrowRows(ipc: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(ipc)
  const keys = uniqueColumnNames(table.schema.fields.map((f) => f.name))
  const rows: Record<string, unknown>[] = []
  for (const batch of table.batches) {
    const columns = table.schema.fields.map((field, c) => ({ field, key: keys[c]!, vector: batch.getChildAt(c)! }))
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, unknown> = {}
      for (const { field, key, vector } of columns) {
        if (!vector.isValid(i)) {
          row[key] = null
          continue
        }
        const encoding = field.metadata.get(ENCODING)
        const type = field.type as DataType
        let value: unknown
        if (DataTypeGuards.isTimestamp(type)) {
          const data = vector.data[0]!
          const raw = (data.values as BigInt64Array)[data.offset + i]!
          const unit = (type as unknown as { unit: number }).unit
          value = isoFromMicros(microsOf(raw, unit), (type as unknown as { timezone: string | null }).timezone != null)
        } else if (DataTypeGuards.isDate(type)) {
          const data = vector.data[0]!
          value = isoDate((data.values as Int32Array)[data.offset + i]!)
        } else {
          value = vector.get(i)
          if (typeof value === 'bigint') value = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
          // JSON has no NaN or Infinity (JSON.stringify would print null): keep them as Spark prints them.
          else if (typeof value === 'number' && !Number.isFinite(value)) value = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
          else if (encoding === 'json' && typeof value === 'string') value = JSON.parse(value)
          else if (encoding === 'decimal-string' && typeof value === 'string') value = decimalValue(value)
          else if (value instanceof Uint8Array) value = Buffer.from(value).toString('base64')
        }
        row[key] = value
      }
      rows.push(row)
    }
  }
  return rows
}
