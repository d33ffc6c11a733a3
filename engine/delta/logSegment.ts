// Listing _delta_log: commits and checkpoints by version, the checkpoints usable for a version, and gap detection.
import { promises as fs, type Dirent } from 'node:fs'
import { DeltaError } from './errors'
import { readLogFiles } from './logFileReader'
import { commitFileName, type LogStore } from './logStore'

/** One complete checkpoint: a classic file, a full multi-part set, or a v2 (UUID-named) top-level file. */
export interface CheckpointInstance {
  version: number
  kind: 'classic' | 'multipart' | 'v2'
  /** File names inside _delta_log, parts in order. */
  files: string[]
}

/** What a listing of _delta_log says about the table's history. */
export interface LogListing {
  /** Commit versions present, ascending. */
  commitVersions: number[]
  commitSet: Set<number>
  /** Complete checkpoints, newest first (several may share a version). */
  checkpoints: CheckpointInstance[]
  /** Highest version that has a commit or a complete checkpoint; null when there is neither. */
  latest: number | null
}

/** Which files rebuild one version: an optional checkpoint plus the commits after it, ascending. */
export interface LogSegment {
  version: number
  checkpoint: CheckpointInstance | null
  commits: number[]
}

const COMMIT = /^(\d{20})\.json$/
const CLASSIC = /^(\d{20})\.checkpoint\.parquet$/
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/
const V2 = /^(\d{20})\.checkpoint\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.(json|parquet)$/

/**
 * Names of the files directly in _delta_log ([] when it does not exist), from one readdir with file types: no
 * per-file stat. Directories, pipes, sockets and devices are left out, so that a folder (or a FIFO, which would block
 * a reader) that happens to carry a checkpoint's or commit's name is never mistaken for one; a damaged checkpoint
 * is then simply absent and replay falls back as it does for a 0-byte one. Symbolic links and entries of unknown type
 * are kept (reading them decides).
 */
