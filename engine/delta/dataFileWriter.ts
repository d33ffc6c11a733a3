// Writes rows from a DuckDB relation as new Delta data files (per partition, at most N rows each) and describes them as add actions.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { AddFile } from './actions'
import { DeltaError } from './errors'
import { encodeAddPath, partitionDirectory } from './partitionPath'
import { sqlIdent, sqlString, type ParquetPort } from './parquetPort'
import type { DataType, StructType } from './schema'
import { computeFilesStats, DEFAULT_NUM_INDEXED_COLS } from './stats'

export interface WriteDataFilesInput {
  tableRoot: string
  /** Full logical table schema (partition columns included). */
  schema: StructType
  partitionColumns: readonly string[]
  /**
   * A DuckDB relation (a table name or a parenthesised SELECT) whose columns are the schema's, by name and already
   * of the schema's DuckDB types. It is read more than once, so it should be a materialised table.
   */
  relation: string
  /** Table configuration: `delta.dataSkippingNumIndexedCols` is honoured. */
  configuration?: Record<string, string>
  /** dataChange of the resulting adds (false only for compaction). */
  dataChange?: boolean
  /** Upper bound on rows per data file; default DEFAULT_MAX_ROWS_PER_FILE. Bigger partitions are split into several files. */
  maxRowsPerFile?: number
}

/** Rows per data file unless the caller asks otherwise: large appends become several files of at most this many rows. */
export const DEFAULT_MAX_ROWS_PER_FILE = 1_000_000

export interface WrittenFiles {
  adds: AddFile[]
  numOutputRows: number
  numOutputBytes: number
}

/**
 * The SQL text that turns a partition column into the string Delta stores in partitionValues (P: "Partition Value
 * Serialization"): numbers plainly, booleans true/false, dates yyyy-MM-dd, timestamps ISO-8601 UTC with microseconds,
 * timestamp_ntz `yyyy-MM-dd HH:mm:ss.ffffff`. An empty string becomes NULL, as Spark writes it.
 * @throws DeltaError INVALID_ARGUMENT for types that cannot be partition columns (struct, array, map).
 */
export function partitionValueSql(column: string, type: DataType): string {
  const col = sqlIdent(column)
  if (typeof type !== 'string') throw new DeltaError('INVALID_ARGUMENT', `partition column '${column}' has a nested type; only primitive columns can partition a table`, { column })
  if (type === 'date') return `strftime(${col}, '%Y-%m-%d')`
  if (type === 'timestamp') return `strftime(timezone('UTC', ${col}), '%Y-%m-%dT%H:%M:%S.%fZ')`
  if (type === 'timestamp_ntz') return `strftime(${col}, '%Y-%m-%d %H:%M:%S.%f')`
  if (type === 'binary') return `NULLIF(decode(${col}), '')`
  if (type === 'string') return `NULLIF(${col}, '')`
  return `CAST(${col} AS VARCHAR)`
}

