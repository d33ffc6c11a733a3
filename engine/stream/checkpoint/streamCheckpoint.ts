// A streaming query's checkpoint, checkpoints/<query>/: metadata, offsets/N before batch N, commits/N after it, and recovery.
//
//   start ──► lock ──► metadata (create | check sources & sink) ──► recover: newest commits/C + offsets/C = resume point,
//             offsets/N (N > C) = batches to re-run with exactly the recorded input ──► per batch: offsets/N ─► sink txn ─► commits/N
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { SourceOffset } from '../sources/streamSource'
import { StreamError } from '../streamError'
import { readJsonFile, writeFileIfAbsent } from './atomicFile'
import { BatchLog } from './batchLog'

export interface CheckpointMetadata {
  id: string
  query: string
  /** Source ids in query order (src0, src1, ...). */
  sources: string[]
  /** The sink table, schema.name. */
  sink: string
  createdAt: number
  /**
   * Additive: what each source reads besides where (format and declared schema, by source id) and the event-time column,
   * so a restart with another schema or event-time column is refused instead of mixing two shapes in one stream.
   * Absent in checkpoints written before they were recorded (then not compared).
   */
  sourceConfigurations?: Record<string, string>
  eventTimeColumn?: string | null
}

/** The parts of a query its checkpoint must agree with on restart. */
export interface CheckpointedQuery {
  name: string
  sources: string[]
  sink: string
  now: number
  /** Per source id: format and schema as text (StreamSource.configuration()). */
  sourceConfigurations?: Record<string, string>
  eventTimeColumn?: string | null
}

/** offsets/N: what batch N reads, fixed before it runs. */
export interface OffsetEntry {
  batchId: number
  triggerTime: number
  /** The watermark batch N uses (computed at the end of batch N-1), or null before any event time was seen. */
  watermarkMs: number | null
  /** End offset per source id. */
  sources: Record<string, SourceOffset>
}

/** commits/N: batch N reached the sink. */
export interface CommitEntry {
  batchId: number
  committedAt: number
  /** Sink table version holding the batch, null when the txn showed it was already there. */
  sinkVersion: number | null
}

/** Where a (re)started query continues. */
export interface RecoveryPoint {
  metadata: CheckpointMetadata
  /** True when this start created the metadata. */
  created: boolean
  /** offsets of the newest committed batch: the start of the next new batch; null = from the beginning. */
  lastCommitted: OffsetEntry | null
  /** Batches with offsets but no commit, to re-run in order with their recorded input (at most one unless tampered). */
  pending: { start: OffsetEntry | null; end: OffsetEntry }[]
  nextBatchId: number
}

