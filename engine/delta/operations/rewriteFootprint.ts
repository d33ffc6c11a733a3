// rewriteFootprint: what a commit that removes files it read (DELETE, OPTIMIZE, RESTORE) tells the conflict checker.
import type { AddFile } from '../actions'
import type { IsolationLevel, ReadPredicate, TransactionFootprint } from '../conflictChecker'

export interface RewriteRead {
  /** Files the commit removes (they were read, so a concurrent removal of any of them conflicts). */
  removes: readonly AddFile[]
  /** Files read to decide what to rewrite; default `removes`. */
  readFiles?: readonly AddFile[]
  /** The commit depends on every file of the table (an unpredicated delete, a restore). */
  readWholeTable?: boolean
  /** Predicates the table was read through; concurrently added files matching them conflict. */
  readPredicates?: readonly ReadPredicate[]
  /** Default WriteSerializable, Delta's default for data-changing commits. */
  isolationLevel?: IsolationLevel
  changesMetadata?: boolean
}

/** The footprint of a non-blind commit that rewrites files: no txn app ids read, no protocol change. */
export function rewriteFootprint(read: RewriteRead): Omit<TransactionFootprint, 'readVersion' | 'readProtocol'> {
  return {
    isolationLevel: read.isolationLevel ?? 'WriteSerializable',
    isBlindAppend: false,
    readWholeTable: read.readWholeTable ?? false,
    readPredicates: read.readPredicates ?? [],
    readFiles: new Set((read.readFiles ?? read.removes).map((f) => f.path)),
    readAppIds: new Set(),
    removedFiles: new Set(read.removes.map((f) => f.path)),
    changesMetadata: read.changesMetadata ?? false,
    changesProtocol: false
  }
}
