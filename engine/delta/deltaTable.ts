// The Delta table facade the SQL layer, CLI, pipelines and benchmarks use: open/create, snapshots, history, writes.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import packageJson from '../../package.json'
import type { CommitOptions, CommitResult } from './commit'
import { DeltaError } from './errors'
import { readHistory, type HistoryEntry } from './history'
import { LogStore } from './logStore'
import { latestVersion, loadSnapshot, type SnapshotAt } from './logReplay'
import { createTable, type CreateTableSpec } from './operations/createTable'
import { deleteFromTable } from './operations/delete'
import { optimizeTable, type OptimizeArgs } from './operations/optimize'
import { planRestore, restoreTable, type RestorePlan } from './operations/restore'
import { vacuumTable, type VacuumArgs, type VacuumOutcome } from './operations/vacuum'
import { writeToTable, type WriteArgs } from './operations/write'
import type { ParquetPort } from './parquetPort'
import type { Snapshot } from './snapshot'

export type { CommitResult } from './commit'
export type { HistoryEntry } from './history'
export type { CreateTableSpec } from './operations/createTable'
export type { WriteArgs } from './operations/write'
export type { OptimizeArgs } from './operations/optimize'
export type { RestorePlan } from './operations/restore'
export type { VacuumArgs, VacuumOutcome } from './operations/vacuum'

export interface DeltaTableOptions {
  /** ms since the epoch; default Date.now. Drives commit timestamps, deletion timestamps and tombstone expiry. */
  clock?: { now(): number }
  /** commitInfo.engineInfo; default `Lakebench/<package version>`. */
  engineInfo?: string
}

/** `Lakebench/<version from package.json>`. */
export const DEFAULT_ENGINE_INFO = `Lakebench/${(packageJson as { version: string }).version}`

function commitOptions(options: DeltaTableOptions): CommitOptions {
  return { clock: options.clock ?? { now: () => Date.now() }, engineInfo: options.engineInfo ?? DEFAULT_ENGINE_INFO }
}

/** One Delta table on local disk. Methods are safe to call concurrently with other processes writing the same table. */
export class DeltaTable {
  readonly root: string
  private readonly store: LogStore
  private latest: Snapshot | null = null

  private constructor(root: string, private readonly port: ParquetPort, private readonly options: DeltaTableOptions) {
    this.root = path.resolve(root)
    this.store = new LogStore(this.root)
  }

  /**
   * Creates the table as version 0 (see createTable) and opens it.
   * @throws DeltaError TABLE_ALREADY_EXISTS, INVALID_ARGUMENT (invalid spec), SCHEMA_MISMATCH (CTAS rows), UNSUPPORTED_FEATURE.
   */
  static async create(root: string, port: ParquetPort, spec: CreateTableSpec, options: DeltaTableOptions = {}): Promise<DeltaTable> {
    await createTable(root, port, spec, commitOptions(options))
    return new DeltaTable(root, port, options)
  }

  /**
   * Opens an existing table and loads its latest snapshot.
   * @throws DeltaError TABLE_NOT_FOUND when `root` has no Delta log; reader errors for an unreadable log.
   */
  static async open(root: string, port: ParquetPort, options: DeltaTableOptions = {}): Promise<DeltaTable> {
    if (!(await DeltaTable.exists(root))) {
      throw new DeltaError('TABLE_NOT_FOUND', `no Delta table at ${path.resolve(root)}: ${path.join(path.resolve(root), '_delta_log')} has no commits`, { tableRoot: path.resolve(root) })
    }
    const table = new DeltaTable(root, port, options)
    await table.snapshot()
    return table
  }

  /** True when `root/_delta_log` holds at least one commit or checkpoint. */
  static async exists(root: string): Promise<boolean> {
    try {
      await fs.access(path.join(root, '_delta_log'))
    } catch {
      return false
    }
    return (await latestVersion(new LogStore(path.resolve(root)))) !== null
  }

  /**
   * The table at the latest version, or at a version / timestamp. The latest snapshot is cached and reused while no
   * newer commit exists (checked without listing or reading the log).
   * @throws DeltaError VERSION_NOT_FOUND, TIMESTAMP_OUT_OF_RANGE, VERSION_NOT_RECONSTRUCTABLE, CORRUPT_LOG, ...
   */
  async snapshot(at?: SnapshotAt): Promise<Snapshot> {
    if (at && (at.version !== undefined || at.timestamp !== undefined)) return loadSnapshot(this.store, this.port, at)
    // With a cached snapshot, loadSnapshot checks for a newer commit with two stat calls and returns the cached one
    // when there is none; otherwise extending it replays only the commits after it.
    this.latest = await loadSnapshot(this.store, this.port, {}, this.latest ?? undefined)
    return this.latest
  }

  /** Commits newest first (see readHistory). */
  history(limit?: number): Promise<HistoryEntry[]> {
    return readHistory(this.store, this.port, limit)
  }

  /**
   * Appends or overwrites (optionally with replaceWhere) the rows of `sourceSql` in one commit; with `txn`, a repeat
   * of the same (appId, version) is skipped.
   * @throws DeltaError SCHEMA_MISMATCH, INVALID_ARGUMENT, UNSUPPORTED_FEATURE, or a conflict code.
   */
  async write(args: WriteArgs): Promise<CommitResult> {
    const result = await writeToTable(this.store, this.port, await this.snapshot(), args, commitOptions(this.options))
    return result
  }

  /**
   * Deletes the rows matching `predicateSql` (every row when absent) by copy-on-write in one commit.
   * @throws DeltaError INVALID_ARGUMENT (append-only table), UNSUPPORTED_FEATURE, or a conflict code.
   */
  async delete(predicateSql?: string): Promise<CommitResult> {
    return deleteFromTable(this.store, this.port, await this.snapshot(), predicateSql, commitOptions(this.options))
  }

  /**
   * Restores the table to the version or timestamp `at` in one RESTORE commit (see restoreTable).
   * @throws DeltaError VERSION_NOT_FOUND / TIMESTAMP_OUT_OF_RANGE, DATA_FILE_MISSING naming a vacuumed file, conflict codes.
   */
  async restore(at: { version?: number; timestamp?: number; timestampText?: string }): Promise<CommitResult> {
    const current = await this.snapshot()
    const target = await this.snapshot(at.version !== undefined ? { version: at.version } : { timestamp: at.timestamp })
    return restoreTable(this.store, this.port, current, target, { version: at.version, timestamp: at.timestampText }, commitOptions(this.options))
  }

  /** What restore({version}) would change, without writing. @throws DeltaError VERSION_NOT_FOUND. */
  async restorePlan(version: number): Promise<{ current: Snapshot; target: Snapshot; plan: RestorePlan }> {
    const current = await this.snapshot()
    const target = await this.snapshot({ version })
    return { current, target, plan: planRestore(current, target) }
  }

  /** Compacts small files (see optimizeTable). @throws DeltaError INVALID_ARGUMENT for a bad WHERE / ZORDER column, conflict codes. */
  async optimize(args: OptimizeArgs = {}): Promise<CommitResult> {
    return optimizeTable(this.store, this.port, await this.snapshot(), args, commitOptions(this.options))
  }

  /** Deletes unreferenced files older than the retention (see vacuumTable). @throws DeltaError VACUUM_RETENTION_TOO_SHORT. */
  async vacuum(args: VacuumArgs = {}): Promise<VacuumOutcome> {
    return vacuumTable(this.store, this.port, await this.snapshot(), args, commitOptions(this.options))
  }
}
