// Snapshot reconstruction: newest usable checkpoint + later commits -> Snapshot, at the latest version, a version or a timestamp.
import { existsSync, statSync } from 'node:fs'
import type { Action, CommitInfo } from './actions'
import { readCheckpoint, CheckpointUnreadableError } from './checkpointRead'
import { buildCommitTimeline, ictConfigOf, inCommitTimestampOf, versionAtTimestamp, type CommitTime } from './commitTimeline'
import { DeltaError } from './errors'
import { classifyLog, listLogNames, readLogTexts, segmentsFor, type LogListing, type LogSegment } from './logSegment'
import { commitFileName, type LogStore } from './logStore'
import type { ParquetPort } from './parquetPort'
import { parseLogLines } from './parseLogLines'
import { applyActions, cloneReplayState, emptyReplayState, fileKey, type ReplayState } from './replayState'
import { parseSchemaString } from './schema'
import type { Snapshot } from './snapshot'
import { assertReadable } from './tableFeatures'

export type SnapshotAt = { version?: number; timestamp?: number /* ms since epoch */ }

/** The replay state behind each snapshot we built, so a later load can extend it with only the newer commits. */
const statesBySnapshot = new WeakMap<Snapshot, ReplayState>()

function checkVersionArgument(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) throw new DeltaError('INVALID_ARGUMENT', `version must be a non-negative integer, got ${version}`, { version })
}

/** Replays the commits `versions` (ascending) into `state`; the last one's commitInfo is returned for ICT. */
async function replayCommits(store: LogStore, state: ReplayState, versions: number[]): Promise<CommitInfo | null> {
  if (versions.length === 0) return null
  const names = versions.map(commitFileName)
  const texts = await readLogTexts(store, names)
  let lastCommitInfo: CommitInfo | null = null
  for (let i = 0; i < texts.length; i++) {
    const isLast = i === texts.length - 1
    const actions = parseLogLines(texts[i]!, names[i]!, !isLast)
    if (isLast) {
      const info = actions.find((a): a is Extract<Action, { commitInfo: unknown }> => 'commitInfo' in a)
      lastCommitInfo = info ? info.commitInfo : null
    }
    applyActions(state, actions)
  }
  return lastCommitInfo
}

/** Builds the state of `segment`'s version; a damaged checkpoint surfaces as CheckpointUnreadableError. */
async function replaySegment(store: LogStore, port: ParquetPort, segment: LogSegment): Promise<{ state: ReplayState; lastCommitInfo: CommitInfo | null }> {
  const state = emptyReplayState()
  if (segment.checkpoint) applyActions(state, await readCheckpoint(store, port, segment.checkpoint))
  const lastCommitInfo = await replayCommits(store, state, segment.commits)
  return { state, lastCommitInfo }
}

/** Tries each segment in order (newest checkpoint first, full replay last). */
async function replayVersion(store: LogStore, port: ParquetPort, listing: LogListing, version: number): Promise<{ state: ReplayState; lastCommitInfo: CommitInfo | null }> {
  const segments = segmentsFor(listing, version, store.tableRoot)
  const unreadable: string[] = []
  for (const segment of segments) {
    try {
      return await replaySegment(store, port, segment)
    } catch (e) {
      if (!(e instanceof CheckpointUnreadableError)) throw e
      unreadable.push(e.message)
    }
  }
  throw new DeltaError('CORRUPT_LOG', `version ${version} of ${store.tableRoot} cannot be reconstructed: ${unreadable.join('; ')}, and no older checkpoint or complete commit history remains`, {
    tableRoot: store.tableRoot,
    version,
    checkpoints: unreadable
  })
}

/** The state a previous snapshot was built from (or an equivalent rebuilt from its fields). */
function stateOf(snapshot: Snapshot): ReplayState {
  const known = statesBySnapshot.get(snapshot)
  if (known) return known
  const state = emptyReplayState()
  state.protocol = snapshot.protocol
  state.metadata = snapshot.metadata
  for (const f of snapshot.files) state.files.set(fileKey(f.path, f.deletionVector), f)
  for (const r of snapshot.tombstones) state.tombstones.set(fileKey(r.path, r.deletionVector), r)
  for (const [k, v] of snapshot.txns) state.txns.set(k, v)
  for (const [k, v] of snapshot.domainMetadata) state.domainMetadata.set(k, v)
  return state
}

