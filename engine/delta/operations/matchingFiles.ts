// Which live files a predicate touches: partition-only evaluation on partitionValues, or per-file row counts via a scan.
import type { AddFile, RemoveFile } from '../actions'
import type { ReadPredicate } from '../conflictChecker'
import { DeltaError } from '../errors'
import { sqlIdent, type ParquetPort } from '../parquetPort'
import { pruneFiles } from '../filePruning'
import { partitionValueLiteral } from '../partitionValues'
import { pruneFiltersOf } from '../predicateFilters'
import { scanSql } from '../scan'
import type { StructType } from '../schema'
import type { Snapshot } from '../snapshot'
import { duckdbTypeOf } from '../typeMapping'

const FILES_PER_QUERY = 500

function partitionFields(schema: StructType, partitionColumns: readonly string[]) {
  return partitionColumns.map((c) => {
    const f = schema.fields.find((x) => x.name === c)
    if (!f) throw new DeltaError('CORRUPT_LOG', `partition column '${c}' is not in the table schema`, { column: c })
    return f
  })
}

/**
 * Checks that a predicate is a valid DuckDB boolean expression over the table's columns before any file is written.
 * @throws DeltaError INVALID_ARGUMENT with DuckDB's parser/binder message and the predicate text.
 */
export async function assertPredicateBinds(port: ParquetPort, schema: StructType, predicateSql: string, role: string): Promise<void> {
  const cols = schema.fields.map((f) => `NULL::${duckdbTypeOf(f.type)} AS ${sqlIdent(f.name)}`)
  try {
    await port.query(`SELECT CAST((${predicateSql}) AS BOOLEAN) AS m FROM (SELECT ${cols.join(', ')}) AS table_columns LIMIT 0`)
  } catch (e) {
    throw new DeltaError('INVALID_ARGUMENT', `${role} '${predicateSql}' is not a valid condition on the table's columns: ${(e as Error).message.split('\n')[0]}`, { predicate: predicateSql })
  }
}

/**
 * True when the predicate binds against the partition columns alone, i.e. it references no data column.
 * A predicate that does not parse is reported as not partition-only; the later row-level evaluation raises its error.
 */
export async function isPartitionOnlyPredicate(port: ParquetPort, schema: StructType, partitionColumns: readonly string[], predicateSql: string): Promise<boolean> {
  const cols = partitionFields(schema, partitionColumns).map((f) => `NULL::${duckdbTypeOf(f.type)} AS ${sqlIdent(f.name)}`)
  const relation = cols.length > 0 ? `(SELECT ${cols.join(', ')})` : '(SELECT 1 AS "__lakebench_no_partitions")'
  try {
    await port.query(`SELECT (${predicateSql}) AS m FROM ${relation} AS partition_values LIMIT 0`)
    return true
  } catch {
    return false
  }
}

/**
 * Evaluates a partition-only predicate on each file's partitionValues (typed per the schema); a file matches when the
 * predicate is TRUE (NULL does not match).
 * @throws DeltaError CORRUPT_LOG when a partition value string does not parse; Error from DuckDB for a bad predicate.
 */
export async function partitionPredicateMatches(
  port: ParquetPort, schema: StructType, partitionColumns: readonly string[], files: readonly AddFile[], predicateSql: string
): Promise<boolean[]> {
  const fields = partitionFields(schema, partitionColumns)
  const result: boolean[] = new Array(files.length).fill(false)
  for (let start = 0; start < files.length; start += FILES_PER_QUERY) {
    const batch = files.slice(start, start + FILES_PER_QUERY)
    const rows = batch.map((file, i) => {
      const values = fields.map((f) => `${partitionValueLiteral(file.partitionValues?.[f.name], f.type, `file ${file.path}, column ${f.name}`)} AS ${sqlIdent(f.name)}`)
      return `SELECT ${start + i} AS "__lakebench_index"${values.map((v) => `, ${v}`).join('')}`
    })
    const matched = await port.query(`SELECT "__lakebench_index" AS i FROM (${rows.join(' UNION ALL ')}) AS partition_values WHERE (${predicateSql}) IS TRUE`)
    for (const r of matched) result[Number(r.i)] = true
  }
  return result
}

