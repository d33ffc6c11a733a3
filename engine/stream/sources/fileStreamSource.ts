// Streaming source over a landing folder: each file once, in name order, only when complete; read with DuckDB (csv / ndjson / parquet).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { StreamError } from '../streamError'
import type { SourceOffset, StreamSource } from './streamSource'

export interface FileStreamSourceOptions {
  lakehouseRoot: string
  /** The landing folder, relative to the lakehouse root (e.g. 'landing/users'); read recursively. */
  path: string
  format: 'csv' | 'json' | 'parquet'
  /** Columns and DuckDB types for csv/json (recommended: keeps every batch's types the same); inferred when absent. */
  schema?: { name: string; type: string }[]
  /** At most this many new files per batch (Spark's maxFilesPerTrigger); unlimited when absent. */
  maxFilesPerTrigger?: number
  /**
   * A file is complete when its size and mtime did not change since this source's previous listing, or when its
   * mtime is at least this old (wall time, since mtimes are). Default 1000 ms; 0 trusts every listed file (producers that
   * rename files into place).
   */
  settleMs?: number
}

/** A file of a batch, relative to the lakehouse root. */
export interface LandingFile {
  path: string
  size: number
  mtimeMs: number
}

/** Offset: every file read so far (sorted paths) and the files of the batch that ended here. */
export interface FileOffset extends SourceOffset {
  processed: string[]
  batch: LandingFile[]
}

function compareFiles(a: LandingFile, b: LandingFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.mtimeMs - b.mtimeMs
}

/** Hidden, temp and marker files are never data: names starting with '.' or '_', or ending in .tmp / .crc. */
function isDataName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_') && !name.endsWith('.tmp') && !name.endsWith('.crc')
}

function asFileOffset(offset: SourceOffset | null, sourceId: string): FileOffset | null {
  if (offset === null) return null
  if (!Array.isArray(offset.processed) || !Array.isArray(offset.batch)) {
    throw new StreamError('SOURCE_OFFSET_INVALID', `source ${sourceId}: offset ${JSON.stringify(offset).slice(0, 200)} is not a file source offset {processed, batch}`, { source: sourceId })
  }
  return offset as FileOffset
}

/** New files of a landing folder; see FileStreamSourceOptions for which files count as complete. */
export class FileStreamSource implements StreamSource {
  readonly id: string
  private previousListing = new Map<string, LandingFile>()
  private availableNowCap: Set<string> | null = null

  constructor(private readonly options: FileStreamSourceOptions) {
    this.id = `files:${options.path.split(path.sep).join('/')}`
  }

  /** Format and declared schema (or `inferred schema`): the checkpoint refuses a restart that changes them. */
  configuration(): string {
    const schema = this.options.schema ? this.options.schema.map((c) => `${c.name} ${c.type}`).join(', ') : 'inferred schema'
    return `${this.options.format}; ${schema}`
  }

  /** Every data file under the folder, sorted by path then mtime; [] when the folder does not exist yet. */
  async list(): Promise<LandingFile[]> {
    const base = path.resolve(this.options.lakehouseRoot, this.options.path)
    let names: string[]
    try {
      names = (await fs.readdir(base, { recursive: true })) as string[]
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
    const files: LandingFile[] = []
    for (const name of names) {
      if (name.split(path.sep).some((part) => !isDataName(part))) continue
      let stat
      try {
        stat = await fs.stat(path.join(base, name))
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw e
      }
      if (!stat.isFile()) continue
      files.push({ path: path.join(this.options.path, name).split(path.sep).join('/'), size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) })
    }
    return files.sort(compareFiles)
  }

