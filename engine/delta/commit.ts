// The optimistic transaction: put-if-absent commit of version N+1, conflict check and retry, then the checkpoint.
//
//   prepare (operation)          commitTransaction
//   ───────────────────          ─────────────────────────────────────────────────────────────────────────────
//   read snapshot @ R   ──►  v = R+1 ──► commitInfo first (ICT = max(now, prevICT+1)) + actions ──► writeCommitIfAbsent(v)
//   write data files               ▲                                                                   │
//   build actions +                │ v = latest+1, retries++ (≤ 15)                         EEXIST ◄───┤ ok
//   footprint                      └── read winners v..latest, checkConflicts (throws) ◄──────────┘    ▼
//                                                                                      v % checkpointInterval == 0 ?
//                                                                                      writeCheckpoint (never fails the commit)
//
// Data files are written once, before the first attempt; a retry rewrites only the JSON commit.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import type { Action, CommitInfo, Metadata } from './actions'
import { formatActions } from './actions'
import { writeCheckpoint } from './checkpoint'
import { checkConflicts, type TransactionFootprint } from './conflictChecker'
import { DeltaError } from './errors'
import { CommitAlreadyExistsError, type LogStore } from './logStore'
import { latestVersion, readCommit } from './logReplay'
import type { ParquetPort } from './parquetPort'
import type { Snapshot } from './snapshot'

/** delta-rs DEFAULT_RETRIES. */
export const DEFAULT_MAX_RETRIES = 15
export const DEFAULT_CHECKPOINT_INTERVAL = 10

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export interface CommitOptions {
  clock: Clock
  /** commitInfo.engineInfo, e.g. `Lakebench/0.1.0`. */
  engineInfo: string
  maxRetries?: number
  /** Reports a checkpoint that could not be written; the commit itself has succeeded. Default: console.warn. */
  onCheckpointError?: (error: unknown, version: number) => void
}

/** Everything an operation decided before committing. */
export interface PreparedTransaction {
  /** The snapshot the operation read; null only when creating the table (version 0). */
  readSnapshot: Snapshot | null
  /** protocol / metaData / txn / add / remove actions; commitInfo is added here, first. */
  actions: Action[]
  operation: string
  operationParameters: Record<string, unknown>
  /** Spark writes metric values as strings; they are converted when the commitInfo is built. */
  operationMetrics: Record<string, number>
  footprint: Omit<TransactionFootprint, 'readVersion' | 'readProtocol'>
  userMetadata?: string
  /** Version 0 only: the commit timestamp chosen at prepare time, because metaData already names it (ICT enablement). */
  createTimestamp?: number
  /** Absolute paths of data files this transaction wrote; deleted when the commit fails for good (they were never referenced). */
  writtenFiles?: string[]
}

/** What every table operation returns. `skipped` means no commit was written (idempotent txn seen, or nothing to do). */
export interface CommitResult {
  version: number
  skipped?: boolean
  metrics: Record<string, number>
  retries: number
}

export interface CommittedVersion {
  version: number
  retries: number
  commitInfo: CommitInfo
}

function metadataInEffect(tx: PreparedTransaction): Metadata {
  for (const a of tx.actions) if ('metaData' in a) return a.metaData
  if (!tx.readSnapshot) throw new DeltaError('INVALID_ARGUMENT', 'a commit that creates a table must carry a metaData action')
  return tx.readSnapshot.metadata
}

function ictEnabled(metadata: Metadata): boolean {
  return metadata.configuration['delta.enableInCommitTimestamps'] === 'true'
}

/** Checkpoint interval from `delta.checkpointInterval` (default 10); invalid values fall back to the default. */
export function checkpointIntervalOf(metadata: Metadata): number {
  const n = Number.parseInt(metadata.configuration['delta.checkpointInterval'] ?? '', 10)
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_CHECKPOINT_INTERVAL
}

function buildCommitInfo(tx: PreparedTransaction, options: CommitOptions, txnId: string, timestamp: number, withIct: boolean): CommitInfo {
  const info: CommitInfo = {}
  if (withIct) info.inCommitTimestamp = timestamp
  info.timestamp = timestamp
  info.operation = tx.operation
  info.operationParameters = tx.operationParameters
  if (tx.readSnapshot) info.readVersion = tx.readSnapshot.version
  info.isolationLevel = tx.footprint.isolationLevel
  info.isBlindAppend = tx.footprint.isBlindAppend
  info.operationMetrics = Object.fromEntries(Object.entries(tx.operationMetrics).map(([k, v]) => [k, String(v)]))
  info.engineInfo = options.engineInfo
  info.txnId = txnId
  if (tx.userMetadata !== undefined) info.userMetadata = tx.userMetadata
  return info
}

