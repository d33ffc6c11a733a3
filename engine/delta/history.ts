// Table history (DESCRIBE HISTORY): one entry per commit, newest first, from each commit's commitInfo.
import type { CommitInfo } from './actions'
import { commitTimestamps, readCommit } from './logReplay'
import type { LogStore } from './logStore'
import type { ParquetPort } from './parquetPort'

export interface HistoryEntry {
  version: number
  /** Commit time in ms: inCommitTimestamp where enabled, else the (monotonized) commit file time. */
  timestamp: number
  operation: string
  operationParameters: Record<string, unknown>
  operationMetrics: Record<string, unknown>
  engineInfo?: string
  isBlindAppend?: boolean
  readVersion?: number
  isolationLevel?: string
  userMetadata?: string
}

/**
 * The newest `limit` commits (all when absent), newest first. Versions whose JSON was cleaned up after a checkpoint
 * are absent, as in Spark. A commit without commitInfo (other writers may omit it) gets operation 'UNKNOWN'.
 * @throws DeltaError from log listing / reading (TABLE_NOT_FOUND, CORRUPT_LOG).
 */
export async function readHistory(store: LogStore, port: ParquetPort, limit?: number): Promise<HistoryEntry[]> {
  const times = await commitTimestamps(store, port)
  const newestFirst = [...times].sort((a, b) => b.version - a.version)
  const wanted = limit !== undefined && limit >= 0 ? newestFirst.slice(0, limit) : newestFirst
  const entries: HistoryEntry[] = []
  for (const { version, timestamp } of wanted) {
    const actions = await readCommit(store, version)
    const info: CommitInfo = actions.find((a): a is { commitInfo: CommitInfo } => 'commitInfo' in a)?.commitInfo ?? {}
    const entry: HistoryEntry = {
      version,
      timestamp,
      operation: info.operation ?? 'UNKNOWN',
      operationParameters: info.operationParameters ?? {},
      operationMetrics: info.operationMetrics ?? {},
      engineInfo: info.engineInfo,
      isBlindAppend: info.isBlindAppend,
      readVersion: info.readVersion,
      isolationLevel: info.isolationLevel
    }
    if (typeof info.userMetadata === 'string') entry.userMetadata = info.userMetadata
    entries.push(entry)
  }
  return entries
}
