// RESTORE: brings a table back to the files (and metadata) of an earlier version in one atomic commit.
import { rewriteFootprint } from './rewriteFootprint'
import { promises as fs } from 'node:fs'
import type { Action, AddFile } from '../actions'
import { commitTransaction, type CommitOptions, type CommitResult } from '../commit'
import { deletionVectorFile } from '../deletionVectors'
import { DeltaError } from '../errors'
import type { LogStore } from '../logStore'
import type { ParquetPort } from '../parquetPort'
import { resolveTablePath } from '../partitionValues'
import { fileKey } from '../replayState'
import type { Snapshot } from '../snapshot'
import { assertWritable } from '../writeSupport'
import { removeOf } from './matchingFiles'

/** What a restore from `current` to `target` changes, without writing anything. */
export interface RestorePlan {
  /** Live files of the current version that the target version does not have. */
  toRemove: AddFile[]
  /** Files of the target version that are not live now (re-added with dataChange=true). */
  toAdd: AddFile[]
  metrics: {
    tableSizeAfterRestore: number
    numOfFilesAfterRestore: number
    numRemovedFiles: number
    numRestoredFiles: number
    removedFilesSize: number
    restoredFilesSize: number
  }
}

/** Compares two snapshots file by file (path plus deletion vector, as log replay keys them). Pure; reads nothing. */
export function planRestore(current: Snapshot, target: Snapshot): RestorePlan {
  const targetKeys = new Set(target.files.map((f) => fileKey(f.path, f.deletionVector)))
  const currentKeys = new Set(current.files.map((f) => fileKey(f.path, f.deletionVector)))
  const toRemove = current.files.filter((f) => !targetKeys.has(fileKey(f.path, f.deletionVector)))
  const toAdd = target.files.filter((f) => !currentKeys.has(fileKey(f.path, f.deletionVector)))
  const bytes = (files: AddFile[]) => files.reduce((n, f) => n + (f.size ?? 0), 0)
  return {
    toRemove,
    toAdd,
    metrics: {
      tableSizeAfterRestore: bytes(target.files),
      numOfFilesAfterRestore: target.files.length,
      numRemovedFiles: toRemove.length,
      numRestoredFiles: toAdd.length,
      removedFilesSize: bytes(toRemove),
      restoredFilesSize: bytes(toAdd)
    }
  }
}

/** @throws DeltaError DATA_FILE_MISSING naming the first data or deletion-vector file of `files` absent from disk. */
async function assertFilesPresent(tableRoot: string, files: AddFile[], targetVersion: number): Promise<void> {
  for (const f of files) {
    const needed = [resolveTablePath(tableRoot, f.path)]
    if (f.deletionVector && f.deletionVector.storageType !== 'i') needed.push(deletionVectorFile(tableRoot, f.deletionVector))
    for (const file of needed) {
      try {
        await fs.access(file)
      } catch {
        throw new DeltaError('DATA_FILE_MISSING', `cannot restore ${tableRoot} to version ${targetVersion}: its file ${file} no longer exists (removed by VACUUM?)`, {
          tableRoot, version: targetVersion, file
        })
      }
    }
  }
}

function sameMetadata(a: Snapshot, b: Snapshot): boolean {
  return a.metadata.schemaString === b.metadata.schemaString
    && JSON.stringify(a.metadata.partitionColumns) === JSON.stringify(b.metadata.partitionColumns)
    && JSON.stringify(a.metadata.configuration) === JSON.stringify(b.metadata.configuration)
}

/**
 * Restores the table read as `current` to `target` (an older snapshot of the same table) in one commit, as Spark's
 * RESTORE does: removes (dataChange=true) the live files the target lacks, re-adds the target's files that are not
 * live, and writes the target's metaData when schema, partitioning or properties differ. The protocol is never
 * downgraded. commitInfo: operation 'RESTORE', parameters {version, timestamp}, Spark's six restore metrics.
 * @throws DeltaError DATA_FILE_MISSING naming a file the target needs that is gone (vacuumed);
 *   UNSUPPORTED_FEATURE for tables we cannot write; the conflict codes of commitTransaction.
 */
export async function restoreTable(
  store: LogStore, port: ParquetPort, current: Snapshot, target: Snapshot, requested: { version?: number; timestamp?: string }, options: CommitOptions
): Promise<CommitResult> {
  assertWritable(current.protocol, current.metadata, current.schema)
  const plan = planRestore(current, target)
  await assertFilesPresent(current.tableRoot, plan.toAdd, target.version)
  const now = options.clock.now()
  const metadataChanges = !sameMetadata(current, target)
  const actions: Action[] = [
    ...(metadataChanges ? [{ metaData: { ...target.metadata } }] : []),
    ...plan.toRemove.map((f) => ({ remove: removeOf(f, now) })),
    ...plan.toAdd.map((f) => ({ add: { ...f, dataChange: true, modificationTime: f.modificationTime } }))
  ]
  const committed = await commitTransaction(store, port, {
    readSnapshot: current,
    actions,
    operation: 'RESTORE',
    operationParameters: { version: requested.version ?? target.version, timestamp: requested.timestamp ?? null },
    operationMetrics: plan.metrics,
    footprint: rewriteFootprint({
      removes: plan.toRemove, readFiles: current.files, readWholeTable: true, isolationLevel: 'Serializable', changesMetadata: metadataChanges
    })
  }, options)
  return { version: committed.version, metrics: plan.metrics, retries: committed.retries }
}
