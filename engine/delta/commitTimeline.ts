// Commit times of every version (in-commit timestamps where enabled, else monotonized file mtimes) and timestamp -> version.
import { statSync } from 'node:fs'
import type { Metadata } from './actions'
import { DeltaError } from './errors'
import { earliestReconstructable, readLogTexts, type LogListing } from './logSegment'
import { commitFileName, type LogStore } from './logStore'
import { parseLogLines } from './parseLogLines'

export interface CommitTime {
  version: number
  /** ms since epoch */
  timestamp: number
}

/** Where in-commit timestamps apply: from `sinceVersion` on when enabled (PROTOCOL.md "In-Commit Timestamps"). */
export interface IctConfig {
  enabled: boolean
  sinceVersion: number
}

/** The in-commit-timestamp settings of a table's metaData. */
export function ictConfigOf(metadata: Metadata): IctConfig {
  const enabled = (metadata.configuration['delta.enableInCommitTimestamps'] ?? '').toLowerCase() === 'true'
  const since = metadata.configuration['delta.inCommitTimestampEnablementVersion']
  return { enabled, sinceVersion: since !== undefined && /^\d+$/.test(since) ? Number(since) : 0 }
}

/**
 * The in-commit timestamp recorded in one commit's commitInfo.
 * @throws DeltaError CORRUPT_LOG naming the commit file when ICT is required there and absent.
 */
export function inCommitTimestampOf(text: string, version: number): number {
  const file = commitFileName(version)
  for (const action of parseLogLines(text, file, false)) {
    if ('commitInfo' in action) {
      const ict = action.commitInfo.inCommitTimestamp
      if (typeof ict === 'number') return ict
      break
    }
  }
  throw new DeltaError('CORRUPT_LOG', `${file} has no commitInfo.inCommitTimestamp although in-commit timestamps are enabled from version ${version} or earlier`, { file, version })
}

/**
 * Commit time of every listed commit, ascending by version. Versions covered by in-commit timestamps use them as
 * recorded; the others use the commit file's mtime, monotonized as Spark does (each at least the previous + 1 ms),
 * because file systems and copies can reorder mtimes.
 * @throws DeltaError CORRUPT_LOG when an ICT commit lacks its timestamp.
 */
export async function buildCommitTimeline(store: LogStore, listing: LogListing, ict: IctConfig): Promise<CommitTime[]> {
  const timeline: CommitTime[] = []
  const ictVersions: number[] = []
  let previous = -Infinity
  for (const version of listing.commitVersions) {
    if (ict.enabled && version >= ict.sinceVersion) {
      ictVersions.push(version)
      continue
    }
    let mtime: number
    try {
      mtime = Math.floor(statSync(store.pathOf(commitFileName(version))).mtimeMs)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw e
    }
    const timestamp = Math.max(mtime, previous + 1)
    previous = timestamp
    timeline.push({ version, timestamp })
  }
  if (ictVersions.length > 0) {
    const texts = await readLogTexts(store, ictVersions.map(commitFileName))
    ictVersions.forEach((version, i) => timeline.push({ version, timestamp: inCommitTimestampOf(texts[i]!, version) }))
  }
  return timeline
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms)
}

/**
 * The greatest reconstructable version whose commit time is <= `timestampMs` (Spark/Kernel semantics).
 * @throws DeltaError TIMESTAMP_OUT_OF_RANGE when the time is before the earliest or after the latest commit, stating
 *   the valid range; VERSION_NOT_RECONSTRUCTABLE when no version can be rebuilt at all.
 */
export function versionAtTimestamp(timeline: CommitTime[], listing: LogListing, timestampMs: number, tableRoot: string): CommitTime {
  const earliest = earliestReconstructable(listing)
  const candidates = earliest === null ? [] : timeline.filter((c) => c.version >= earliest)
  if (candidates.length === 0) {
    throw new DeltaError('VERSION_NOT_RECONSTRUCTABLE', `no version of ${tableRoot} can be reconstructed, so timestamp ${iso(timestampMs)} cannot be resolved`, { tableRoot, timestamp: timestampMs })
  }
  const first = candidates[0]!
  const last = candidates[candidates.length - 1]!
  const range = `valid timestamps are ${iso(first.timestamp)} (version ${first.version}) to ${iso(last.timestamp)} (version ${last.version})`
  if (timestampMs > last.timestamp) {
    throw new DeltaError('TIMESTAMP_OUT_OF_RANGE', `timestamp ${iso(timestampMs)} is after the latest commit of ${tableRoot}; ${range}`, {
      tableRoot, timestamp: timestampMs, earliest: first, latest: last
    })
  }
  let found: CommitTime | null = null
  for (const c of candidates) if (c.timestamp <= timestampMs && (found === null || c.version > found.version)) found = c
  if (found === null) {
    throw new DeltaError('TIMESTAMP_OUT_OF_RANGE', `timestamp ${iso(timestampMs)} is before the earliest available commit of ${tableRoot}; ${range}`, {
      tableRoot, timestamp: timestampMs, earliest: first, latest: last
    })
  }
  return found
}
