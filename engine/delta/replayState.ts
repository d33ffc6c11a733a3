// Action reconciliation (PROTOCOL.md "Action Reconciliation"): the running state that commits and checkpoints are folded into.
import type { Action, AddFile, DeletionVectorDescriptor, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from './actions'
import { dvUniqueId } from './deletionVectors'

/** The reconciled table state while replaying; keys are logical file keys (path + DV unique id). */
export interface ReplayState {
  protocol: Protocol | null
  metadata: Metadata | null
  files: Map<string, AddFile>
  tombstones: Map<string, RemoveFile>
  txns: Map<string, Txn>
  domainMetadata: Map<string, DomainMetadata>
}

export function emptyReplayState(): ReplayState {
  return { protocol: null, metadata: null, files: new Map(), tombstones: new Map(), txns: new Map(), domainMetadata: new Map() }
}

/** A copy that can be extended without changing `state` (maps copied; actions shared, they are never mutated). */
export function cloneReplayState(state: ReplayState): ReplayState {
  return {
    protocol: state.protocol,
    metadata: state.metadata,
    files: new Map(state.files),
    tombstones: new Map(state.tombstones),
    txns: new Map(state.txns),
    domainMetadata: new Map(state.domainMetadata)
  }
}

/** The logical identity of a data file: its path plus the deletion vector's unique id ("" without one). */
export function fileKey(path: string, dv: DeletionVectorDescriptor | null | undefined): string {
  return dv ? `${path}\u0000${dvUniqueId(dv)}` : path
}

/**
 * Folds one commit's (or checkpoint's) actions into `state`, oldest commit first: the newest protocol, metaData,
 * txn per appId and domainMetadata per domain win; an add makes its key live, a remove turns it into a tombstone.
 * Removed domains are dropped. commitInfo, cdc and unknown actions do not affect the state.
 */
export function applyActions(state: ReplayState, actions: readonly Action[]): void {
  for (const action of actions) {
    if ('add' in action) {
      const add = action.add
      const key = fileKey(add.path, add.deletionVector)
      state.files.set(key, add)
      state.tombstones.delete(key)
    } else if ('remove' in action) {
      const remove = action.remove
      const key = fileKey(remove.path, remove.deletionVector)
      state.files.delete(key)
      state.tombstones.set(key, remove)
    } else if ('metaData' in action) {
      state.metadata = action.metaData
    } else if ('protocol' in action) {
      state.protocol = action.protocol
    } else if ('txn' in action) {
      state.txns.set(action.txn.appId, action.txn)
    } else if ('domainMetadata' in action) {
      const dm = action.domainMetadata
      if (dm.removed) state.domainMetadata.delete(dm.domain)
      else state.domainMetadata.set(dm.domain, dm)
    }
  }
}