/** Commit time of `version`: its in-commit timestamp where enabled, else its commit file's (or checkpoint's) mtime. */
async function commitTimeOf(store: LogStore, listing: LogListing, state: ReplayState, version: number, commitInfo: CommitInfo | null): Promise<number> {
  const ict = ictConfigOf(state.metadata!)
  if (ict.enabled && version >= ict.sinceVersion) {
    if (commitInfo && typeof commitInfo.inCommitTimestamp === 'number') return commitInfo.inCommitTimestamp
    if (listing.commitSet.has(version)) return inCommitTimestampOf((await readLogTexts(store, [commitFileName(version)]))[0]!, version)
  }
  const name = listing.commitSet.has(version) ? commitFileName(version) : listing.checkpoints.find((c) => c.version === version)?.files[0]
  return name ? Math.floor(statSync(store.pathOf(name)).mtimeMs) : 0
}

function toSnapshot(store: LogStore, state: ReplayState, version: number, timestamp: number): Snapshot {
  if (!state.protocol || !state.metadata) {
    throw new DeltaError('CORRUPT_LOG', `version ${version} of ${store.tableRoot} has no ${state.protocol ? 'metaData' : 'protocol'} action`, { tableRoot: store.tableRoot, version })
  }
  assertReadable(state.protocol, `${store.tableRoot} at version ${version}`)
  let schema
  try {
    schema = parseSchemaString(state.metadata.schemaString)
  } catch (e) {
    throw new DeltaError('CORRUPT_LOG', `version ${version} of ${store.tableRoot}: ${(e as Error).message}`, { tableRoot: store.tableRoot, version })
  }
  const snapshot: Snapshot = {
    tableRoot: store.tableRoot,
    version,
    timestamp,
    protocol: state.protocol,
    metadata: state.metadata,
    schema,
    partitionColumns: state.metadata.partitionColumns ?? [],
    files: [...state.files.values()],
    tombstones: [...state.tombstones.values()],
    txns: state.txns,
    domainMetadata: state.domainMetadata
  }
  statesBySnapshot.set(snapshot, state)
  return snapshot
}

/**
 * Reconstructs the table at the latest version, at `at.version`, or at `at.timestamp` (the greatest version whose
 * commit time is <= it). Uses the newest complete checkpoint at or before the version, falling back to older ones
 * or full JSON replay when a checkpoint is damaged. With `from` (an earlier snapshot of the same table) only the
 * commits after it are replayed. Tombstones are every remove not superseded by a later add; expiry is the checkpoint
 * writer's business. The snapshot's timestamp is the version's commit time (ICT or mtime; monotonized when resolved
 * from a timestamp).
 * @throws DeltaError TABLE_NOT_FOUND, VERSION_NOT_FOUND, VERSION_NOT_RECONSTRUCTABLE, TIMESTAMP_OUT_OF_RANGE, LOG_GAP,
 *   CORRUPT_LOG (naming the file and line), UNSUPPORTED_FEATURE (naming the reader feature), INVALID_ARGUMENT.
 */
