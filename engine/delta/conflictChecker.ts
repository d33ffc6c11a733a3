// Decides whether a transaction may still commit after other writers won the versions it was aiming for (Spark's ConflictChecker).
import type { Action, AddFile, CommitInfo, Protocol, RemoveFile } from './actions'
import { DeltaError } from './errors'

export type IsolationLevel = 'Serializable' | 'WriteSerializable'

/** A predicate over added files: would this transaction have read the file had it existed at read time? */
export interface ReadPredicate {
  /** Shown in conflict messages, e.g. the SQL text. */
  description: string
  /** Answers for a batch of files; true means "would have been read". */
  matches(files: readonly AddFile[]): Promise<boolean[]> | boolean[]
}

/** What the committing transaction read and changed: everything conflict detection needs. */
export interface TransactionFootprint {
  readVersion: number
  /** Protocol the transaction read; a winner that changes it fails us. */
  readProtocol: Protocol
  isolationLevel: IsolationLevel
  /** The transaction only adds files and read nothing (never conflicts with other appends). */
  isBlindAppend: boolean
  /** The transaction depends on every file of the table (overwrite, unpredicated delete). */
  readWholeTable: boolean
  /** Predicates the transaction read the table through; added files matching them conflict. */
  readPredicates: readonly ReadPredicate[]
  /** add.path of every file the transaction read. */
  readFiles: ReadonlySet<string>
  /** appIds whose txn version the transaction read (idempotent writes). */
  readAppIds: ReadonlySet<string>
  /** remove.path of every file the transaction removes. */
  removedFiles: ReadonlySet<string>
  changesMetadata: boolean
  changesProtocol: boolean
}

/** One commit that landed after our read version. */
export interface WinningCommit {
  version: number
  actions: readonly Action[]
}

interface WinnerSummary {
  commitInfo?: CommitInfo
  protocol?: Protocol
  metadataChanged: boolean
  isBlindAppend: boolean
  adds: AddFile[]
  removes: RemoveFile[]
  appIds: string[]
}

function summarize(actions: readonly Action[]): WinnerSummary {
  const s: WinnerSummary = { metadataChanged: false, isBlindAppend: false, adds: [], removes: [], appIds: [] }
  for (const a of actions) {
    if ('commitInfo' in a) s.commitInfo = a.commitInfo
    else if ('protocol' in a) s.protocol = a.protocol
    else if ('metaData' in a) s.metadataChanged = true
    else if ('add' in a) s.adds.push(a.add)
    else if ('remove' in a) s.removes.push(a.remove)
    else if ('txn' in a) s.appIds.push(a.txn.appId)
  }
  // Spark trusts commitInfo.isBlindAppend; without it, a commit with only adds and no metadata is not assumed blind.
  s.isBlindAppend = s.commitInfo?.isBlindAppend === true
  return s
}

/** Compares paths as decoded strings, since writers may differ in how much they percent-encode. */
export function normalizePath(p: string): string {
  try {
    return decodeURIComponent(p)
  } catch {
    return p
  }
}

function sameProtocol(a: Protocol, b: Protocol): boolean {
  const list = (x?: string[]) => [...(x ?? [])].sort().join(',')
  return a.minReaderVersion === b.minReaderVersion && a.minWriterVersion === b.minWriterVersion
    && list(a.readerFeatures) === list(b.readerFeatures) && list(a.writerFeatures) === list(b.writerFeatures)
}

function describeWinner(w: WinningCommit, s: WinnerSummary): string {
  return `a concurrent ${s.commitInfo?.operation ?? 'commit'} at version ${w.version}`
}

function partitionText(add: AddFile): string {
  const entries = Object.entries(add.partitionValues ?? {})
  return entries.length === 0 ? 'the root of the table' : `partition [${entries.map(([k, v]) => `${k}=${v ?? 'null'}`).join(', ')}]`
}

/**
 * Checks our transaction against one winning commit, in Spark's order: protocol, metadata, added files that our
 * predicates would have read, removed files that we read, files both removed, same txn appId.
 * Blind appends by the winner are ignored under WriteSerializable unless we change metadata, so blind appends never
 * conflict with each other.
 * @throws DeltaError PROTOCOL_CHANGED | METADATA_CHANGED | CONCURRENT_APPEND | CONCURRENT_DELETE_READ |
 *   CONCURRENT_DELETE_DELETE | CONCURRENT_TRANSACTION with a Spark-style message naming the version and file.
 */
export async function checkConflicts(tx: TransactionFootprint, winner: WinningCommit): Promise<void> {
  const s = summarize(winner.actions)
  const who = describeWinner(winner, s)
  const detail = { winningVersion: winner.version, readVersion: tx.readVersion, winningOperation: s.commitInfo?.operation }

  if (s.protocol && (tx.changesProtocol || !sameProtocol(s.protocol, tx.readProtocol))) {
    throw new DeltaError('PROTOCOL_CHANGED', `ProtocolChangedException: the protocol version of the Delta table has been changed by ${who}; please try the operation again`, detail)
  }
  if (s.metadataChanged) {
    throw new DeltaError('METADATA_CHANGED', `MetadataChangedException: the metadata of the Delta table has been changed by ${who}; please try the operation again`, detail)
  }

  const dataAdds = s.adds.filter((a) => a.dataChange)
  const checkBlindAppends = tx.isolationLevel === 'Serializable' || tx.changesMetadata
  const addsToCheck = s.isBlindAppend && !checkBlindAppends ? [] : dataAdds
  if (addsToCheck.length > 0) {
    let conflicting: AddFile | undefined
    if (tx.readWholeTable) conflicting = addsToCheck[0]
    for (const predicate of tx.readPredicates) {
      if (conflicting) break
      const hits = await predicate.matches(addsToCheck)
      conflicting = addsToCheck.find((_, i) => hits[i])
    }
    if (conflicting) {
      throw new DeltaError('CONCURRENT_APPEND', `ConcurrentAppendException: files were added to ${partitionText(conflicting)} by ${who} (file ${conflicting.path}) that this operation would have read; please try the operation again`, { ...detail, file: conflicting.path })
    }
  }

  const readFiles = new Set([...tx.readFiles].map(normalizePath))
  const deletedRead = s.removes.find((r) => readFiles.has(normalizePath(r.path)))
    ?? (tx.readWholeTable ? s.removes[0] : undefined)
  if (deletedRead) {
    throw new DeltaError('CONCURRENT_DELETE_READ', `ConcurrentDeleteReadException: ${who} removed file ${deletedRead.path} that this operation read; please try the operation again`, { ...detail, file: deletedRead.path })
  }

  const removed = new Set([...tx.removedFiles].map(normalizePath))
  const deletedTwice = s.removes.find((r) => removed.has(normalizePath(r.path)))
  if (deletedTwice) {
    throw new DeltaError('CONCURRENT_DELETE_DELETE', `ConcurrentDeleteDeleteException: ${who} also removed file ${deletedTwice.path} that this operation removes; please try the operation again`, { ...detail, file: deletedTwice.path })
  }

  const sameApp = s.appIds.find((id) => tx.readAppIds.has(id))
  if (sameApp !== undefined) {
    throw new DeltaError('CONCURRENT_TRANSACTION', `ConcurrentTransactionException: ${who} committed a transaction for appId '${sameApp}' that this operation also updates; this happens when two streams share one checkpoint`, { ...detail, appId: sameApp })
  }
}
