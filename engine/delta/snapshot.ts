// A table's reconciled state at one version: the answer every read and every write starts from.
import type { AddFile, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from './actions'
import type { StructType } from './schema'

/** The state of a Delta table at one version (PROTOCOL.md "Action Reconciliation"). */
export interface Snapshot {
  /** Absolute path of the table root. */
  tableRoot: string
  version: number
  /** Commit time of this version in ms: inCommitTimestamp where enabled, else the commit file's mtime. */
  timestamp: number
  protocol: Protocol
  metadata: Metadata
  /** Parsed metadata.schemaString (logical names). */
  schema: StructType
  partitionColumns: string[]
  /** Live data files (adds after reconciliation), in log order. */
  files: AddFile[]
  /** Unexpired remove tombstones. */
  tombstones: RemoveFile[]
  /** Latest txn version per appId. */
  txns: Map<string, Txn>
  domainMetadata: Map<string, DomainMetadata>
}
