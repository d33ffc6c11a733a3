// versionInfo: one version of a Delta table as the browser shows it (schema and its changes, files with stats, raw actions, row counts).
import type { DataFileInfo, VersionInfo } from '../api/tablesApi'
import { actionKind, type Action, type AddFile, type CommitInfo } from '../delta/actions'
import type { DeltaTable } from '../delta/deltaTable'
import { isDeltaError } from '../delta/errors'
import { readCommit } from '../delta/logReplay'
import { LogStore } from '../delta/logStore'
import { describeColumns, schemaChanges } from './schemaChanges'

/** At most this many files are listed; the rest is summarised by numFiles / sizeBytes. */
export const MAX_LISTED_FILES = 1000

/** Nested stats objects become dotted keys (`address.city`), which is how the browser lists them. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out)
    else out[key] = v
  }
  return out
}

/** The file with its stats parsed; unparsable or missing stats give rows=null and empty maps (stats are optional in Delta). */
export function dataFileInfo(add: AddFile): DataFileInfo {
  let stats: Record<string, unknown> = {}
  try {
    stats = add.stats ? (JSON.parse(add.stats) as Record<string, unknown>) : {}
  } catch {
    stats = {}
  }
  const nullCount = Object.fromEntries(Object.entries(flatten(stats.nullCount)).filter(([, v]) => typeof v === 'number')) as Record<string, number>
  return {
    path: add.path,
    sizeBytes: add.size,
    rows: typeof stats.numRecords === 'number' ? stats.numRecords : null,
    partitionValues: add.partitionValues,
    minValues: flatten(stats.minValues),
    maxValues: flatten(stats.maxValues),
    nullCount,
    deletionVectorRows: add.deletionVector ? add.deletionVector.cardinality : null
  }
}

/** Live rows from file stats minus deletion-vector rows; null when any file lacks a row count. */
export function rowsOfFiles(files: readonly AddFile[]): number | null {
  let total = 0
  for (const f of files) {
    const info = dataFileInfo(f)
    if (info.rows === null) return null
    total += info.rows - (info.deletionVectorRows ?? 0)
  }
  return total
}

function metric(info: CommitInfo | undefined, ...keys: string[]): number | null {
  const metrics = info?.operationMetrics as Record<string, unknown> | undefined
  for (const k of keys) {
    const v = metrics?.[k]
    if (v !== undefined && v !== null && Number.isFinite(Number(v))) return Number(v)
  }
  return null
}

/** The commit's actions, or [] when its JSON was cleaned up after a checkpoint (the snapshot still loads). */
async function commitActions(root: string, version: number): Promise<Action[]> {
  try {
    return await readCommit(new LogStore(root), version)
  } catch (e) {
    if (isDeltaError(e, 'VERSION_NOT_FOUND')) return []
    throw e
  }
}

/**
 * Everything the version browser shows for `version` of `delta` (named `table`). rowsAdded / rowsRemoved come from
 * the commit's operationMetrics (Spark's numOutputRows / numTargetRowsInserted for added, numDeletedRows /
 * numTargetRowsDeleted for removed) and are null when the operation records none (OPTIMIZE, RESTORE).
 * @throws DeltaError VERSION_NOT_FOUND / VERSION_NOT_RECONSTRUCTABLE for a version the log cannot produce.
 */
export async function versionInfo(delta: DeltaTable, table: string, version: number): Promise<VersionInfo> {
  const snapshot = await delta.snapshot({ version })
  const schema = describeColumns(snapshot.schema)
  let changes: VersionInfo['schemaChanges'] = []
  if (version > 0) {
    try {
      changes = schemaChanges(describeColumns((await delta.snapshot({ version: version - 1 })).schema), schema)
    } catch (e) {
      // The previous version may be gone (log cleanup); then there is nothing to compare against.
      if (!isDeltaError(e)) throw e
    }
  }
  const actions = await commitActions(snapshot.tableRoot, version)
  const info = actions.find((a): a is { commitInfo: CommitInfo } => 'commitInfo' in a)?.commitInfo
  return {
    table,
    version,
    timestamp: snapshot.timestamp,
    operation: typeof info?.operation === 'string' ? info.operation : 'UNKNOWN',
    schema,
    schemaChanges: changes,
    partitionColumns: snapshot.partitionColumns,
    numFiles: snapshot.files.length,
    sizeBytes: snapshot.files.reduce((n, f) => n + f.size, 0),
    numRecords: rowsOfFiles(snapshot.files),
    files: snapshot.files.slice(0, MAX_LISTED_FILES).map(dataFileInfo),
    filesTruncated: snapshot.files.length > MAX_LISTED_FILES,
    actions: actions.map((a) => ({ kind: actionKind(a), json: JSON.stringify(a) })),
    rowsAdded: metric(info, 'numOutputRows', 'numTargetRowsInserted', 'numInsertedRows'),
    rowsRemoved: metric(info, 'numDeletedRows', 'numTargetRowsDeleted', 'numRemovedRows')
  }
}
