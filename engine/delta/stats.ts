// add.stats for a written data file: numRecords, minValues, maxValues, nullCount, computed by DuckDB over the file itself.
import type { ParquetPort } from './parquetPort'
import { sqlString } from './parquetPort'
import { isArray, isMap, isStruct, type DataType, type StructType } from './schema'

/** Spark's `delta.dataSkippingStringPrefixLength` default: string min/max keep this many characters. */
export const STRING_PREFIX_LENGTH = 32
/** Spark's `delta.dataSkippingNumIndexedCols` default: stats cover the first 32 leaf columns. */
export const DEFAULT_NUM_INDEXED_COLS = 32

const ASCII_MAX_CHARACTER = '\u007f'
const UTF8_MAX_CHARACTER = String.fromCodePoint(0x10ffff)

type StatKind = 'string' | 'number' | 'date' | 'timestamp' | 'timestamp_ntz' | 'none'

interface Leaf {
  path: string[]
  kind: StatKind
}

/** A JSON number kept as its exact text (64-bit integers and decimals do not fit a JS number). */
class RawNumber {
  constructor(readonly text: string) {}
}
type StatsTree = { [key: string]: StatsTree | string | RawNumber }

function statKind(type: DataType): StatKind {
  if (typeof type !== 'string') return 'none'
  if (type === 'string') return 'string'
  if (['byte', 'short', 'integer', 'long', 'float', 'double'].includes(type) || type.startsWith('decimal')) return 'number'
  if (type === 'date' || type === 'timestamp' || type === 'timestamp_ntz') return type
  // boolean and binary get a nullCount only, as in Spark.
  return 'none'
}

/** Leaf columns in schema order (struct fields flattened, arrays and maps are leaves), as Spark's stats schema. */
function leaves(schema: StructType, prefix: string[] = []): Leaf[] {
  const out: Leaf[] = []
  for (const f of schema.fields) {
    if (isStruct(f.type)) out.push(...leaves(f.type, [...prefix, f.name]))
    else out.push({ path: [...prefix, f.name], kind: isArray(f.type) || isMap(f.type) ? 'none' : statKind(f.type) })
  }
  return out
}

function columnExpr(path: string[]): string {
  let expr = `"${path[0]!.replace(/"/g, '""')}"`
  for (const part of path.slice(1)) expr = `struct_extract(${expr}, ${sqlString(part)})`
  return expr
}

function minMaxExprs(kind: StatKind, col: string): [string, string] | null {
  switch (kind) {
    case 'string':
      return [`min(${col})`, `max(${col})`]
    case 'number':
      return [`CAST(min(${col}) AS VARCHAR)`, `CAST(max(${col}) AS VARCHAR)`]
    case 'date':
      return [`strftime(min(${col}), '%Y-%m-%d')`, `strftime(max(${col}), '%Y-%m-%d')`]
    case 'timestamp':
      // Delta stats keep timestamps to the millisecond, in UTC.
      return [`strftime(timezone('UTC', min(${col})), '%Y-%m-%dT%H:%M:%S.%gZ')`, `strftime(timezone('UTC', max(${col})), '%Y-%m-%dT%H:%M:%S.%gZ')`]
    case 'timestamp_ntz':
      return [`strftime(min(${col}), '%Y-%m-%dT%H:%M:%S.%g')`, `strftime(max(${col}), '%Y-%m-%dT%H:%M:%S.%g')`]
    default:
      return null
  }
}

/** Spark's truncateMinStringAgg: a prefix never splits a surrogate pair and stays a lower bound. */
export function truncateMinString(value: string, prefixLength = STRING_PREFIX_LENGTH): string {
  if (value.length <= prefixLength) return value
  const cutsPair = /[\ud800-\udbff]/.test(value[prefixLength - 1]!) && /[\udc00-\udfff]/.test(value[prefixLength]!)
  return value.slice(0, cutsPair ? prefixLength + 1 : prefixLength)
}

/**
 * Spark's truncateMaxStringAgg: a prefix followed by a tie-breaker (U+007F or U+10FFFF) so that the result is still
 * >= every value in the column; null when no such string fits in twice the prefix length.
 */
export function truncateMaxString(value: string, prefixLength = STRING_PREFIX_LENGTH): string | null {
  if (value.length <= prefixLength) return value
  let length = truncateMinString(value, prefixLength).length
  while (length <= 2 * prefixLength) {
    if (length >= value.length) return value
    if (value.slice(length, length + 2) === UTF8_MAX_CHARACTER) length += 2
    else if (value[length]! < ASCII_MAX_CHARACTER) return value.slice(0, length) + ASCII_MAX_CHARACTER
    else return value.slice(0, length) + UTF8_MAX_CHARACTER
  }
  return null
}

