// DuckDB result -> typed Arrow table -> IPC stream bytes (@duckdb/node-api has no Arrow export, so columns are built here).
import { DuckDBTypeId, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api'
import {
  Binary, Bool, DateDay, Field, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Struct, Table,
  TimestampMicrosecond, TimestampMillisecond, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, tableFromIPC, tableToIPC, vectorFromArray,
  DataType as DataTypeGuards,
  type Data, type DataType
} from 'apache-arrow'
import { sparkTypeOfDuckdb } from './dialect/sparkTypes'

/**
 * Field metadata keys on every column: the DuckDB type as printed, and how the value is encoded when Arrow's type is
 * not the natural one ('decimal-string': exact decimal text; 'json': nested value as JSON text; 'text': printed value).
 */
export const ARROW_META_DUCKDB_TYPE = 'lakebench.duckdbType'
export const ARROW_META_ENCODING = 'lakebench.encoding'

export interface ArrowResult {
  table: Table
  /** Column names with Spark type names (bigint, timestamp, decimal(10,2), array<int>); DuckDB's type is in field metadata. */
  columns: { name: string; type: string }[]
  rowCount: number
}

function nullBitmap(values: readonly unknown[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  values.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++
    else bitmap[i >> 3]! |= 1 << (i & 7)
  })
  return { bitmap, nullCount }
}

/** A fixed-width column built directly from raw values, so 64-bit and microsecond values keep full precision. */
function fixedWidth<T extends DataType>(type: T, raw: readonly DuckDBValue[], array: BigInt64Array | BigUint64Array | Int32Array, pick: (v: DuckDBValue) => bigint | number): Data<T> {
  const { bitmap, nullCount } = nullBitmap(raw)
  raw.forEach((v, i) => {
    if (v !== null) (array as unknown as (bigint | number)[])[i] = pick(v)
  })
  return makeData({ type, length: raw.length, nullCount, nullBitmap: nullCount > 0 ? bitmap : undefined, data: array } as never) as Data<T>
}

interface Column {
  field: Field
  data: Data
}

function column(name: string, typeText: string, encoding: string | null, data: Data): Column {
  const metadata = new Map([[ARROW_META_DUCKDB_TYPE, typeText]])
  if (encoding) metadata.set(ARROW_META_ENCODING, encoding)
  return { field: new Field(name, data.type, true, metadata), data }
}

function fromArray(name: string, typeText: string, encoding: string | null, values: unknown[], type: DataType): Column {
  return column(name, typeText, encoding, vectorFromArray(values as never[], type as never).data[0]! as Data)
}

function mapObject(entries: unknown): Record<string, unknown> {
  if (!Array.isArray(entries)) return entries as Record<string, unknown>
  return Object.fromEntries(entries.map((e) => {
    const { key, value } = e as { key: unknown; value: unknown }
    return [typeof key === 'string' ? key : JSON.stringify(key), value]
  }))
}

/** Builds one Arrow column from the reader's column `i`. */
function buildColumn(reader: DuckDBResultReader, i: number, raw: DuckDBValue[], js: () => unknown[], json: () => unknown[]): Column {
  const name = reader.columnName(i)
  const duckType = reader.columnType(i)
  const typeText = duckType.toString()
  const n = raw.length
  switch (duckType.typeId) {
    case DuckDBTypeId.BOOLEAN: return fromArray(name, typeText, null, js(), new Bool())
    case DuckDBTypeId.TINYINT: return fromArray(name, typeText, null, js(), new Int8())
    case DuckDBTypeId.SMALLINT: return fromArray(name, typeText, null, js(), new Int16())
    case DuckDBTypeId.INTEGER: return fromArray(name, typeText, null, js(), new Int32())
    case DuckDBTypeId.UTINYINT: return fromArray(name, typeText, null, js(), new Uint8())
    case DuckDBTypeId.USMALLINT: return fromArray(name, typeText, null, js(), new Uint16())
    case DuckDBTypeId.UINTEGER: return fromArray(name, typeText, null, js(), new Uint32())
    case DuckDBTypeId.FLOAT: return fromArray(name, typeText, null, js(), new Float32())
    case DuckDBTypeId.DOUBLE: return fromArray(name, typeText, null, js(), new Float64())
    case DuckDBTypeId.BIGINT:
      return column(name, typeText, null, fixedWidth(new Int64(), raw, new BigInt64Array(n), (v) => v as bigint))
    case DuckDBTypeId.UBIGINT:
      return column(name, typeText, null, fixedWidth(new Uint64(), raw, new BigUint64Array(n), (v) => v as bigint))
    case DuckDBTypeId.DATE:
      return column(name, typeText, null, fixedWidth(new DateDay(), raw, new Int32Array(n), (v) => (v as { days: number }).days))
    case DuckDBTypeId.TIMESTAMP:
      return column(name, typeText, null, fixedWidth(new TimestampMicrosecond(), raw, new BigInt64Array(n), (v) => (v as { micros: bigint }).micros))
    case DuckDBTypeId.TIMESTAMP_TZ:
      return column(name, typeText, null, fixedWidth(new TimestampMicrosecond('UTC'), raw, new BigInt64Array(n), (v) => (v as { micros: bigint }).micros))
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return fromArray(name, typeText, null, js().map((d) => (d === null ? null : (d as Date).getTime())), new TimestampMillisecond())
    case DuckDBTypeId.DECIMAL:
      // Exact text: a Float64 would silently round money-like values.
      return fromArray(name, typeText, 'decimal-string', raw.map((v) => (v === null ? null : String(v))), new Utf8())
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return fromArray(name, typeText, null, raw.map((v) => (v === null ? null : String(v))), new Utf8())
    case DuckDBTypeId.BLOB:
      return fromArray(name, typeText, null, js(), new Binary())
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.INTERVAL:
    case DuckDBTypeId.BIT:
      return fromArray(name, typeText, 'text', raw.map((v) => (v === null ? null : String(v))), new Utf8())
    case DuckDBTypeId.SQLNULL:
      return fromArray(name, typeText, null, raw.map(() => null), new Utf8())
    case DuckDBTypeId.MAP:
      // DuckDB's JSON form of a map is [{key, value}]; an object reads as the map it is.
      return fromArray(name, typeText, 'json', json().map((v) => (v === null ? null : JSON.stringify(mapObject(v)))), new Utf8())
    default:
      // LIST, STRUCT, ARRAY, UNION, VARIANT...: JSON text keeps the structure readable on the other side.
      return fromArray(name, typeText, 'json', json().map((v) => (v === null ? null : JSON.stringify(v))), new Utf8())
  }
}

