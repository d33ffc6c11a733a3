// Streaming source over a Delta table (STREAM(table)): the snapshot at the first batch, then the rows each new append commit adds.
import path from 'node:path'
import type { AddFile } from '../../delta/actions'
import { LogStore } from '../../delta/logStore'
import { latestVersion, loadSnapshot, readCommit } from '../../delta/logReplay'
import { sqlIdent } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { StreamError } from '../streamError'
import type { SourceOffset, StreamSource } from './streamSource'

export interface DeltaStreamSourceOptions {
  lakehouseRoot: string
  /** schema.name */
  table: string
  /** Ignore commits that remove or rewrite data (UPDATE, DELETE, MERGE, overwrite) instead of failing, like Delta's skipChangeCommits. */
  skipChangeCommits?: boolean
  /** At most this many table versions per batch; unlimited when absent. */
  maxVersionsPerTrigger?: number
}

/** Offset: the last table version read (-1 = the table did not exist yet). */
export interface DeltaOffset extends SourceOffset {
  version: number
}

function versionOf(offset: SourceOffset | null, sourceId: string): number | null {
  if (offset === null) return null
  if (typeof offset.version !== 'number') throw new StreamError('SOURCE_OFFSET_INVALID', `source ${sourceId}: offset ${JSON.stringify(offset)} is not a Delta offset {version}`, { source: sourceId })
  return offset.version
}

/** New versions of a Delta table, appends only. */
export class DeltaStreamSource implements StreamSource {
  readonly id: string
  private readonly store: LogStore
  private availableNowCap: number | null = null

  constructor(private readonly options: DeltaStreamSourceOptions) {
    this.id = `delta:${options.table}`
    const [schema, name] = options.table.toLowerCase().split('.')
    this.store = new LogStore(path.join(options.lakehouseRoot, 'tables', schema ?? '', name ?? ''))
  }

  async prepareForAvailableNow(): Promise<void> {
    this.availableNowCap = (await latestVersion(this.store)) ?? -1
  }

  async nextEnd(start: SourceOffset | null): Promise<SourceOffset> {
    const from = versionOf(start, this.id)
    let latest = (await latestVersion(this.store)) ?? -1
    if (this.availableNowCap !== null) latest = Math.min(latest, Math.max(this.availableNowCap, from ?? -1))
    // The first batch is the whole snapshot, whatever the limit (like Delta's initial snapshot).
    if (from === null || from < 0) return { version: latest } satisfies DeltaOffset
    const limit = this.options.maxVersionsPerTrigger
    return { version: limit === undefined ? latest : Math.min(latest, from + Math.max(1, limit)) } satisfies DeltaOffset
  }

  sameOffset(a: SourceOffset | null, b: SourceOffset): boolean {
    return (versionOf(a, this.id) ?? -1) === versionOf(b, this.id)
  }

  /**
   * Reads the rows of (start, end]: the snapshot at end.version when start is null (or -1), else the files added by
   * each commit in between (adds with dataChange=false, e.g. OPTIMIZE, carry no new rows and are skipped).
   * @throws StreamError DELTA_SOURCE_CHANGE_COMMIT naming the table and version of a commit that removes data, unless
   *   skipChangeCommits; DeltaError when a needed commit was cleaned up (VERSION_NOT_FOUND).
   */
  async load(start: SourceOffset | null, end: SourceOffset, into: { port: DuckdbSession; relation: string }): Promise<{ rows: number }> {
    const from = versionOf(start, this.id) ?? -1
    const to = versionOf(end, this.id)!
    const relation = sqlIdent(into.relation)
    if (to < 0) throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: table ${this.options.table} does not exist yet, nothing to load`, { source: this.id })
    const snapshot = await loadSnapshot(this.store, into.port, { version: to })
    let files: AddFile[]
    if (from < 0) files = snapshot.files
    else {
      files = []
      for (let v = from + 1; v <= to; v++) {
        const actions = await readCommit(this.store, v)
        const changes = actions.some((a) => 'remove' in a && a.remove.dataChange !== false)
        if (changes) {
          if (this.options.skipChangeCommits) continue
          throw new StreamError('DELTA_SOURCE_CHANGE_COMMIT', `source ${this.id}: version ${v} of table ${this.options.table} removes or rewrites data (${this.store.pathOf(`${String(v).padStart(20, '0')}.json`)}); a streaming read accepts appends only. Set skipChangeCommits to ignore such commits`, { source: this.id, version: v })
        }
        for (const a of actions) if ('add' in a && a.add.dataChange !== false) files.push(a.add)
      }
    }
    await into.port.exec(`CREATE OR REPLACE TEMP TABLE ${relation} AS ${await scanSql(snapshot, into.port, { files })}`)
    const count = await into.port.query(`SELECT count(*)::BIGINT AS n FROM ${relation}`)
    return { rows: Number(count[0]!.n) }
  }
}