function setAt(tree: StatsTree, path: string[], value: string | RawNumber): void {
  let node = tree
  for (const part of path.slice(0, -1)) {
    const next = node[part]
    if (next === undefined || typeof next === 'string' || next instanceof RawNumber) node[part] = {}
    node = node[part] as StatsTree
  }
  node[path[path.length - 1]!] = value
}

function toJson(value: StatsTree | string | RawNumber): string {
  if (value instanceof RawNumber) return value.text
  if (typeof value === 'string') return JSON.stringify(value)
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`
}

function isFiniteNumberText(text: string): boolean {
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)
}

export interface FileStats {
  numRecords: number
  /** The add.stats JSON string. */
  json: string
}

/** Files per aggregate query when computing stats for many files at once (keeps the SQL text bounded). */
const FILES_PER_STATS_QUERY = 256
const STATS_FILE_COLUMN = '__lakebench_stats_file'

/**
 * Computes add.stats for one parquet file from its rows (one aggregate query), keyed by the schema nesting.
 * `dataSchema` is the table schema without partition columns (they are not in the file). Strings are prefix-truncated
 * to 32 characters as Spark does, timestamps kept to ms in ISO-8601; numbers are exact JSON numbers; NaN/Infinity
 * min/max are left out; only the first `numIndexedCols` leaf columns get stats (-1 = all).
 * @throws Error from DuckDB when the file cannot be read.
 */
export async function computeFileStats(port: ParquetPort, file: string, dataSchema: StructType, numIndexedCols = DEFAULT_NUM_INDEXED_COLS): Promise<FileStats> {
  return (await computeFilesStats(port, [file], dataSchema, numIndexedCols))[0]!
}

/**
 * add.stats for many parquet files of one schema (see computeFileStats), in the order given, with one grouped
 * aggregate query per batch of files instead of one query per file. A file without rows gets numRecords 0.
 * @throws Error from DuckDB when a file cannot be read.
 */
export async function computeFilesStats(port: ParquetPort, files: readonly string[], dataSchema: StructType, numIndexedCols = DEFAULT_NUM_INDEXED_COLS): Promise<FileStats[]> {
  const all = leaves(dataSchema)
  const indexed = numIndexedCols < 0 ? all : all.slice(0, numIndexedCols)
  const selects = [`"${STATS_FILE_COLUMN}" AS "f"`, 'count(*) AS "n"']
  indexed.forEach((leaf, i) => {
    const col = columnExpr(leaf.path)
    selects.push(`count(*) - count(${col}) AS "nc${i}"`)
    const mm = minMaxExprs(leaf.kind, col)
    if (mm) selects.push(`${mm[0]} AS "mn${i}"`, `${mm[1]} AS "mx${i}"`)
  })
  const byFile = new Map<string, Record<string, unknown>>()
  for (let start = 0; start < files.length; start += FILES_PER_STATS_QUERY) {
    const batch = files.slice(start, start + FILES_PER_STATS_QUERY)
    const rows = await port.query(
      `SELECT ${selects.join(', ')} FROM read_parquet([${batch.map(sqlString).join(', ')}], hive_partitioning = false, filename = ${sqlString(STATS_FILE_COLUMN)}) GROUP BY ALL`
    )
    for (const row of rows) byFile.set(String(row.f), row)
  }
  return files.map((file) => statsFromRow(byFile.get(file) ?? { n: 0 }, indexed))
}

function statsFromRow(row: Record<string, unknown>, indexed: Leaf[]): FileStats {
  const numRecords = Number(row.n)
  const minValues: StatsTree = {}
  const maxValues: StatsTree = {}
  const nullCount: StatsTree = {}
  indexed.forEach((leaf, i) => {
    setAt(nullCount, leaf.path, new RawNumber(String(row[`nc${i}`] ?? 0)))
    const mn = row[`mn${i}`]
    const mx = row[`mx${i}`]
    if (mn === null || mn === undefined || mx === null || mx === undefined) return
    if (leaf.kind === 'string') {
      const max = truncateMaxString(String(mx))
      setAt(minValues, leaf.path, truncateMinString(String(mn)))
      if (max !== null) setAt(maxValues, leaf.path, max)
    } else if (leaf.kind === 'number') {
      if (isFiniteNumberText(String(mn))) setAt(minValues, leaf.path, new RawNumber(String(mn)))
      if (isFiniteNumberText(String(mx))) setAt(maxValues, leaf.path, new RawNumber(String(mx)))
    } else {
      setAt(minValues, leaf.path, String(mn))
      setAt(maxValues, leaf.path, String(mx))
    }
  })
  const json = `{"numRecords":${numRecords},"minValues":${toJson(minValues)},"maxValues":${toJson(maxValues)},"nullCount":${toJson(nullCount)}}`
  return { numRecords, json }
}