/** A data file name that is never reused (P: data files must be unique and never overwritten). */
export function newDataFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}-${randomUUID()}-c000.snappy.parquet`
}

function numIndexedCols(configuration: Record<string, string> | undefined): number {
  const raw = configuration?.['delta.dataSkippingNumIndexedCols']
  const n = raw === undefined ? DEFAULT_NUM_INDEXED_COLS : Number.parseInt(raw, 10)
  return Number.isFinite(n) ? n : DEFAULT_NUM_INDEXED_COLS
}

// Helper column names; the prefix keeps them apart from table columns.
const PARTITION_ID = '__lakebench_pid'
const CHUNK_ID = '__lakebench_chunk'
const ROWS = '__lakebench_rows'
const valueColumn = (i: number): string => `__lakebench_pv${i}`
const GROUP_ROWS_PER_INSERT = 500

/** One distinct partition-value tuple of the rows being written. */
interface PartitionGroup {
  /** The serialized values in partition-column order, exactly as partitionValueSql produced them (join keys). */
  raw: (string | null)[]
  /** add.partitionValues for the group's files. */
  values: Record<string, string | null>
  rows: number
}

/** A data file placed at its final path, not yet described. */
interface PlacedFile {
  absolute: string
  relativePath: string
  partitionValues: Record<string, string | null>
}

/** The distinct partition tuples with their row counts (one grouped scan); for an unpartitioned table one group. */
async function partitionGroups(port: ParquetPort, input: WriteDataFilesInput, typeOf: (c: string) => DataType): Promise<PartitionGroup[]> {
  const valueExprs = input.partitionColumns.map((c) => partitionValueSql(c, typeOf(c)))
  const selects = [...valueExprs.map((e, i) => `${e} AS "${valueColumn(i)}"`), `count(*) AS "${ROWS}"`]
  const rows = await port.query(`SELECT ${selects.join(', ')} FROM ${input.relation}${valueExprs.length > 0 ? ' GROUP BY ALL' : ''}`)
  const groups: PartitionGroup[] = []
  for (const row of rows) {
    const count = Number(row[ROWS])
    if (count === 0) continue
    const raw: (string | null)[] = []
    const values: Record<string, string | null> = {}
    input.partitionColumns.forEach((c, i) => {
      const v = row[valueColumn(i)]
      const value = v === null || v === undefined ? null : String(v)
      raw.push(value)
      values[c] = typeOf(c) === 'timestamp_ntz' && value !== null ? trimFraction(value) : value
    })
    groups.push({ raw, values, rows: count })
  }
  return groups
}

function placement(tableRoot: string, partitionColumns: readonly string[], values: Record<string, string | null>, index: number): PlacedFile {
  const dir = partitionDirectory(partitionColumns, values)
  const name = newDataFileName(index)
  const relativePath = dir ? `${dir}/${name}` : name
  return { absolute: path.join(tableRoot, ...relativePath.split('/')), relativePath, partitionValues: values }
}

/**
 * Writes every group in ONE pass over the relation: DuckDB `COPY ... PARTITION_BY` into a staging folder inside the
 * table root, keyed by a small group id (and a chunk number when a group holds more than `maxRows` rows), then each
 * file is renamed to its Spark-style `col=value/` directory. Group ids rather than the values themselves name the
 * staging folders, so DuckDB's own path escaping never has to be undone. The staging folder (`.tmp-write-<uuid>`)
 * holds nothing any log references; it is removed afterwards, and a crash leaves only unreferenced files.
 */
async function writeStaged(port: ParquetPort, input: WriteDataFilesInput, groups: PartitionGroup[], dataFields: string[], maxRows: number, placed: PlacedFile[]): Promise<void> {
  const id = randomUUID().replace(/-/g, '')
  const staging = path.join(input.tableRoot, `.tmp-write-${id}`)
  const partitioned = input.partitionColumns.length > 0
  const groupTable = `__lakebench_groups_${id}`
  const keys: string[] = []
  let columns = dataFields.map((c) => `r.${c}`)
  let from = `${input.relation} AS r`
  try {
    if (partitioned) {
      const valueDefs = input.partitionColumns.map((_, i) => `"${valueColumn(i)}" VARCHAR`)
      await port.exec(`CREATE TEMP TABLE "${groupTable}" ("${PARTITION_ID}" INTEGER, ${valueDefs.join(', ')})`)
      for (let start = 0; start < groups.length; start += GROUP_ROWS_PER_INSERT) {
        const tuples = groups.slice(start, start + GROUP_ROWS_PER_INSERT).map((g, k) => `(${start + k}, ${g.raw.map((v) => (v === null ? 'NULL' : sqlString(v))).join(', ')})`)
        await port.exec(`INSERT INTO "${groupTable}" VALUES ${tuples.join(', ')}`)
      }
      const typeOf = (c: string): DataType => input.schema.fields.find((f) => f.name === c)!.type
      const valueExprs = input.partitionColumns.map((c, i) => `${partitionValueSql(c, typeOf(c))} AS "${valueColumn(i)}"`)
      const join = input.partitionColumns.map((_, i) => `r."${valueColumn(i)}" IS NOT DISTINCT FROM g."${valueColumn(i)}"`).join(' AND ')
      from = `(SELECT *, ${valueExprs.join(', ')} FROM ${input.relation}) AS r JOIN "${groupTable}" AS g ON ${join}`
      columns.push(`g."${PARTITION_ID}" AS "${PARTITION_ID}"`)
      keys.push(PARTITION_ID)
    }
    if (groups.some((g) => g.rows > maxRows)) {
      const over = partitioned ? `PARTITION BY g."${PARTITION_ID}"` : ''
      columns.push(`(row_number() OVER (${over}) - 1) // ${maxRows} AS "${CHUNK_ID}"`)
      keys.push(CHUNK_ID)
    }
    if (columns.length === keys.length) columns = ['1 AS "__no_columns"', ...columns]
    await fs.mkdir(input.tableRoot, { recursive: true })
    await port.exec(
      `COPY (SELECT ${columns.join(', ')} FROM ${from}) TO ${sqlString(staging)} ` +
        `(FORMAT parquet, COMPRESSION snappy, PARTITION_BY (${keys.map((k) => `"${k}"`).join(', ')}), FILENAME_PATTERN 'data_{i}')`
    )
    const staged = await stagedFiles(staging)
    staged.sort((a, b) => a.group - b.group || a.chunk - b.chunk || a.file.localeCompare(b.file))
    for (const file of staged) {
      const group = groups[file.group]
      if (!group) throw new Error(`staged file ${file.file} names partition group ${file.group}, which was not written`)
      const target = placement(input.tableRoot, input.partitionColumns, group.values, placed.length)
      await fs.mkdir(path.dirname(target.absolute), { recursive: true })
      await fs.rename(file.file, target.absolute)
      placed.push(target)
    }
  } finally {
    if (partitioned) await port.exec(`DROP TABLE IF EXISTS "${groupTable}"`).catch(() => undefined)
    await fs.rm(staging, { recursive: true, force: true })
  }
}

