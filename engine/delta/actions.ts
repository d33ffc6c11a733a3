// Delta log actions in the protocol's words, and their NDJSON encoding (one action per line).

/** Deletion vector descriptor (PROTOCOL.md "Deletion Vector Descriptor Schema"). */
export interface DeletionVectorDescriptor {
  storageType: 'u' | 'i' | 'p'
  pathOrInlineDv: string
  offset?: number | null
  sizeInBytes: number
  cardinality: number
}

export interface Protocol {
  minReaderVersion: number
  minWriterVersion: number
  readerFeatures?: string[]
  writerFeatures?: string[]
}

export interface Format {
  provider: string
  options: Record<string, string>
}

export interface Metadata {
  id: string
  name?: string | null
  description?: string | null
  format: Format
  /** JSON-encoded Spark StructType (see schema.ts). */
  schemaString: string
  partitionColumns: string[]
  configuration: Record<string, string>
  createdTime?: number | null
}

export interface AddFile {
  /** Relative to the table root (or absolute URI), RFC 2396 URI-encoded. */
  path: string
  /** Partition column -> serialized value; null means SQL NULL. */
  partitionValues: Record<string, string | null>
  size: number
  modificationTime: number
  dataChange: boolean
  /** JSON-encoded statistics: {numRecords, minValues, maxValues, nullCount}. */
  stats?: string | null
  tags?: Record<string, string> | null
  deletionVector?: DeletionVectorDescriptor | null
  baseRowId?: number | null
  defaultRowCommitVersion?: number | null
  clusteringProvider?: string | null
}

export interface RemoveFile {
  path: string
  deletionTimestamp?: number | null
  dataChange: boolean
  extendedFileMetadata?: boolean | null
  partitionValues?: Record<string, string | null> | null
  size?: number | null
  stats?: string | null
  tags?: Record<string, string> | null
  deletionVector?: DeletionVectorDescriptor | null
  baseRowId?: number | null
  defaultRowCommitVersion?: number | null
}

export interface AddCDCFile {
  path: string
  partitionValues: Record<string, string | null>
  size: number
  dataChange: boolean
  tags?: Record<string, string> | null
}

export interface Txn {
  appId: string
  version: number
  lastUpdated?: number | null
}

export interface DomainMetadata {
  domain: string
  configuration: string
  removed: boolean
}

export interface CommitInfo {
  timestamp?: number
  inCommitTimestamp?: number
  operation?: string
  operationParameters?: Record<string, unknown>
  operationMetrics?: Record<string, unknown>
  isBlindAppend?: boolean
  isolationLevel?: string
  engineInfo?: string
  txnId?: string
  readVersion?: number
  [key: string]: unknown
}

export interface CheckpointMetadata {
  version: number
  tags?: Record<string, string> | null
}

export interface Sidecar {
  path: string
  sizeInBytes: number
  modificationTime: number
  tags?: Record<string, string> | null
}

/** One line of a commit file. Unknown action kinds are kept as `unknown` so readers can ignore them. */
export type Action =
  | { protocol: Protocol }
  | { metaData: Metadata }
  | { add: AddFile }
  | { remove: RemoveFile }
  | { cdc: AddCDCFile }
  | { txn: Txn }
  | { domainMetadata: DomainMetadata }
  | { commitInfo: CommitInfo }
  | { checkpointMetadata: CheckpointMetadata }
  | { sidecar: Sidecar }

export type ActionKind = 'protocol' | 'metaData' | 'add' | 'remove' | 'cdc' | 'txn' | 'domainMetadata' | 'commitInfo' | 'checkpointMetadata' | 'sidecar'

const KNOWN_KINDS = new Set<string>(['protocol', 'metaData', 'add', 'remove', 'cdc', 'txn', 'domainMetadata', 'commitInfo', 'checkpointMetadata', 'sidecar'])

/**
 * Parses a commit file (NDJSON). Blank lines are skipped; unknown action kinds are dropped,
 * as the protocol asks readers to ignore them.
 * @throws Error naming the file and line when a line is not valid JSON.
 */
export function parseActions(text: string, fileLabel = 'commit'): Action[] {
  const actions: Action[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (e) {
      throw new Error(`${fileLabel}: line ${i + 1} is not valid JSON (${(e as Error).message})`)
    }
    if (parsed === null || typeof parsed !== 'object') throw new Error(`${fileLabel}: line ${i + 1} is not a JSON object`)
    const kind = Object.keys(parsed as object).find((k) => KNOWN_KINDS.has(k))
    if (kind) actions.push({ [kind]: (parsed as Record<string, unknown>)[kind] } as Action)
  }
  return actions
}

/** Encodes actions as NDJSON, one per line, in the given order (commitInfo should come first). */
export function formatActions(actions: readonly Action[]): string {
  return actions.map((a) => JSON.stringify(a)).join('\n') + '\n'
}

/** The kind of an action ('add', 'remove', ...). */
export function actionKind(action: Action): ActionKind {
  return Object.keys(action)[0] as ActionKind
}
