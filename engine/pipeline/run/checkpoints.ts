// A streaming flow's checkpoint, checkpoints/<pipeline>/<flow>/: offsets/<batch>.json written before a batch runs, commits/<batch>.json after it committed.
//
//   plan batch N ──► offsets/N.json (files, source versions, load time) ──► write quarantine + target (txn appId/N) ──► commits/N.json
//   restart: offsets/N without commits/N = re-run batch N with exactly the recorded inputs; the txn skips a write that already landed.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'

/** One landing file a batch read, by path relative to the lakehouse root. */
export interface OffsetFile {
  path: string
  /** The file source (fileSourceKey) that listed it; absent in listings before a batch is planned. */
  source?: string
  size: number
  mtimeMs: number
}

/** What a batch reads from one Delta source: commits (fromVersion, toVersion]; fromVersion -1 = the whole snapshot at toVersion. */
export interface OffsetSourceRange {
  tableId: string
  fromVersion: number
  toVersion: number
}

/** A source schema fixed by the first batch that inferred it (like Auto Loader's schema location). */
export interface SourceSchemaColumn {
  name: string
  /** DuckDB type. */
  type: string
}

export interface BatchOffset {
  batchId: number
  /** ms since the epoch: _load_time of every row of the batch, identical when the batch is re-run. */
  loadTime: number
  /** This batch recomputes the table from scratch (earlier batches no longer count). */
  fullRefresh: boolean
  /** The batch replaces the table's rows (the first flow of a full refresh); later flows of that refresh append. */
  overwrite?: boolean
  files: OffsetFile[]
  sources: Record<string, OffsetSourceRange>
  /** Inferred schema per file source key (its path and format). */
  sourceSchemas: Record<string, SourceSchemaColumn[]>
}

export interface BatchCommit {
  batchId: number
  /** Table version the batch committed, or null when it wrote nothing. */
  version: number | null
  committedAt: number
}

export interface CheckpointState {
  /** The newest batch that committed, or null. */
  lastCommitted: BatchOffset | null
  /** A batch planned but not committed (a crash interrupted it): re-run it as recorded. */
  pending: BatchOffset | null
  /** Files read by committed batches since the latest full refresh. */
  processedFiles: Set<string>
  nextBatchId: number
}

/** A flow name as a folder name: schema.table stays readable; anything unusual is encoded. */
export function flowFolderName(flow: string): string {
  return flow.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

async function writeAtomically(file: string, body: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.tmp-${randomUUID()}`)
  const handle = await fs.open(tmp, 'w')
  try {
    await handle.writeFile(body)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(tmp, file)
}

async function readJsonFiles<T>(dir: string): Promise<Map<number, T>> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw e
  }
  const out = new Map<number, T>()
  for (const name of names) {
    const m = /^(\d+)\.json$/.exec(name)
    if (!m) continue
    const file = path.join(dir, name)
    try {
      out.set(Number(m[1]), JSON.parse(await fs.readFile(file, 'utf8')) as T)
    } catch (e) {
      throw new Error(`checkpoint file ${file} is unreadable: ${(e as Error).message}`)
    }
  }
  return out
}

/** The checkpoint folder of one flow. Single writer: the pipeline run that owns the flow. */
export class FlowCheckpoint {
  readonly dir: string

  constructor(lakehouseRoot: string, pipeline: string, flow: string) {
    this.dir = path.join(lakehouseRoot, 'checkpoints', pipeline, flowFolderName(flow))
  }

  /**
   * Reads offsets/ and commits/.
   * @throws Error naming the checkpoint file when one is not valid JSON.
   */
  async state(): Promise<CheckpointState> {
    const offsets = await readJsonFiles<BatchOffset>(path.join(this.dir, 'offsets'))
    const commits = await readJsonFiles<BatchCommit>(path.join(this.dir, 'commits'))
    const ids = [...offsets.keys()].sort((a, b) => a - b)
    const committedIds = ids.filter((id) => commits.has(id))
    const lastCommittedId = committedIds.at(-1)
    const newest = ids.at(-1)
    const pending = newest !== undefined && !commits.has(newest) ? offsets.get(newest)! : null
    const lastFull = [...committedIds].reverse().find((id) => offsets.get(id)!.fullRefresh) ?? -1
    const processedFiles = new Set<string>()
    for (const id of committedIds) if (id >= lastFull) for (const f of offsets.get(id)!.files) processedFiles.add(f.path)
    const maxId = Math.max(-1, ...ids, ...commits.keys())
    return {
      lastCommitted: lastCommittedId === undefined ? null : offsets.get(lastCommittedId)!,
      pending,
      processedFiles,
      nextBatchId: maxId + 1
    }
  }

  /** Records the batch's inputs before it runs (atomically). */
  writeOffset(offset: BatchOffset): Promise<void> {
    return writeAtomically(path.join(this.dir, 'offsets', `${offset.batchId}.json`), JSON.stringify(offset, null, 1) + '\n')
  }

  /** Marks a batch done once its table commit landed (or was found already there). */
  writeCommit(commit: BatchCommit): Promise<void> {
    return writeAtomically(path.join(this.dir, 'commits', `${commit.batchId}.json`), JSON.stringify(commit) + '\n')
  }
}
