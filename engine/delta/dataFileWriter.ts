// Writes rows from a DuckDB relation as new Delta data files (one per partition) and describes them as add actions.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { AddFile } from './actions'
import { DeltaError } from './errors'
import { encodeAddPath, partitionDirectory } from './partitionPath'
import { sqlIdent, sqlString, type ParquetPort } from './parquetPort'
import type { DataType, StructType } from './schema'
import { computeFileStats, DEFAULT_NUM_INDEXED_COLS } from './stats'

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
}

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

/**
 * Writes the relation's rows as snappy parquet through DuckDB `COPY ... TO`, one file per distinct partition value
 * tuple under Hive-style `col=value/` directories (partition columns are left out of the files), and returns the add
 * actions with size, modificationTime and stats. Zero rows write zero files.
 * @throws DeltaError INVALID_ARGUMENT when a partition column is missing from the schema or nested.
 * @throws Error from DuckDB or the file system when a file cannot be written.
 */
export async function writeDataFiles(port: ParquetPort, input: WriteDataFilesInput): Promise<WrittenFiles> {
  const partitionSet = new Set(input.partitionColumns)
  for (const c of input.partitionColumns) {
    if (!input.schema.fields.some((f) => f.name === c)) throw new DeltaError('INVALID_ARGUMENT', `partition column '${c}' is not in the table schema`, { column: c })
  }
  const dataFields = input.schema.fields.filter((f) => !partitionSet.has(f.name))
  const dataSchema: StructType = { type: 'struct', fields: dataFields }
  const dataColumns = dataFields.map((f) => sqlIdent(f.name)).join(', ')
  const indexed = numIndexedCols(input.configuration)
  const dataChange = input.dataChange ?? true
  const result: WrittenFiles = { adds: [], numOutputRows: 0, numOutputBytes: 0 }

  const writeOne = async (whereSql: string, partitionValues: Record<string, string | null>, index: number): Promise<void> => {
    const dir = partitionDirectory(input.partitionColumns, partitionValues)
    const name = newDataFileName(index)
    const relativePath = dir ? `${dir}/${name}` : name
    const absolute = path.join(input.tableRoot, ...relativePath.split('/'))
    await fs.mkdir(path.dirname(absolute), { recursive: true })
    const select = `SELECT ${dataColumns || '1 AS "__no_columns"'} FROM ${input.relation}${whereSql ? ` WHERE ${whereSql}` : ''}`
    await port.exec(`COPY (${select}) TO ${sqlString(absolute)} (FORMAT parquet, COMPRESSION snappy)`)
    const stat = await fs.stat(absolute)
    const stats = await computeFileStats(port, absolute, dataSchema, indexed)
    result.adds.push({
      path: encodeAddPath(relativePath),
      partitionValues,
      size: stat.size,
      modificationTime: Math.floor(stat.mtimeMs),
      dataChange,
      stats: stats.json
    })
    result.numOutputRows += stats.numRecords
    result.numOutputBytes += stat.size
  }

  if (input.partitionColumns.length === 0) {
    const [{ n }] = (await port.query(`SELECT count(*) AS n FROM ${input.relation}`)) as [{ n: unknown }]
    if (Number(n) > 0) await writeOne('', {}, 0)
    return result
  }

  const typeOf = (c: string): DataType => input.schema.fields.find((f) => f.name === c)!.type
  const valueExprs = input.partitionColumns.map((c) => partitionValueSql(c, typeOf(c)))
  const tuples = await port.query(
    `SELECT DISTINCT ${valueExprs.map((e, i) => `${e} AS "pv${i}"`).join(', ')} FROM ${input.relation}`
  )
  let index = 0
  for (const tuple of tuples) {
    const partitionValues: Record<string, string | null> = {}
    const conditions: string[] = []
    input.partitionColumns.forEach((c, i) => {
      const raw = tuple[`pv${i}`]
      const value = raw === null || raw === undefined ? null : String(raw)
      partitionValues[c] = typeOf(c) === 'timestamp_ntz' && value !== null ? trimFraction(value) : value
      conditions.push(`${valueExprs[i]} IS NOT DISTINCT FROM ${value === null ? 'NULL' : sqlString(value)}`)
    })
    await writeOne(conditions.join(' AND '), partitionValues, index++)
  }
  return result
}

/** `2021-01-01 10:00:00.500000` -> `2021-01-01 10:00:00.5`, `...00.000000` -> `...00`, as Spark casts timestamps to strings. */
function trimFraction(value: string): string {
  return value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}