/** The parquet files DuckDB wrote under `staging`, with the group id and chunk read from their `key=value` folders. */
async function stagedFiles(staging: string): Promise<{ file: string; group: number; chunk: number }[]> {
  const out: { file: string; group: number; chunk: number }[] = []
  const entries = await fs.readdir(staging, { recursive: true, withFileTypes: true })
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet')) continue
    const dir = entry.parentPath ?? (entry as unknown as { path: string }).path
    const file = path.join(dir, entry.name)
    const segments = path.relative(staging, dir).split(path.sep)
    const valueOf = (key: string): number => {
      const segment = segments.find((s) => s.startsWith(`${key}=`))
      return segment ? Number(segment.slice(key.length + 1)) : 0
    }
    out.push({ file, group: valueOf(PARTITION_ID), chunk: valueOf(CHUNK_ID) })
  }
  return out
}

/**
 * Writes the relation's rows as snappy parquet through DuckDB `COPY ... TO` under Hive-style `col=value/`
 * directories (partition columns are left out of the files), at most `maxRowsPerFile` rows per file, and returns the
 * add actions with size, modificationTime and stats. The common case (one partition, few rows) is one COPY straight
 * to the final file; otherwise one partitioned COPY writes every file in a single pass over the rows (see
 * writeStaged). Stats come from one grouped query over the new files. Zero rows write zero files. On failure every
 * file written so far is removed.
 * @throws DeltaError INVALID_ARGUMENT when a partition column is missing from the schema or nested.
 * @throws Error from DuckDB or the file system when a file cannot be written.
 */
export async function writeDataFiles(port: ParquetPort, input: WriteDataFilesInput): Promise<WrittenFiles> {
  const partitionSet = new Set(input.partitionColumns)
  for (const c of input.partitionColumns) {
    if (!input.schema.fields.some((f) => f.name === c)) throw new DeltaError('INVALID_ARGUMENT', `partition column '${c}' is not in the table schema`, { column: c })
  }
  const typeOf = (c: string): DataType => input.schema.fields.find((f) => f.name === c)!.type
  const dataFields = input.schema.fields.filter((f) => !partitionSet.has(f.name))
  const dataSchema: StructType = { type: 'struct', fields: dataFields }
  const dataColumns = dataFields.map((f) => sqlIdent(f.name))
  const maxRows = Math.max(1, Math.floor(input.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE))
  const result: WrittenFiles = { adds: [], numOutputRows: 0, numOutputBytes: 0 }

  const groups = await partitionGroups(port, input, typeOf)
  if (groups.length === 0) return result
  const placed: PlacedFile[] = []
  try {
    if (groups.length === 1 && groups[0]!.rows <= maxRows) {
      const target = placement(input.tableRoot, input.partitionColumns, groups[0]!.values, 0)
      await fs.mkdir(path.dirname(target.absolute), { recursive: true })
      placed.push(target)
      const select = `SELECT ${dataColumns.join(', ') || '1 AS "__no_columns"'} FROM ${input.relation}`
      await port.exec(`COPY (${select}) TO ${sqlString(target.absolute)} (FORMAT parquet, COMPRESSION snappy)`)
    } else {
      await writeStaged(port, input, groups, dataColumns, maxRows, placed)
    }
    const stats = await computeFilesStats(port, placed.map((p) => p.absolute), dataSchema, numIndexedCols(input.configuration))
    const dataChange = input.dataChange ?? true
    for (let i = 0; i < placed.length; i++) {
      const file = placed[i]!
      const stat = await fs.stat(file.absolute)
      result.adds.push({
        path: encodeAddPath(file.relativePath),
        partitionValues: file.partitionValues,
        size: stat.size,
        modificationTime: Math.floor(stat.mtimeMs),
        dataChange,
        stats: stats[i]!.json
      })
      result.numOutputRows += stats[i]!.numRecords
      result.numOutputBytes += stat.size
    }
    return result
  } catch (e) {
    // Nothing references these files yet; leaving them would only cost a VACUUM later.
    await Promise.all(placed.map((p) => fs.rm(p.absolute, { force: true }).catch(() => undefined)))
    throw e
  }
}

/** `2021-01-01 10:00:00.500000` -> `2021-01-01 10:00:00.5`, `...00.000000` -> `...00`, as Spark casts timestamps to strings. */
function trimFraction(value: string): string {
  return value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}