/** A read predicate for conflict detection from partition-only SQL. */
export function partitionReadPredicate(port: ParquetPort, schema: StructType, partitionColumns: readonly string[], predicateSql: string): ReadPredicate {
  return { description: predicateSql, matches: (files) => partitionPredicateMatches(port, schema, partitionColumns, files, predicateSql) }
}

/** A read predicate that cannot be decided from partition values: every added file counts as read (Spark does the same). */
export function conservativeReadPredicate(predicateSql: string): ReadPredicate {
  return { description: predicateSql, matches: (files) => files.map(() => true) }
}

export interface FileMatch {
  file: AddFile
  /** Rows (after deletion vectors) where the predicate is TRUE. */
  matched: number
  total: number
}

/**
 * Counts, per live file, the rows where the predicate is TRUE, in one scan over the files (deletion vectors applied).
 * Files with no matching row are left out of the result.
 * @throws Error from DuckDB when the predicate does not bind or a file cannot be read.
 */
export async function filesWithMatchingRows(snapshot: Snapshot, port: ParquetPort, files: readonly AddFile[], predicateSql: string): Promise<FileMatch[]> {
  if (files.length === 0) return []
  const byPath = new Map(files.map((f) => [f.path, f]))
  const scan = await scanSql(snapshot, port, { files: [...files], withFileName: true })
  const rows = await port.query(
    `SELECT ${FILE_NAME_COLUMN} AS f, count(*) FILTER (WHERE (${predicateSql}) IS TRUE) AS matched, count(*) AS total FROM (${scan}) AS scanned GROUP BY ALL`
  )
  const out: FileMatch[] = []
  for (const r of rows) {
    const matched = Number(r.matched)
    if (matched === 0) continue
    const file = byPath.get(String(r.f))
    if (!file) throw new Error(`scan reported rows for ${String(r.f)}, which is not one of the scanned files`)
    out.push({ file, matched, total: Number(r.total) })
  }
  return out
}

/**
 * The live files that may hold a row where the predicate is TRUE: those that the predicate's simple conjuncts
 * (pruneFiltersOf) cannot rule out by partition values and column stats. Every file when nothing can be used; a
 * predicate that cannot be used is never an error here (the scan that follows reports a bad predicate).
 */
export async function filesThatMayMatch(snapshot: Snapshot, port: ParquetPort, predicateSql: string): Promise<AddFile[]> {
  if (snapshot.files.length === 0) return []
  const filters = await pruneFiltersOf(port, snapshot.schema, predicateSql)
  return filters.length === 0 ? snapshot.files : pruneFiles(snapshot, filters)
}

/** The scan column holding each row's add.path when `withFileName` is set. */
const FILE_NAME_COLUMN = '"__file"'

/**
 * A SELECT of the table's columns over `files`, keeping the rows where the predicate is not TRUE (NULL keeps the row),
 * for copy-on-write rewrites.
 */
export async function rowsToKeepSql(snapshot: Snapshot, port: ParquetPort, files: readonly AddFile[], predicateSql: string): Promise<string> {
  const scan = await scanSql(snapshot, port, { files: [...files] })
  const cols = snapshot.schema.fields.map((f) => sqlIdent(f.name)).join(', ')
  return `SELECT ${cols} FROM (${scan}) AS scanned WHERE (${predicateSql}) IS NOT TRUE`
}

/** The remove action for a live file: the exact (path, deletionVector) pair, with Spark's extended file metadata. */
export function removeOf(add: AddFile, deletionTimestamp: number): RemoveFile {
  const remove: RemoveFile = {
    path: add.path,
    deletionTimestamp,
    dataChange: true,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size
  }
  if (add.deletionVector) remove.deletionVector = add.deletionVector
  if (add.stats) remove.stats = add.stats
  return remove
}

/** Rows a file holds according to its stats (numRecords minus DV cardinality), or null without stats. */
export function statsRowCount(add: AddFile): number | null {
  if (!add.stats) return null
  try {
    const n = (JSON.parse(add.stats) as { numRecords?: unknown }).numRecords
    if (typeof n !== 'number') return null
    return n - (add.deletionVector?.cardinality ?? 0)
  } catch {
    return null
  }
}
