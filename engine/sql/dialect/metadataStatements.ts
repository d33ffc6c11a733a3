// DESCRIBE HISTORY / DETAIL / TABLE and SHOW SCHEMAS / TABLES as DuckDB SELECTs over literal rows, in Spark's column shapes.
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { Snapshot } from '../../delta/snapshot'
import { sparkTypeName } from './sparkTypes'

/**
 * A literal cell: JS values become typed SQL literals. `{timestampMs}` marks an instant, `{struct}` a struct value
 * (field order as in the column type); other objects are maps (a null value is SQL NULL).
 */
export type Cell = string | number | bigint | boolean | null | { timestampMs: number } | { struct: Record<string, string | null> } | Record<string, string | null> | string[]

export interface ColumnSpec {
  name: string
  /** DuckDB type of the column. */
  type: string
}

function literal(cell: Cell, type: string): string {
  if (cell === null) return `CAST(NULL AS ${type})`
  if (typeof cell === 'string') return `CAST(${sqlString(cell)} AS ${type})`
  if (typeof cell === 'number' || typeof cell === 'bigint') return `CAST(${String(cell)} AS ${type})`
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE'
  if (Array.isArray(cell)) return `CAST([${cell.map(sqlString).join(', ')}] AS ${type})`
  if ('timestampMs' in cell && typeof cell.timestampMs === 'number') {
    return `CAST(make_timestamp(${Math.round(cell.timestampMs)}::BIGINT * 1000) AS ${type})`
  }
  const text = (v: string | null): string => (v === null ? 'NULL' : sqlString(v))
  if ('struct' in cell && typeof cell.struct === 'object' && cell.struct !== null) {
    return `CAST({${Object.entries(cell.struct).map(([k, v]) => `${sqlString(k)}: ${text(v)}`).join(', ')}} AS ${type})`
  }
  const entries = Object.entries(cell as Record<string, string | null>)
  return `CAST(MAP {${entries.map(([k, v]) => `${sqlString(k)}: ${text(v)}`).join(', ')}} AS ${type})`
}

/** A SELECT returning `rows` with the given typed columns (zero rows still carry the column types). */
export function valuesSql(columns: readonly ColumnSpec[], rows: readonly Cell[][]): string {
  if (rows.length === 0) return `SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} WHERE false`
  return rows
    .map((row) => `SELECT ${columns.map((c, i) => `${literal(row[i] ?? null, c.type)} AS ${sqlIdent(c.name)}`).join(', ')}`)
    .join('\nUNION ALL ')
}

/** One entry of DeltaTable.history(); the Spark-only fields are shown when the commit carries them. */
export interface HistoryEntry {
  version: number
  timestamp: number
  operation?: string
  operationParameters?: Record<string, unknown>
  operationMetrics?: Record<string, unknown>
  engineInfo?: string
  isBlindAppend?: boolean
  readVersion?: number
  isolationLevel?: string
  userMetadata?: string
  userId?: string
  userName?: string
  clusterId?: string
  job?: Record<string, unknown>
  notebook?: Record<string, unknown>
}

function stringMap(values: Record<string, unknown> | undefined): Record<string, string | null> {
  // Spark shows parameter and metric values as strings (JSON for non-strings) and a missing value as NULL.
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)]))
}

const JOB_FIELDS = ['jobId', 'jobName', 'jobRunId', 'runId', 'jobOwnerId', 'triggerType'] as const

/** A struct cell with exactly `fields` (strings), or NULL when the commit has no such object. */
function structCell(value: Record<string, unknown> | undefined, fields: readonly string[]): Cell {
  if (!value || typeof value !== 'object') return null
  return { struct: Object.fromEntries(fields.map((f) => [f, value[f] === undefined || value[f] === null ? null : String(value[f])])) }
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v))

/**
 * DESCRIBE HISTORY with Spark's columns, in Spark's order: version, timestamp, userId, userName, operation,
 * operationParameters, job, notebook, clusterId, readVersion, isolationLevel, isBlindAppend, operationMetrics,
 * userMetadata, engineInfo (maps as MAP(VARCHAR, VARCHAR); job and notebook as structs).
 */
export function describeHistorySql(history: readonly HistoryEntry[]): string {
  const columns: ColumnSpec[] = [
    { name: 'version', type: 'BIGINT' },
    { name: 'timestamp', type: 'TIMESTAMPTZ' },
    { name: 'userId', type: 'VARCHAR' },
    { name: 'userName', type: 'VARCHAR' },
    { name: 'operation', type: 'VARCHAR' },
    { name: 'operationParameters', type: 'MAP(VARCHAR, VARCHAR)' },
    { name: 'job', type: `STRUCT(${JOB_FIELDS.map((f) => `"${f}" VARCHAR`).join(', ')})` },
    { name: 'notebook', type: 'STRUCT("notebookId" VARCHAR)' },
    { name: 'clusterId', type: 'VARCHAR' },
    { name: 'readVersion', type: 'BIGINT' },
    { name: 'isolationLevel', type: 'VARCHAR' },
    { name: 'isBlindAppend', type: 'BOOLEAN' },
    { name: 'operationMetrics', type: 'MAP(VARCHAR, VARCHAR)' },
    { name: 'userMetadata', type: 'VARCHAR' },
    { name: 'engineInfo', type: 'VARCHAR' }
  ]
  const rows = history.map((h): Cell[] => [
    h.version, { timestampMs: h.timestamp }, text(h.userId), text(h.userName), h.operation ?? null, stringMap(h.operationParameters),
    structCell(h.job, JOB_FIELDS), structCell(h.notebook, ['notebookId']), text(h.clusterId), h.readVersion ?? null,
    text(h.isolationLevel), h.isBlindAppend ?? null, stringMap(h.operationMetrics), text(h.userMetadata), h.engineInfo ?? null
  ])
  return `${valuesSql(columns, rows)}\nORDER BY "version" DESC`
}

