// DuckDB result -> typed Arrow table -> IPC stream bytes (@duckdb/node-api has no Arrow export, so columns are built here).
import {
  DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBDataChunk, type DuckDBResult, type DuckDBResultReader, type DuckDBType, type DuckDBValue
} from '@duckdb/node-api'
import {
  Binary, Bool, DateDay, Field, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Struct, Table,
  TimestampMicrosecond, TimestampNanosecond, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, tableToIPC, vectorFromArray,
  type Data, type DataType
} from 'apache-arrow'
import { sparkTypeOfDuckdb } from './dialect/sparkTypes'

export { arrowRows, uniqueColumnNames } from './arrowRows'

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

/** Rows per record batch: bounds the JS values alive at once while a large result is converted. */
const BATCH_ROWS = 64 * 1024

/** DuckDB's encoding of +/-infinity for timestamps (Int64 max / -max). */
const INFINITY_MICROS = 9223372036854775807n

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

/** Micros of a timestamp stored in coarser units; infinities stay infinities instead of overflowing. */
function scaledMicros(v: DuckDBValue, units: bigint, factor: bigint): bigint {
  const value = (v as unknown as Record<string, bigint>)[units === 0n ? 'seconds' : 'millis']!
  if (!(v as { isFinite: boolean }).isFinite) return value > 0n ? INFINITY_MICROS : -INFINITY_MICROS
  return value * factor
}

function fromArray(values: unknown[], type: DataType): Data {
  return vectorFromArray(values as never[], type as never).data[0]! as Data
}

const text = (raw: readonly DuckDBValue[]): (string | null)[] => raw.map((v) => (v === null ? null : String(v)))

function mapObject(entries: unknown): Record<string, unknown> {
  if (!Array.isArray(entries)) return entries as Record<string, unknown>
  return Object.fromEntries(entries.map((e) => {
    const { key, value } = e as { key: unknown; value: unknown }
    return [typeof key === 'string' ? key : JSON.stringify(key), value]
  }))
}

/** How one DuckDB column type becomes Arrow: the encoding marker and a builder for a run of values. */
interface ColumnPlan {
  encoding: string | null
  build(raw: DuckDBValue[], json: () => unknown[]): Data
}

function planColumn(duckType: DuckDBType): ColumnPlan {
  const plain = (build: (raw: DuckDBValue[]) => Data): ColumnPlan => ({ encoding: null, build: (raw) => build(raw) })
  switch (duckType.typeId) {
    case DuckDBTypeId.BOOLEAN: return plain((raw) => fromArray(raw, new Bool()))
    case DuckDBTypeId.TINYINT: return plain((raw) => fromArray(raw, new Int8()))
    case DuckDBTypeId.SMALLINT: return plain((raw) => fromArray(raw, new Int16()))
    case DuckDBTypeId.INTEGER: return plain((raw) => fromArray(raw, new Int32()))
    case DuckDBTypeId.UTINYINT: return plain((raw) => fromArray(raw, new Uint8()))
    case DuckDBTypeId.USMALLINT: return plain((raw) => fromArray(raw, new Uint16()))
    case DuckDBTypeId.UINTEGER: return plain((raw) => fromArray(raw, new Uint32()))
    case DuckDBTypeId.FLOAT: return plain((raw) => fromArray(raw, new Float32()))
    case DuckDBTypeId.DOUBLE: return plain((raw) => fromArray(raw, new Float64()))
    case DuckDBTypeId.BIGINT: return plain((raw) => fixedWidth(new Int64(), raw, new BigInt64Array(raw.length), (v) => v as bigint))
    case DuckDBTypeId.UBIGINT: return plain((raw) => fixedWidth(new Uint64(), raw, new BigUint64Array(raw.length), (v) => v as bigint))
    // Days as stored: DuckDB's infinity dates (Int32 max/min) survive the trip and are decoded as such.
    case DuckDBTypeId.DATE: return plain((raw) => fixedWidth(new DateDay(), raw, new Int32Array(raw.length), (v) => (v as { days: number }).days))
    case DuckDBTypeId.TIMESTAMP:
      return plain((raw) => fixedWidth(new TimestampMicrosecond(), raw, new BigInt64Array(raw.length), (v) => (v as { micros: bigint }).micros))
    case DuckDBTypeId.TIMESTAMP_TZ:
      return plain((raw) => fixedWidth(new TimestampMicrosecond('UTC'), raw, new BigInt64Array(raw.length), (v) => (v as { micros: bigint }).micros))
    case DuckDBTypeId.TIMESTAMP_S:
      return plain((raw) => fixedWidth(new TimestampMicrosecond(), raw, new BigInt64Array(raw.length), (v) => scaledMicros(v, 0n, 1_000_000n)))
    case DuckDBTypeId.TIMESTAMP_MS:
      return plain((raw) => fixedWidth(new TimestampMicrosecond(), raw, new BigInt64Array(raw.length), (v) => scaledMicros(v, 1n, 1000n)))
    case DuckDBTypeId.TIMESTAMP_NS:
      return plain((raw) => fixedWidth(new TimestampNanosecond(), raw, new BigInt64Array(raw.length), (v) => (v as { nanos: bigint }).nanos))
    // Exact text: a Float64 would silently round money-like values.
    case DuckDBTypeId.DECIMAL: return { encoding: 'decimal-string', build: (raw) => fromArray(text(raw), new Utf8()) }
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return plain((raw) => fromArray(text(raw), new Utf8()))
    case DuckDBTypeId.BLOB: return plain((raw) => fromArray(raw.map((v) => (v === null ? null : (v as { bytes: Uint8Array }).bytes)), new Binary()))
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.INTERVAL:
    case DuckDBTypeId.BIT:
      return { encoding: 'text', build: (raw) => fromArray(text(raw), new Utf8()) }
    case DuckDBTypeId.SQLNULL: return plain((raw) => fromArray(raw.map(() => null), new Utf8()))
    case DuckDBTypeId.MAP:
      // DuckDB's JSON form of a map is [{key, value}]; an object reads as the map it is.
      return { encoding: 'json', build: (_, json) => fromArray(json().map((v) => (v === null ? null : JSON.stringify(mapObject(v)))), new Utf8()) }
    default:
      // LIST, STRUCT, ARRAY, UNION, VARIANT...: JSON text keeps the structure readable on the other side.
      return { encoding: 'json', build: (_, json) => fromArray(json().map((v) => (v === null ? null : JSON.stringify(v))), new Utf8()) }
  }
}

