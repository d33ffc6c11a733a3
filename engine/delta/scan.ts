// Snapshot -> one DuckDB SELECT over its data files: logical columns, partition values, column mapping, deletion vectors.
import type { AddFile } from './actions'
import { columnMappingMode, findPhysicalColumn, logicalValueExpr, physicalName, readParquetSchemas, schemaSignature, type ColumnMappingMode, type ParquetNode } from './columnMapping'
import { deletedRowsRelation, type DeletedRows } from './deletedRowsRelation'
import { readDeletedRows } from './deletionVectors'
import { DeltaError } from './errors'
import { sqlIdent, sqlString, type ParquetPort } from './parquetPort'
import { castsLikeLiteral, decodeLogPath, isNullPartitionValue, partitionValueLiteral, resolveTablePath } from './partitionValues'
import type { StructField } from './schema'
import type { Snapshot } from './snapshot'
import { assertReadable, assertSchemaReadable } from './tableFeatures'
import { duckdbTypeOf } from './typeMapping'

export interface ScanOptions {
  /** The files to read; default snapshot.files. */
  files?: AddFile[]
  /** Adds a last column `__file` holding each row's add.path (as written in the log). */
  withFileName?: boolean
}

const FILE_COLUMN = '__delta_file'
const HIVE_SAFE_VALUE = /^[A-Za-z0-9_.\- ]+$/

interface ScanFile {
  add: AddFile
  abs: string
}

interface Branch {
  files: ScanFile[]
  /** Partition column name -> SQL expression (literal mode). */
  literals: Map<string, string> | null
  physical: ParquetNode | null
  withDv: boolean
}

interface ScanPlan {
  snapshot: Snapshot
  mode: ColumnMappingMode
  dataFields: StructField[]
  partitionFields: Set<string>
  hive: boolean
  /** Non-column-mapping tables: lower-cased data columns that at least one file holds. */
  present: Set<string> | null
}

/**
 * One DuckDB SELECT producing the table's logical columns in schema order with schema types (duckdbTypeOf):
 * partition columns filled from add.partitionValues, column mapping resolved at every nesting level, rows deleted by
 * deletion vectors removed, columns a file lacks as NULL. Zero files give the right columns and no rows.
 * The common case is a single read_parquet over all files; partition values come from DuckDB's hive columns when
 * every path spells them exactly as the log does, else from literals per partition-value group.
 * Side effects: large deletion-vector row sets are loaded into session temp tables `__delta_dv_<hash>` via port.exec,
 * and column-mapping tables and tables without column stats have their parquet footers read once via port.query.
 * Timestamps stored without a zone (INT96) are read in the session time zone, which DuckdbSession pins to UTC.
 * @throws DeltaError UNSUPPORTED_FEATURE (reader feature, type, or remote storage named), CORRUPT_LOG (bad partition
 *   value or deletion vector, naming the file), SCHEMA_MISMATCH (a file's nested shape contradicts the schema).
 */
