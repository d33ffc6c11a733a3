// Writing classic parquet checkpoints (N.checkpoint.parquet, Spark's exact schema) and the _last_checkpoint hint.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import type { Action, RemoveFile } from './actions'
import { loadSnapshot } from './logReplay'
import { versionPrefix, type LogStore } from './logStore'
import { sqlString, type ParquetPort } from './parquetPort'
import type { Snapshot } from './snapshot'

/** `delta.deletedFileRetentionDuration` default: tombstones younger than a week stay in checkpoints. */
export const DEFAULT_TOMBSTONE_RETENTION_MS = 7 * 24 * 3600 * 1000

const STRING_MAP = 'MAP(VARCHAR, VARCHAR)'
const DV_STRUCT = 'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)'

/**
 * The checkpoint's top-level struct columns with Spark's nested field names and types (copied from the
 * checkpointSchema Spark records in _last_checkpoint, plus domainMetadata). Column order matters to nobody but is kept.
 */
export const CHECKPOINT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['txn', 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)'],
  ['add', `STRUCT(path VARCHAR, partitionValues ${STRING_MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, tags ${STRING_MAP}, deletionVector ${DV_STRUCT}, stats VARCHAR)`],
  ['remove', `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${STRING_MAP}, size BIGINT, deletionVector ${DV_STRUCT})`],
  ['metaData', `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${STRING_MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${STRING_MAP}, createdTime BIGINT)`],
  ['protocol', 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])'],
  ['domainMetadata', 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)']
]

const INTERVAL_UNITS_MS: Record<string, number> = {
  week: 7 * 24 * 3600 * 1000, day: 24 * 3600 * 1000, hour: 3600 * 1000, minute: 60 * 1000, second: 1000, millisecond: 1, microsecond: 0.001
}

/**
 * Parses a Spark calendar interval such as `interval 1 week` or `interval 2 days 12 hours` to milliseconds.
 * Returns undefined for text it does not understand (the caller keeps its default).
 */
export function parseIntervalMs(text: string | undefined): number | undefined {
  if (!text) return undefined
  const parts = text.trim().toLowerCase().replace(/^interval\s+/, '').split(/\s+/)
  if (parts.length < 2 || parts.length % 2 !== 0) return undefined
  let total = 0
  for (let i = 0; i < parts.length; i += 2) {
    const n = Number(parts[i])
    const unit = INTERVAL_UNITS_MS[parts[i + 1]!.replace(/s$/, '')]
    if (!Number.isFinite(n) || unit === undefined) return undefined
    total += n * unit
  }
  return total
}

/**
 * The actions a checkpoint of `snapshot` holds, one per row: protocol, metaData, txn, domainMetadata, live adds
 * (dataChange=false, as Spark writes them) and remove tombstones not older than `delta.deletedFileRetentionDuration`
 * (without stats or tags). Never commitInfo or cdc.
 */
export function checkpointActions(snapshot: Snapshot, now: number): Action[] {
  const retention = parseIntervalMs(snapshot.metadata.configuration['delta.deletedFileRetentionDuration']) ?? DEFAULT_TOMBSTONE_RETENTION_MS
  const actions: Action[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metadata }]
  for (const txn of snapshot.txns.values()) actions.push({ txn })
  for (const dm of snapshot.domainMetadata.values()) actions.push({ domainMetadata: dm })
  for (const add of snapshot.files) {
    actions.push({ add: { path: add.path, partitionValues: add.partitionValues, size: add.size, modificationTime: add.modificationTime, dataChange: false, tags: add.tags ?? null, deletionVector: add.deletionVector ?? null, stats: add.stats ?? null } })
  }
  for (const r of snapshot.tombstones) {
    if ((r.deletionTimestamp ?? 0) < now - retention) continue
    const tombstone: RemoveFile = { path: r.path, deletionTimestamp: r.deletionTimestamp ?? null, dataChange: false, extendedFileMetadata: r.extendedFileMetadata ?? null, partitionValues: r.partitionValues ?? null, size: r.size ?? null, deletionVector: r.deletionVector ?? null }
    actions.push({ remove: tombstone })
  }
  return actions
}

export interface CheckpointWritten {
  version: number
  /** Rows (actions) in the checkpoint. */
  size: number
  sizeInBytes: number
  numOfAddFiles: number
  file: string
}

/**
 * Writes `N.checkpoint.parquet` for a snapshot through DuckDB COPY to a temp name in _delta_log, renames it into place,
 * then replaces `_last_checkpoint` with {version, size, sizeInBytes, numOfAddFiles}. The caller must only do this after
 * N.json exists. Temp files are removed on failure.
 * @throws Error from DuckDB or the file system; callers committing data catch it (a checkpoint is an optimisation).
 */
export async function writeCheckpointFromSnapshot(store: LogStore, port: ParquetPort, snapshot: Snapshot, now: number): Promise<CheckpointWritten> {
  const actions = checkpointActions(snapshot, now)
  await fs.mkdir(store.logDir, { recursive: true })
  // Both scratch files live in _delta_log under .tmp- names, which readers ignore: a process killed mid-checkpoint
  // leaves nothing outside the table and nothing a reader could mistake for log content.
  const rowsFile = store.pathOf(`.tmp-${randomUUID()}.checkpoint-rows.json`)
  const tmpParquet = store.pathOf(`.tmp-${randomUUID()}.checkpoint.parquet`)
  const name = `${versionPrefix(snapshot.version)}.checkpoint.parquet`
  try {
    await fs.writeFile(rowsFile, actions.map((a) => JSON.stringify(a)).join('\n') + '\n', 'utf8')
    const columns = CHECKPOINT_COLUMNS.map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(', ')
    const select = `SELECT ${CHECKPOINT_COLUMNS.map(([c]) => `"${c}"`).join(', ')} FROM read_json(${sqlString(rowsFile)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 1073741824)`
    await port.exec(`COPY (${select}) TO ${sqlString(tmpParquet)} (FORMAT parquet, COMPRESSION snappy)`)
    await fs.rename(tmpParquet, store.pathOf(name))
  } finally {
    await fs.rm(tmpParquet, { force: true })
    await fs.rm(rowsFile, { force: true })
  }
  const sizeInBytes = (await fs.stat(store.pathOf(name))).size
  const numOfAddFiles = snapshot.files.length
  // Another process may have checkpointed a newer version meanwhile; the hint should not move backwards.
  if ((await lastCheckpointVersion(store)) <= snapshot.version) {
    await store.writeReplace('_last_checkpoint', JSON.stringify({ version: snapshot.version, size: actions.length, sizeInBytes, numOfAddFiles }))
  }
  return { version: snapshot.version, size: actions.length, sizeInBytes, numOfAddFiles, file: store.pathOf(name) }
}

async function lastCheckpointVersion(store: LogStore): Promise<number> {
  try {
    const version = (JSON.parse(await store.read('_last_checkpoint')) as { version?: unknown }).version
    return typeof version === 'number' ? version : -1
  } catch {
    // Missing or unreadable: any checkpoint is an improvement.
    return -1
  }
}

/**
 * Reconstructs the table at `version` and writes its checkpoint (see writeCheckpointFromSnapshot).
 * @throws DeltaError from log replay, or Error from DuckDB / the file system.
 */
export async function writeCheckpoint(store: LogStore, port: ParquetPort, version: number, options: { now: number }): Promise<CheckpointWritten> {
  const snapshot = await loadSnapshot(store, port, { version })
  return writeCheckpointFromSnapshot(store, port, snapshot, options.now)
}