  /** Complete new files in order, remembering this listing for the next completeness check. */
  private async completeNewFiles(processed: Set<string>): Promise<LandingFile[]> {
    const listing = await this.list()
    const settleMs = this.options.settleMs ?? 1000
    const wallNow = Date.now()
    const complete = listing.filter((f) => {
      if (processed.has(f.path)) return false
      const before = this.previousListing.get(f.path)
      const unchanged = before !== undefined && before.size === f.size && before.mtimeMs === f.mtimeMs
      return unchanged || wallNow - f.mtimeMs >= settleMs
    })
    this.previousListing = new Map(listing.map((f) => [f.path, f]))
    return complete
  }

  /** Caps this run at the files listed now; the listing also serves as the first completeness check. */
  async prepareForAvailableNow(): Promise<void> {
    const listing = await this.list()
    this.availableNowCap = new Set(listing.map((f) => f.path))
    this.previousListing = new Map(listing.map((f) => [f.path, f]))
  }

  /** @throws StreamError SOURCE_OFFSET_INVALID when `start` is not an offset of this source. */
  async nextEnd(start: SourceOffset | null): Promise<SourceOffset> {
    const from = asFileOffset(start, this.id)
    const processed = new Set(from?.processed ?? [])
    let fresh = await this.completeNewFiles(processed)
    if (this.availableNowCap) fresh = fresh.filter((f) => this.availableNowCap!.has(f.path))
    if (this.options.maxFilesPerTrigger !== undefined) fresh = fresh.slice(0, Math.max(1, this.options.maxFilesPerTrigger))
    if (fresh.length === 0) return from ?? { processed: [], batch: [] }
    const all = [...processed, ...fresh.map((f) => f.path)].sort()
    return { processed: all, batch: fresh } satisfies FileOffset
  }

  sameOffset(a: SourceOffset | null, b: SourceOffset): boolean {
    const before = asFileOffset(a, this.id)?.processed ?? []
    const after = asFileOffset(b, this.id)!.processed
    return before.length === after.length
  }

  /**
   * Reads the files of `end.batch` into `relation` with a `_metadata_file_path` column (path relative to the lakehouse).
   * @throws StreamError SOURCE_OFFSET_INVALID when a recorded file is gone (it cannot be re-read); DuckDB errors naming a bad file.
   */
  async load(start: SourceOffset | null, end: SourceOffset, into: { port: DuckdbSession; relation: string }): Promise<{ rows: number }> {
    const files = this.sameOffset(start, end) ? [] : asFileOffset(end, this.id)!.batch
    const selects: string[] = []
    for (const f of files) {
      const abs = path.resolve(this.options.lakehouseRoot, f.path)
      try {
        await fs.access(abs)
      } catch {
        throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: file ${f.path} recorded in the checkpoint no longer exists, so the batch cannot be re-read`, { source: this.id, file: f.path })
      }
      selects.push(`SELECT *, ${sqlString(f.path)} AS _metadata_file_path FROM ${this.reader(abs)}`)
    }
    const relation = sqlIdent(into.relation)
    if (selects.length === 0) {
      const columns = this.options.schema?.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`) ?? []
      await into.port.exec(`CREATE OR REPLACE TEMP TABLE ${relation} AS SELECT ${[...columns, 'CAST(NULL AS VARCHAR) AS _metadata_file_path'].join(', ')} LIMIT 0`)
    } else {
      await into.port.exec(`CREATE OR REPLACE TEMP TABLE ${relation} AS ${selects.map((s) => `(${s})`).join(' UNION ALL BY NAME ')}`)
    }
    const count = await into.port.query(`SELECT count(*)::BIGINT AS n FROM ${relation}`)
    return { rows: Number(count[0]!.n) }
  }

  private reader(abs: string): string {
    const file = sqlString(abs)
    const schema = this.options.schema
    const columns = schema ? `columns = {${schema.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}` : ''
    switch (this.options.format) {
      case 'parquet':
        return `read_parquet(${file})`
      case 'csv':
        return `read_csv(${file}, header = true${columns ? `, ${columns}` : ''})`
      case 'json':
        return `read_json(${file}, format = 'newline_delimited'${columns ? `, ${columns}` : ''})`
    }
  }
}