export async function scanSql(snapshot: Snapshot, port: ParquetPort, options: ScanOptions = {}): Promise<string> {
  assertReadable(snapshot.protocol, `${snapshot.tableRoot} at version ${snapshot.version}`)
  const mode = columnMappingMode(snapshot.metadata)
  for (const f of snapshot.schema.fields) assertSchemaReadable(f.type, f.name)
  const partitionLower = new Set(snapshot.partitionColumns.map((c) => c.toLowerCase()))
  const partitionFields = new Set(snapshot.schema.fields.filter((f) => partitionLower.has(f.name.toLowerCase())).map((f) => f.name))
  const dataFields = snapshot.schema.fields.filter((f) => !partitionFields.has(f.name))
  const files = (options.files ?? snapshot.files).map((add) => ({ add, abs: resolveTablePath(snapshot.tableRoot, add.path) }))
  if (files.length === 0) return emptySelect(snapshot, options)

  const partitionList = snapshot.schema.fields.filter((f) => partitionFields.has(f.name))
  const hive = mode === 'none' && partitionList.length > 0 && hiveLayoutFits(snapshot, partitionList, files)
  let schemas: Map<string, ParquetNode> | null = null
  let present: Set<string> | null = null
  if (mode !== 'none') schemas = await readParquetSchemas(port, files.map((f) => f.abs))
  else present = await presentColumns(port, dataFields, files)
  const plan: ScanPlan = { snapshot, mode, dataFields, partitionFields, hive, present }

  const branches = new Map<string, Branch>()
  for (const file of files) {
    const literals = partitionList.length > 0 && !hive ? partitionLiterals(snapshot, mode, partitionList, file.add) : null
    const physical = schemas ? schemas.get(file.abs) ?? missingFileError(file) : null
    const withDv = Boolean(file.add.deletionVector)
    const key = `${literals ? [...literals.values()].join('\u0001') : ''}\u0002${physical ? schemaSignature(physical) : ''}\u0002${withDv}`
    let branch = branches.get(key)
    if (!branch) branches.set(key, (branch = { files: [], literals, physical, withDv }))
    branch.files.push(file)
  }

  const dvFiles = files.filter((f) => f.add.deletionVector)
  let dvRelation: string | null = null
  if (dvFiles.length > 0) {
    const deleted: DeletedRows[] = await Promise.all(
      dvFiles.map(async (f) => ({ file: f.abs, rows: await readDeletedRows(snapshot.tableRoot, f.add.deletionVector!, f.add.path) }))
    )
    dvRelation = await deletedRowsRelation(port, deleted)
  }
  const fileMap = options.withFileName ? `SELECT * FROM (VALUES ${files.map((f) => `(${sqlString(f.abs)}, ${sqlString(f.add.path)})`).join(', ')}) AS m(abs, path)` : null
  return [...branches.values()].map((b) => branchSql(plan, b, dvRelation, fileMap)).join('\nUNION ALL\n')
}

function missingFileError(file: ScanFile): never {
  throw new DeltaError('CORRUPT_LOG', `data file ${file.abs} (add.path ${file.add.path}) has no readable parquet schema`, { path: file.add.path })
}

function emptySelect(snapshot: Snapshot, options: ScanOptions): string {
  const cols = snapshot.schema.fields.map((f) => `CAST(NULL AS ${duckdbTypeOf(f.type)}) AS ${sqlIdent(f.name)}`)
  if (options.withFileName) cols.push(`CAST(NULL AS VARCHAR) AS __file`)
  return `SELECT ${cols.join(', ')} WHERE false`
}

/** Typed partition literals of one file, keyed by logical column name. */
function partitionLiterals(snapshot: Snapshot, mode: ColumnMappingMode, fields: StructField[], add: AddFile): Map<string, string> {
  const literals = new Map<string, string>()
  for (const f of fields) {
    const key = physicalName(f, mode)
    const values = add.partitionValues ?? {}
    const raw = key in values ? values[key] : Object.entries(values).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1]
    literals.set(f.name, partitionValueLiteral(raw, f.type, `${add.path}, partition column ${f.name}`))
  }
  return literals
}

/**
 * True when DuckDB's hive partitioning yields exactly the log's partition values: every path is
 * `c1=v1/.../cn=vn/file` in partition-column order, each value spelled literally (nothing to unescape) or as
 * __HIVE_DEFAULT_PARTITION__ for null, and every type converts identically with CAST. The values still come from
 * the log; this only lets one read_parquet produce them without per-file literals.
 */
function hiveLayoutFits(snapshot: Snapshot, fields: StructField[], files: ScanFile[]): boolean {
  if (snapshot.tableRoot.includes('=')) return false
  if (!fields.every((f) => castsLikeLiteral(f.type) && HIVE_SAFE_VALUE.test(f.name))) return false
  for (const { add } of files) {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(add.path)) return false
    const segments = decodeLogPath(add.path).split('/')
    if (segments.length !== fields.length + 1 || segments[segments.length - 1]!.includes('=')) return false
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      const raw = (add.partitionValues ?? {})[f.name]
      const expected = isNullPartitionValue(raw) ? '__HIVE_DEFAULT_PARTITION__' : raw
      if (expected !== '__HIVE_DEFAULT_PARTITION__' && !HIVE_SAFE_VALUE.test(expected)) return false
      if (segments[i] !== `${f.name}=${expected}`) return false
      // Validates the value now, so a bad one fails here with the file named rather than inside a CAST.
      partitionValueLiteral(raw, f.type, `${add.path}, partition column ${f.name}`)
    }
  }
  return true
}