/** A query name as a folder name: letters, digits, '_', '.', '-' stay; anything else is %-encoded. */
export function checkpointFolderName(query: string): string {
  return query.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** The checkpoint folder of one query. */
export class StreamCheckpoint {
  readonly dir: string
  readonly offsets: BatchLog<OffsetEntry>
  readonly commits: BatchLog<CommitEntry>

  constructor(lakehouseRoot: string, query: string) {
    this.dir = path.join(lakehouseRoot, 'checkpoints', checkpointFolderName(query))
    this.offsets = new BatchLog(path.join(this.dir, 'offsets'))
    this.commits = new BatchLog(path.join(this.dir, 'commits'))
  }

  get metadataFile(): string {
    return path.join(this.dir, 'metadata')
  }

  /** Folder for stateful operators' state after batch N. */
  stateDir(batchId: number): string {
    return path.join(this.dir, 'state', String(batchId))
  }

  /** True when neither metadata nor any batch file exists (a new query, or a deleted checkpoint). */
  async isEmpty(): Promise<boolean> {
    const metadata = await readJsonFile<CheckpointMetadata>(this.metadataFile).catch(() => 'corrupt')
    return metadata === null && (await this.offsets.ids()).length === 0 && (await this.commits.ids()).length === 0
  }

  /**
   * Reads or creates the metadata and works out where to continue. Call with the lock held.
   * @throws StreamError MISSING_METADATA_FILE (batch files without metadata), QUERY_CHANGED (sources or sink differ,
   *   named), CHECKPOINT_CORRUPT naming a file that is unreadable, or that recovery needs but is missing (e.g.
   *   commits/N present with offsets/N deleted: batch N's end is unknown, so continuing could skip or repeat input).
   */
  async recover(query: CheckpointedQuery): Promise<RecoveryPoint> {
    const offsetIds = await this.offsets.ids()
    const commitIds = await this.commits.ids()
    let metadata = await readJsonFile<CheckpointMetadata>(this.metadataFile)
    let created = false
    if (metadata === null) {
      if (offsetIds.length > 0 || commitIds.length > 0) {
        throw new StreamError('MISSING_METADATA_FILE', `checkpoint ${this.dir} has ${offsetIds.length} offsets and ${commitIds.length} commits files but no metadata file (${this.metadataFile}): a new query id would write every batch again; restore the file or delete the whole checkpoint and reset the stream`, { file: this.metadataFile })
      }
      const fresh: CheckpointMetadata = {
        id: randomUUID(), query: query.name, sources: query.sources, sink: query.sink, createdAt: query.now,
        ...(query.sourceConfigurations ? { sourceConfigurations: query.sourceConfigurations } : {}),
        ...(query.eventTimeColumn !== undefined ? { eventTimeColumn: query.eventTimeColumn } : {})
      }
      created = await writeFileIfAbsent(this.metadataFile, JSON.stringify(fresh) + '\n')
      metadata = created ? fresh : await readJsonFile<CheckpointMetadata>(this.metadataFile)
      if (!metadata) throw new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${this.metadataFile} vanished while it was being created`, { file: this.metadataFile })
    }
    assertSameQuery(metadata, query, this.metadataFile)
    const lastCommitId = commitIds.at(-1) ?? -1
    let lastCommitted: OffsetEntry | null = null
    if (lastCommitId >= 0) {
      lastCommitted = await this.offsets.read(lastCommitId)
      if (!lastCommitted) throw this.missing(lastCommitId, `commits/${lastCommitId} exists, so batch ${lastCommitId} reached the sink, but its input is unknown`)
    }
    const pending: RecoveryPoint['pending'] = []
    let previous = lastCommitted
    for (const id of offsetIds.filter((n) => n > lastCommitId)) {
      // Each re-run starts where the batch before it ended, so that batch's offsets must be here.
      const expected = (pending.at(-1)?.end.batchId ?? lastCommitId) + 1
      if (id !== expected) throw this.missing(id - 1, `batch ${id} is planned but not committed and must re-run from the end of batch ${id - 1}`)
      const end = (await this.offsets.read(id))!
      pending.push({ start: previous, end })
      previous = end
    }
    const nextBatchId = Math.max(lastCommitId, ...offsetIds) + 1
    return { metadata, created, lastCommitted, pending, nextBatchId }
  }

  private missing(batchId: number, why: string): StreamError {
    const file = this.offsets.fileOf(batchId)
    return new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${file} is missing: ${why}; restore it, or delete the checkpoint and reset the stream`, { file, batchId })
  }

  /** Keeps the newest `retain` batches' offsets, commits and state (ids > newest - retain); recovery needs only the newest. */
  async applyRetention(newestCommitted: number, retain: number): Promise<void> {
    const firstKept = newestCommitted - Math.max(1, retain) + 1
    if (firstKept <= 0) return
    await this.offsets.removeBelow(firstKept)
    await this.commits.removeBelow(firstKept)
    const stateRoot = path.join(this.dir, 'state')
    let names: string[] = []
    try {
      names = await fs.readdir(stateRoot)
    } catch {
      return
    }
    for (const n of names) if (/^\d+$/.test(n) && Number(n) < firstKept) await fs.rm(path.join(stateRoot, n), { recursive: true, force: true })
  }
}

/** @throws StreamError QUERY_CHANGED naming what differs from the checkpoint's metadata. */
function assertSameQuery(metadata: CheckpointMetadata, query: CheckpointedQuery, file: string): void {
  const changes: string[] = []
  const recorded = metadata.sources ?? []
  if (JSON.stringify(recorded) !== JSON.stringify(query.sources)) {
    changes.push(`sources changed from [${recorded.join(', ')}] to [${query.sources.join(', ')}]`)
  }
  if (metadata.sink !== query.sink) changes.push(`sink changed from ${metadata.sink} to ${query.sink}`)
  // Only what both the checkpoint and the query state is compared: older checkpoints did not record configurations.
  for (const [source, before] of Object.entries(metadata.sourceConfigurations ?? {})) {
    const now = query.sourceConfigurations?.[source]
    if (now !== undefined && now !== before) changes.push(`source ${source} changed from (${before}) to (${now})`)
  }
  if (metadata.eventTimeColumn !== undefined && query.eventTimeColumn !== undefined && metadata.eventTimeColumn !== query.eventTimeColumn) {
    changes.push(`event-time column changed from ${metadata.eventTimeColumn ?? 'none'} to ${query.eventTimeColumn ?? 'none'}`)
  }
  if (changes.length > 0) {
    throw new StreamError('QUERY_CHANGED', `query ${query.name} cannot resume from ${file}: ${changes.join('; ')}. Use a new query name (checkpoint) for the changed query`, { file, changes })
  }
}