/** Liquid clustering columns, from the `delta.clustering` domain metadata when the snapshot carries it. */
function clusteringColumns(snapshot: Snapshot): string[] {
  const clustering = snapshot.domainMetadata.get('delta.clustering')
  if (!clustering || clustering.removed) return []
  try {
    const parsed = JSON.parse(clustering.configuration) as { clusteringColumns?: string[][] }
    return (parsed.clusteringColumns ?? []).map((columnPath) => columnPath.join('.'))
  } catch {
    // An unreadable domain configuration should not make DESCRIBE DETAIL fail.
    return []
  }
}

/**
 * DESCRIBE DETAIL: one row describing the table at its latest version, in Spark's columns (format, id, name,
 * description, location, createdAt, lastModified, partitionColumns, clusteringColumns, numFiles, sizeInBytes,
 * properties, minReaderVersion, minWriterVersion, tableFeatures) plus the version it describes.
 */
export function describeDetailSql(snapshot: Snapshot, displayName: string, lastModifiedMs: number): string {
  const features = [...new Set([...(snapshot.protocol.readerFeatures ?? []), ...(snapshot.protocol.writerFeatures ?? [])])].sort()
  const columns: ColumnSpec[] = [
    { name: 'format', type: 'VARCHAR' },
    { name: 'id', type: 'VARCHAR' },
    { name: 'name', type: 'VARCHAR' },
    { name: 'description', type: 'VARCHAR' },
    { name: 'location', type: 'VARCHAR' },
    { name: 'createdAt', type: 'TIMESTAMPTZ' },
    { name: 'lastModified', type: 'TIMESTAMPTZ' },
    { name: 'partitionColumns', type: 'VARCHAR[]' },
    { name: 'clusteringColumns', type: 'VARCHAR[]' },
    { name: 'numFiles', type: 'BIGINT' },
    { name: 'sizeInBytes', type: 'BIGINT' },
    { name: 'properties', type: 'MAP(VARCHAR, VARCHAR)' },
    { name: 'minReaderVersion', type: 'INTEGER' },
    { name: 'minWriterVersion', type: 'INTEGER' },
    { name: 'tableFeatures', type: 'VARCHAR[]' },
    { name: 'version', type: 'BIGINT' }
  ]
  const size = snapshot.files.reduce((sum, f) => sum + (f.size ?? 0), 0)
  const created = snapshot.metadata.createdTime
  return valuesSql(columns, [[
    'delta', snapshot.metadata.id, displayName, snapshot.metadata.description ?? null, snapshot.tableRoot,
    typeof created === 'number' ? { timestampMs: created } : null, { timestampMs: lastModifiedMs }, snapshot.partitionColumns,
    clusteringColumns(snapshot), snapshot.files.length, size, snapshot.metadata.configuration ?? {}, snapshot.protocol.minReaderVersion,
    snapshot.protocol.minWriterVersion, features, snapshot.version
  ]])
}

/** DESCRIBE [EXTENDED] TABLE: col_name, data_type, comment with Spark type names and the partitioning section. */
export function describeTableSql(snapshot: Snapshot, displayName: string, extended: boolean): string {
  const columns: ColumnSpec[] = [
    { name: 'col_name', type: 'VARCHAR' },
    { name: 'data_type', type: 'VARCHAR' },
    { name: 'comment', type: 'VARCHAR' }
  ]
  const comment = (m: Record<string, unknown>): string | null => (typeof m.comment === 'string' ? m.comment : null)
  const rows: Cell[][] = snapshot.schema.fields.map((f) => [f.name, sparkTypeName(f.type), comment(f.metadata ?? {})])
  if (snapshot.partitionColumns.length > 0) {
    rows.push(['# Partition Information', '', ''], ['# col_name', 'data_type', 'comment'])
    for (const p of snapshot.partitionColumns) {
      const f = snapshot.schema.fields.find((x) => x.name === p)
      rows.push([p, f ? sparkTypeName(f.type) : '', f ? comment(f.metadata ?? {}) : null])
    }
  }
  if (extended) {
    const props = Object.entries(snapshot.metadata.configuration ?? {}).map(([k, v]) => `${k}=${v}`).join(',')
    rows.push(
      ['', '', ''],
      ['# Detailed Table Information', '', ''],
      ['Name', displayName, ''],
      ['Location', snapshot.tableRoot, ''],
      ['Provider', 'delta', ''],
      ['Version', String(snapshot.version), ''],
      ['Comment', snapshot.metadata.description ?? '', ''],
      ['Table Properties', `[${props}]`, '']
    )
  }
  return valuesSql(columns, rows)
}

/** SHOW COLUMNS IN t: one `col_name` column, as Spark prints it. */
export function showColumnsSql(snapshot: Snapshot): string {
  return valuesSql([{ name: 'col_name', type: 'VARCHAR' }], snapshot.schema.fields.map((f) => [f.name]))
}

/** SHOW SCHEMAS / SHOW DATABASES: one `namespace` column, as Spark prints it. */
export function showSchemasSql(schemas: readonly string[]): string {
  return valuesSql([{ name: 'namespace', type: 'VARCHAR' }], schemas.map((s) => [s]))
}

/** SHOW TABLES: namespace, tableName, isTemporary. */
export function showTablesSql(tables: readonly { schema: string; name: string }[]): string {
  return valuesSql(
    [{ name: 'namespace', type: 'VARCHAR' }, { name: 'tableName', type: 'VARCHAR' }, { name: 'isTemporary', type: 'BOOLEAN' }],
    tables.map((t) => [t.schema, t.name, false])
  )
}