/**
 * Commits a prepared transaction at readVersion+1 with put-if-absent. When another writer already took that version,
 * reads every winning commit, runs the conflict checks against each, and retries at latest+1 (at most `maxRetries`
 * times). commitInfo is the first line; with in-commit timestamps enabled, inCommitTimestamp = max(now, previous + 1).
 * After commit N, writes a checkpoint when N is a multiple of `delta.checkpointInterval`; a checkpoint failure is
 * reported through onCheckpointError and never fails the commit.
 * @throws DeltaError TABLE_ALREADY_EXISTS when creating a table whose version 0 already exists.
 * @throws DeltaError with a conflict code (see checkConflicts) when a winning commit conflicts.
 * @throws DeltaError CONCURRENT_MODIFICATION when retries are exhausted.
 * @throws UnsafeStorageError when the file system cannot do put-if-absent.
 */
export async function commitTransaction(store: LogStore, port: ParquetPort, tx: PreparedTransaction, options: CommitOptions): Promise<CommittedVersion> {
  try {
    return await commitWithRetries(store, port, tx, options)
  } catch (e) {
    // Files no commit references are invisible to readers; removing them now saves a VACUUM later.
    await Promise.all((tx.writtenFiles ?? []).map((f) => fs.rm(f, { force: true }).catch(() => undefined)))
    throw e
  }
}

async function commitWithRetries(store: LogStore, port: ParquetPort, tx: PreparedTransaction, options: CommitOptions): Promise<CommittedVersion> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES
  const metadata = metadataInEffect(tx)
  const withIct = ictEnabled(metadata)
  const txnId = randomUUID()
  const readSnapshot = tx.readSnapshot
  const footprint: TransactionFootprint | null = readSnapshot
    ? { ...tx.footprint, readVersion: readSnapshot.version, readProtocol: readSnapshot.protocol }
    : null
  // Version 0's predecessor has no commit time; afterwards the snapshot's timestamp is the ICT of the read version.
  let previousTimestamp = readSnapshot && ictEnabled(readSnapshot.metadata) ? readSnapshot.timestamp : Number.NEGATIVE_INFINITY
  let version = readSnapshot ? readSnapshot.version + 1 : 0
  let retries = 0

  for (;;) {
    const now = version === 0 && tx.createTimestamp !== undefined ? tx.createTimestamp : options.clock.now()
    const timestamp = withIct ? Math.max(now, previousTimestamp + 1) : now
    const commitInfo = buildCommitInfo(tx, options, txnId, timestamp, withIct)
    try {
      await store.writeCommitIfAbsent(version, formatActions([{ commitInfo }, ...tx.actions]))
      await maybeCheckpoint(store, port, version, metadata, options)
      return { version, retries, commitInfo }
    } catch (e) {
      if (!(e instanceof CommitAlreadyExistsError)) {
        // The failure may have come after the commit file was linked (temp-file cleanup, directory sync, the
        // checkpoint's own bookkeeping): then the commit is durable and must be reported as done, or the caller would
        // delete data files a committed version references.
        if (await isOwnCommit(store, version, txnId)) return { version, retries, commitInfo }
        throw e
      }
      if (!footprint) {
        throw new DeltaError('TABLE_ALREADY_EXISTS', `cannot create the table at ${store.tableRoot}: it already exists (another writer created version 0)`, { tableRoot: store.tableRoot, version: 0 })
      }
      if (retries >= maxRetries) {
        throw new DeltaError('CONCURRENT_MODIFICATION', `gave up committing to ${store.tableRoot} after ${retries} retries: version ${version} was taken by another writer each time`, { tableRoot: store.tableRoot, version, retries })
      }
      const latest = await latestVersion(store)
      if (latest === null || latest < version) throw e
      for (let v = version; v <= latest; v++) {
        const actions = await readCommit(store, v)
        await checkConflicts(footprint, { version: v, actions })
        for (const a of actions) {
          const ict = 'commitInfo' in a ? a.commitInfo.inCommitTimestamp : undefined
          if (typeof ict === 'number') previousTimestamp = Math.max(previousTimestamp, ict)
        }
      }
      version = latest + 1
      retries++
    }
  }
}

/** True when commit `version` exists and is the one carrying `txnId` (so it was this transaction that landed). */
async function isOwnCommit(store: LogStore, version: number, txnId: string): Promise<boolean> {
  try {
    return (await readCommit(store, version)).some((a) => 'commitInfo' in a && a.commitInfo.txnId === txnId)
  } catch {
    return false
  }
}

async function maybeCheckpoint(store: LogStore, port: ParquetPort, version: number, metadata: Metadata, options: CommitOptions): Promise<void> {
  if (version === 0 || version % checkpointIntervalOf(metadata) !== 0) return
  try {
    await writeCheckpoint(store, port, version, { now: options.clock.now() })
  } catch (error) {
    // The commit is durable already; a missing checkpoint only makes later reads replay more JSON.
    const report = options.onCheckpointError ?? ((err: unknown, v: number) => console.warn(`checkpoint ${v} of ${store.tableRoot} was not written: ${(err as Error).message}`))
    report(error, version)
  }
}