/**
 * Converts a fully read DuckDB result to an Arrow table: Int64 for BIGINT, DateDay, Timestamp(µs; zone 'UTC' for
 * TIMESTAMPTZ), Decimal as exact text, nested types as JSON text; each field carries its DuckDB type in metadata.
 */
export function resultToArrow(reader: DuckDBResultReader): ArrowResult {
  const raw = reader.getColumns()
  let jsCols: unknown[][] | null = null
  let jsonCols: unknown[][] | null = null
  const columns: Column[] = []
  for (let i = 0; i < reader.columnCount; i++) {
    const col = raw[i] ?? []
    columns.push(buildColumn(reader, i, col, () => (jsCols ??= reader.getColumnsJS())[i] ?? [], () => (jsonCols ??= reader.getColumnsJson())[i] ?? []))
  }
  const rowCount = reader.currentRowCount
  const schema = new Schema(columns.map((c) => c.field))
  const structData = makeData({ type: new Struct(schema.fields), length: rowCount, nullCount: 0, children: columns.map((c) => c.data) })
  const table = new Table([new RecordBatch(schema, structData)])
  return {
    table,
    columns: columns.map((c) => ({ name: c.field.name, type: sparkTypeOfDuckdb(c.field.metadata.get(ARROW_META_DUCKDB_TYPE)!) })),
    rowCount
  }
}

/** Arrow IPC stream bytes for a table (`tableToIPC(table, 'stream')`). */
export function arrowIpc(table: Table): Uint8Array {
  return tableToIPC(table, 'stream')
}

/** IPC bytes of a table with no columns and no rows (the result of statements that return nothing). */
export function emptyArrowIpc(): Uint8Array {
  return tableToIPC(new Table(new Schema([])), 'stream')
}

function isoFromMicros(micros: bigint, withZone: boolean): string {
  const ms = micros / 1000n
  let frac = micros % 1000n
  let base = new Date(Number(ms))
  if (frac < 0n) {
    frac += 1000n
    base = new Date(Number(ms) - 1)
  }
  const iso = base.toISOString() // yyyy-mm-ddThh:mm:ss.sssZ
  const withMicros = frac === 0n ? iso.slice(0, -1) : `${iso.slice(0, -1)}${String(frac).padStart(3, '0')}`
  return withZone ? `${withMicros}Z` : withMicros
}

/** A decimal's text as a JSON number when that is exact (at most 15 significant digits), else the text. */
function decimalValue(text: string): number | string {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '')
  return digits.length <= 15 ? Number(text) : text
}

/**
 * Decodes Arrow IPC bytes produced by resultToArrow into plain JSON-ready rows: 64-bit integers as numbers when
 * safe (strings otherwise), dates as 'yyyy-mm-dd', timestamps as ISO text with microseconds ('Z' when zoned),
 * decimals as numbers when exact, nested values parsed from their JSON text. Duplicate column names keep the last value.
 */
export function arrowRows(ipc: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(ipc)
  const rows: Record<string, unknown>[] = []
  for (const batch of table.batches) {
    const columns = table.schema.fields.map((field, c) => ({ field, vector: batch.getChildAt(c)! }))
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, unknown> = {}
      for (const { field, vector } of columns) {
        if (!vector.isValid(i)) {
          row[field.name] = null
          continue
        }
        const encoding = field.metadata.get(ARROW_META_ENCODING)
        const type = field.type as DataType
        let value: unknown
        if (DataTypeGuards.isTimestamp(type)) {
          const data = vector.data[0]!
          const raw = (data.values as BigInt64Array)[data.offset + i]!
          const unit = (type as unknown as { unit: number }).unit
          const micros = unit === 2 ? raw : unit === 1 ? raw * 1000n : unit === 0 ? raw * 1_000_000n : raw / 1000n
          value = isoFromMicros(micros, (type as unknown as { timezone: string | null }).timezone != null)
        } else if (DataTypeGuards.isDate(type)) {
          value = new Date(vector.get(i) as number).toISOString().slice(0, 10)
        } else {
          value = vector.get(i)
          if (typeof value === 'bigint') value = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
          else if (encoding === 'json' && typeof value === 'string') value = JSON.parse(value)
          else if (encoding === 'decimal-string' && typeof value === 'string') value = decimalValue(value)
          else if (value instanceof Uint8Array) value = Buffer.from(value).toString('base64')
        }
        row[field.name] = value
      }
      rows.push(row)
    }
  }
  return rows
}