/**
 * Lower-cased data columns present in at least one file. Column stats prove presence without reading footers;
 * only when they do not cover every column are the footers consulted (DESCRIBE over union_by_name).
 */
async function presentColumns(port: ParquetPort, fields: StructField[], files: ScanFile[]): Promise<Set<string>> {
  const wanted = new Set(fields.map((f) => f.name.toLowerCase()))
  const found = new Set<string>()
  for (const { add } of files) {
    if (!add.stats) continue
    let stats: Record<string, unknown>
    try {
      stats = JSON.parse(add.stats) as Record<string, unknown>
    } catch {
      continue
    }
    for (const section of ['nullCount', 'minValues', 'maxValues']) {
      const values = stats[section]
      if (values && typeof values === 'object') for (const k of Object.keys(values)) found.add(k.toLowerCase())
    }
    if ([...wanted].every((c) => found.has(c))) return found
  }
  const rows = await port.query(`DESCRIBE SELECT * FROM read_parquet([${files.map((f) => sqlString(f.abs)).join(', ')}], hive_partitioning=false, union_by_name=true)`)
  return new Set(rows.map((r) => String(r.column_name).toLowerCase()))
}

function columnExpr(plan: ScanPlan, branch: Branch, field: StructField): string {
  const type = duckdbTypeOf(field.type)
  if (plan.partitionFields.has(field.name)) {
    if (branch.literals) return `${branch.literals.get(field.name)!} AS ${sqlIdent(field.name)}`
    return `CAST(t.${sqlIdent(field.name)} AS ${type}) AS ${sqlIdent(field.name)}`
  }
  if (plan.mode === 'none') {
    const has = plan.present!.has(field.name.toLowerCase())
    return `CAST(${has ? `t.${sqlIdent(field.name)}` : 'NULL'} AS ${type}) AS ${sqlIdent(field.name)}`
  }
  const node = findPhysicalColumn(branch.physical!, field, plan.mode)
  const value = node ? logicalValueExpr(field.type, node, `t.${sqlIdent(node.name)}`, plan.mode, field.name) : 'NULL'
  return `CAST(${value} AS ${type}) AS ${sqlIdent(field.name)}`
}

function branchSql(plan: ScanPlan, branch: Branch, dvRelation: string | null, fileMap: string | null): string {
  const needsFileName = branch.withDv || fileMap !== null
  const args = [`[${branch.files.map((f) => sqlString(f.abs)).join(', ')}]`, `hive_partitioning=${plan.hive}`, 'union_by_name=true']
  if (plan.hive) {
    const types = plan.snapshot.schema.fields.filter((f) => plan.partitionFields.has(f.name)).map((f) => `${sqlString(f.name)}: VARCHAR`)
    args.push(`hive_types={${types.join(', ')}}`)
  }
  if (needsFileName) args.push(`filename=${sqlString(FILE_COLUMN)}`)
  if (branch.withDv) args.push('file_row_number=true')
  const cols = plan.snapshot.schema.fields.map((f) => columnExpr(plan, branch, f))
  if (fileMap) cols.push('m.path AS __file')
  let sql = `SELECT ${cols.join(', ')} FROM read_parquet(${args.join(', ')}) AS t`
  if (branch.withDv) sql += ` ANTI JOIN (${dvRelation}) AS d ON t.${FILE_COLUMN} = d.file AND t.file_row_number = d.row`
  if (fileMap) sql += ` JOIN (${fileMap}) AS m ON t.${FILE_COLUMN} = m.abs`
  return sql
}