/** Builds Arrow record batches from column-wise raw values, one column plan per DuckDB column. */
class BatchBuilder {
  readonly fields: Field[]
  private readonly plans: ColumnPlan[]
  readonly batches: RecordBatch[] = []
  rowCount = 0

  constructor(names: readonly string[], types: readonly DuckDBType[]) {
    this.plans = types.map(planColumn)
    this.fields = names.map((name, i) => {
      const metadata = new Map([[ARROW_META_DUCKDB_TYPE, types[i]!.toString()]])
      if (this.plans[i]!.encoding) metadata.set(ARROW_META_ENCODING, this.plans[i]!.encoding!)
      // The Arrow type comes from building an empty run, so every batch agrees with the schema.
      return new Field(name, this.plans[i]!.build([], () => []).type, true, metadata)
    })
  }

  add(length: number, raw: (i: number) => DuckDBValue[], json: (i: number) => unknown[]): void {
    const children = this.plans.map((plan, i) => plan.build(raw(i), () => json(i)))
    const schema = new Schema(this.fields)
    this.batches.push(new RecordBatch(schema, makeData({ type: new Struct(this.fields), length, nullCount: 0, children })))
    this.rowCount += length
  }

  result(): ArrowResult {
    const schema = new Schema(this.fields)
    if (this.batches.length === 0) this.add(0, () => [], () => [])
    return {
      table: new Table(schema, this.batches),
      columns: this.fields.map((f) => ({ name: f.name, type: sparkTypeOfDuckdb(f.metadata.get(ARROW_META_DUCKDB_TYPE)!) })),
      rowCount: this.rowCount
    }
  }
}

/**
 * Converts a fully read DuckDB result to an Arrow table: Int64 for BIGINT, DateDay, Timestamp(µs; zone 'UTC' for
 * TIMESTAMPTZ; ns for TIMESTAMP_NS), Decimal as exact text, nested types as JSON text; each field carries its DuckDB
 * type in metadata. Infinite dates and timestamps keep DuckDB's sentinel values.
 */
export function resultToArrow(reader: DuckDBResultReader): ArrowResult {
  const names = Array.from({ length: reader.columnCount }, (_, i) => reader.columnName(i))
  const builder = new BatchBuilder(names, Array.from({ length: reader.columnCount }, (_, i) => reader.columnType(i)))
  const raw = reader.getColumns()
  let json: unknown[][] | null = null
  builder.add(reader.currentRowCount, (i) => raw[i] ?? [], (i) => (json ??= reader.getColumnsJson())[i] ?? [])
  return builder.result()
}

/** Concatenates one column of several chunks. */
function chunkColumn(chunks: readonly DuckDBDataChunk[], i: number, read: (chunk: DuckDBDataChunk, i: number) => unknown[]): unknown[] {
  const out: unknown[] = []
  for (const chunk of chunks) for (const v of read(chunk, i)) out.push(v)
  return out
}

/**
 * Like resultToArrow, but reads the result chunk by chunk and converts every BATCH_ROWS rows into a record batch,
 * so a million-row result never holds more than one batch of JS values at a time.
 * @throws the DuckDB error raised while fetching (e.g. on interrupt).
 */
export async function streamToArrow(result: DuckDBResult): Promise<ArrowResult> {
  const names = Array.from({ length: result.columnCount }, (_, i) => result.columnName(i))
  const builder = new BatchBuilder(names, result.columnTypes())
  let pending: DuckDBDataChunk[] = []
  let pendingRows = 0
  const flush = (): void => {
    if (pendingRows === 0) return
    const chunks = pending
    builder.add(pendingRows, (i) => chunkColumn(chunks, i, (c, k) => c.getColumnValues(k)) as DuckDBValue[],
      (i) => chunkColumn(chunks, i, (c, k) => c.convertColumnValues(k, JsonDuckDBValueConverter)))
    pending = []
    pendingRows = 0
  }
  for (;;) {
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) break
    pending.push(chunk)
    pendingRows += chunk.rowCount
    if (pendingRows >= BATCH_ROWS) flush()
  }
  flush()
  return builder.result()
}

/** Arrow IPC stream bytes for a table (`tableToIPC(table, 'stream')`). */
export function arrowIpc(table: Table): Uint8Array {
  return tableToIPC(table, 'stream')
}

/** IPC bytes of a table with no columns and no rows (the result of statements that return nothing). */
export function emptyArrowIpc(): Uint8Array {
  return tableToIPC(new Table(new Schema([])), 'stream')
}