export async function listLogNames(store: LogStore): Promise<string[]> {
  let entries: Dirent[]
  try {
    entries = await fs.readdir(store.logDir, { withFileTypes: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw e
  }
  const names: string[] = []
  for (const entry of entries) {
    if (entry.isFile() || entry.isSymbolicLink() || !isSpecial(entry)) names.push(entry.name)
  }
  return names
}

function isSpecial(entry: Dirent): boolean {
  return entry.isDirectory() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()
}

/**
 * Classifies a listing. `_last_checkpoint` is not consulted: the listing is authoritative, so a stale, missing or
 * corrupt hint can never hide a newer checkpoint or point at a missing one. Incomplete multi-part sets are ignored.
 */
export function classifyLog(names: readonly string[]): LogListing {
  const commitVersions: number[] = []
  const checkpoints: CheckpointInstance[] = []
  const parts = new Map<string, { version: number; total: number; files: Map<number, string> }>()
  for (const name of names) {
    let m = COMMIT.exec(name)
    if (m) {
      commitVersions.push(Number(m[1]))
      continue
    }
    if ((m = CLASSIC.exec(name))) {
      checkpoints.push({ version: Number(m[1]), kind: 'classic', files: [name] })
    } else if ((m = MULTIPART.exec(name))) {
      const version = Number(m[1])
      const part = Number(m[2])
      const total = Number(m[3])
      const key = `${version}/${total}`
      let set = parts.get(key)
      if (!set) parts.set(key, (set = { version, total, files: new Map() }))
      set.files.set(part, name)
    } else if ((m = V2.exec(name))) {
      checkpoints.push({ version: Number(m[1]), kind: 'v2', files: [name] })
    }
  }
  for (const set of parts.values()) {
    if (set.total < 1 || set.files.size !== set.total) continue
    const files: string[] = []
    for (let p = 1; p <= set.total; p++) {
      const f = set.files.get(p)
      if (!f) break
      files.push(f)
    }
    if (files.length === set.total) checkpoints.push({ version: set.version, kind: 'multipart', files })
  }
  commitVersions.sort((a, b) => a - b)
  // Newest first; at one version prefer v2, then classic, then multi-part (any of them is a full state).
  const rank = { v2: 0, classic: 1, multipart: 2 }
  checkpoints.sort((a, b) => b.version - a.version || rank[a.kind] - rank[b.kind])
  const lastCommit = commitVersions.length > 0 ? commitVersions[commitVersions.length - 1]! : null
  const lastCheckpoint = checkpoints.length > 0 ? checkpoints[0]!.version : null
  const latest = lastCommit === null ? lastCheckpoint : lastCheckpoint === null ? lastCommit : Math.max(lastCommit, lastCheckpoint)
  return { commitVersions, commitSet: new Set(commitVersions), checkpoints, latest }
}

/** The lowest version that can be rebuilt: version 0 when its commit exists, else the oldest checkpoint. */
export function earliestReconstructable(listing: LogListing): number | null {
  if (listing.commitSet.has(0)) return 0
  if (listing.checkpoints.length === 0) return null
  return listing.checkpoints[listing.checkpoints.length - 1]!.version
}

/**
 * The segments that can rebuild `version`, best first: each complete checkpoint <= version (newest first) with the
 * commits after it, then a full JSON replay from version 0 when that history exists. Callers try them in order, so a
 * damaged checkpoint falls back to an older one.
 * @throws DeltaError VERSION_NOT_FOUND beyond the latest version, VERSION_NOT_RECONSTRUCTABLE when older history
 *   was cleaned up, LOG_GAP naming the first missing commit when commits are not contiguous.
 */
export function segmentsFor(listing: LogListing, version: number, tableRoot: string): LogSegment[] {
  if (listing.latest === null) throw new DeltaError('TABLE_NOT_FOUND', `no Delta table at ${tableRoot} (no commits in _delta_log)`, { tableRoot })
  const earliest = earliestReconstructable(listing)
  if (version > listing.latest) {
    throw new DeltaError('VERSION_NOT_FOUND', `version ${version} of ${tableRoot} does not exist; the latest version is ${listing.latest}`, { tableRoot, version, latest: listing.latest, earliest })
  }
  const segments: LogSegment[] = []
  let firstGap: number | null = null
  const tryFrom = (start: number, checkpoint: CheckpointInstance | null): void => {
    const commits: number[] = []
    for (let v = start; v <= version; v++) {
      if (!listing.commitSet.has(v)) {
        if (firstGap === null || v < firstGap) firstGap = v
        return
      }
      commits.push(v)
    }
    segments.push({ version, checkpoint, commits })
  }
  for (const cp of listing.checkpoints) if (cp.version <= version) tryFrom(cp.version + 1, cp)
  if (listing.commitSet.has(0)) tryFrom(0, null)
  if (segments.length > 0) return segments
  if (earliest === null || version < earliest || (!listing.commitSet.has(0) && !listing.checkpoints.some((c) => c.version <= version))) {
    throw new DeltaError(
      'VERSION_NOT_RECONSTRUCTABLE',
      `version ${version} of ${tableRoot} cannot be reconstructed: its history was cleaned up and no checkpoint at or before it remains` +
        (earliest === null ? '' : `; versions ${earliest} to ${listing.latest} are available`),
      { tableRoot, version, earliest, latest: listing.latest }
    )
  }
  const missing = firstGap ?? version
  throw new DeltaError('LOG_GAP', `the log of ${tableRoot} has a gap: commit ${commitFileName(missing)} is missing, so version ${version} cannot be reconstructed`, {
    tableRoot,
    version,
    missingVersion: missing
  })
}

/**
 * The texts of many log files, in order (see readLogFiles: synchronous reads helped by one background thread).
 * @throws DeltaError LOG_GAP when a file disappears while being read.
 */
export async function readLogTexts(store: LogStore, names: readonly string[]): Promise<string[]> {
  return readLogFiles(store.logDir, names)
}