export async function loadSnapshot(store: LogStore, port: ParquetPort, at: SnapshotAt = {}, from?: Snapshot): Promise<Snapshot> {
  if (at.version !== undefined && at.timestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'give a version or a timestamp for time travel, not both', { ...at })
  }
  if (at.version === undefined && at.timestamp === undefined && from !== undefined && from.tableRoot === store.tableRoot && isStillLatest(store, from.version)) return from
  const listing = classifyLog(await listLogNames(store))
  if (listing.latest === null) throw new DeltaError('TABLE_NOT_FOUND', `no Delta table at ${store.tableRoot} (no commits in _delta_log)`, { tableRoot: store.tableRoot })
  let version = listing.latest
  let resolved: CommitTime | null = null
  if (at.version !== undefined) {
    checkVersionArgument(at.version)
    version = at.version
  } else if (at.timestamp !== undefined) {
    if (!Number.isFinite(at.timestamp)) throw new DeltaError('INVALID_ARGUMENT', `timestamp must be ms since epoch, got ${at.timestamp}`, { timestamp: at.timestamp })
    const latest = await loadSnapshot(store, port, {}, from)
    const timeline = await buildCommitTimeline(store, listing, ictConfigOf(latest.metadata))
    resolved = versionAtTimestamp(timeline, listing, at.timestamp, store.tableRoot)
    version = resolved.version
    if (version === latest.version) return { ...latest, timestamp: resolved.timestamp }
  }
  let state: ReplayState
  let lastCommitInfo: CommitInfo | null
  const extendable = from !== undefined && from.tableRoot === store.tableRoot && from.version <= version && version <= listing.latest
  const newer = extendable ? range(from.version + 1, version) : []
  if (extendable && newer.every((v) => listing.commitSet.has(v))) {
    if (newer.length === 0 && !resolved) return from
    state = cloneReplayState(stateOf(from))
    lastCommitInfo = await replayCommits(store, state, newer)
  } else {
    ;({ state, lastCommitInfo } = await replayVersion(store, port, listing, version))
  }
  if (!state.metadata) throw new DeltaError('CORRUPT_LOG', `version ${version} of ${store.tableRoot} has no metaData action`, { tableRoot: store.tableRoot, version })
  const timestamp = resolved ? resolved.timestamp : await commitTimeOf(store, listing, state, version, lastCommitInfo)
  return toSnapshot(store, state, version, timestamp)
}

/**
 * The cheap "nothing changed" check behind repeated reads of the latest version: `version`'s commit file is still
 * there and the next one does not exist yet (two stat calls instead of listing the whole log). Commit files are
 * immutable and written in order, and a checkpoint only ever follows its commit, so no newer version can exist
 * without `version + 1`'s commit. When `version`'s own commit is gone (cleaned up, or the table replaced) the caller
 * lists the log as usual.
 */
function isStillLatest(store: LogStore, version: number): boolean {
  return existsSync(store.pathOf(commitFileName(version))) && !existsSync(store.pathOf(commitFileName(version + 1)))
}

function range(from: number, to: number): number[] {
  const out: number[] = []
  for (let v = from; v <= to; v++) out.push(v)
  return out
}

/**
 * The latest version from a listing of _delta_log alone (no file is read); null when there is no table. With
 * `knownVersion` (a version the caller saw before, e.g. of a cached snapshot) two stat calls answer when nothing was
 * committed since, and the log is listed only otherwise.
 */
export async function latestVersion(store: LogStore, knownVersion?: number): Promise<number | null> {
  if (knownVersion !== undefined && Number.isSafeInteger(knownVersion) && knownVersion >= 0 && isStillLatest(store, knownVersion)) return knownVersion
  return classifyLog(await listLogNames(store)).latest
}

/**
 * Commit time of every commit still in the log, ascending: in-commit timestamps where the latest metaData enables
 * them, else file mtimes monotonized as Spark does.
 * @throws DeltaError TABLE_NOT_FOUND, CORRUPT_LOG, UNSUPPORTED_FEATURE (from loading the latest snapshot).
 */
export async function commitTimestamps(store: LogStore, port: ParquetPort): Promise<{ version: number; timestamp: number }[]> {
  const latest = await loadSnapshot(store, port)
  const listing = classifyLog(await listLogNames(store))
  return buildCommitTimeline(store, listing, ictConfigOf(latest.metadata))
}

/**
 * The actions of one commit file, in file order (commitInfo and cdc included; unknown kinds dropped).
 * @throws DeltaError VERSION_NOT_FOUND when the commit file does not exist, CORRUPT_LOG naming file and line.
 */
export async function readCommit(store: LogStore, version: number): Promise<Action[]> {
  checkVersionArgument(version)
  const name = commitFileName(version)
  let text: string
  try {
    text = await store.read(name)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DeltaError('VERSION_NOT_FOUND', `commit ${name} does not exist in ${store.logDir}`, { tableRoot: store.tableRoot, version })
    }
    throw e
  }
  return parseLogLines(text, name, false)
}
