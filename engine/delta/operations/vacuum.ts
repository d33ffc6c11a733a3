// VACUUM: deletes data files no version inside the retention window references, with Spark's 168-hour safety check.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parseIntervalMs } from '../checkpoint'
import { commitTransaction, type CommitOptions } from '../commit'
import { deletionVectorFile } from '../deletionVectors'
import { DeltaError } from '../errors'
import type { LogStore } from '../logStore'
import type { ParquetPort } from '../parquetPort'
import { resolveTablePath } from '../partitionValues'
import type { Snapshot } from '../snapshot'

/** `delta.deletedFileRetentionDuration`'s default: one week. */
export const DEFAULT_RETENTION_HOURS = 168

export interface VacuumArgs {
  /** RETAIN n HOURS; default the table's `delta.deletedFileRetentionDuration` (168 h). */
  retentionHours?: number
  dryRun?: boolean
  /** false allows a retention shorter than the table's (Spark: retentionDurationCheck.enabled=false). Default true. */
  enforceRetention?: boolean
}

export interface VacuumOutcome {
  /** Absolute paths of the files deleted (or, on a dry run, that would be). Sorted. */
  files: string[]
  bytes: number
  retentionHours: number
  dryRun: boolean
  /** Version of the VACUUM END commit; null on a dry run. */
  version: number | null
}

/** The table's configured retention in hours (`delta.deletedFileRetentionDuration`, default 168). */
export function configuredRetentionHours(snapshot: Snapshot): number {
  const ms = parseIntervalMs(snapshot.metadata.configuration['delta.deletedFileRetentionDuration'])
  return ms === undefined ? DEFAULT_RETENTION_HOURS : ms / 3_600_000
}

/** Absolute paths of the data and deletion-vector files the current version or an unexpired tombstone references. */
function protectedFiles(snapshot: Snapshot, cutoffMs: number): Set<string> {
  const keep = new Set<string>()
  const add = (p: string, dv: { storageType: string } | null | undefined) => {
    keep.add(resolveTablePath(snapshot.tableRoot, p))
    if (dv && dv.storageType !== 'i') keep.add(deletionVectorFile(snapshot.tableRoot, dv as never))
  }
  for (const f of snapshot.files) add(f.path, f.deletionVector)
  // A tombstone without a deletion time cannot be dated, so it is kept (never delete what might be needed).
  for (const r of snapshot.tombstones) if (r.deletionTimestamp === null || r.deletionTimestamp === undefined || r.deletionTimestamp >= cutoffMs) add(r.path, r.deletionVector)
  return keep
}

/** Every regular file under the table root, skipping `_delta_log` and hidden (`.`/`_`) entries as Spark does. */
async function listDataFiles(dir: string, out: { file: string; size: number; mtimeMs: number }[] = []): Promise<typeof out> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || (entry.name.startsWith('_') && !entry.name.includes('='))) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) await listDataFiles(full, out)
    else if (entry.isFile()) {
      const stat = await fs.stat(full)
      out.push({ file: full, size: stat.size, mtimeMs: stat.mtimeMs })
    }
  }
  return out
}

/**
 * Deletes the files under the table that are neither referenced by the current version nor by a remove tombstone newer
 * than now − retention, and whose modification time is older than now − retention ("now" from options.clock). So every
 * version committed inside the window still reads afterwards. Never touches `_delta_log` or hidden files. A real run
 * commits 'VACUUM START' (parameters retentionCheckEnabled, defaultRetentionMillis, specifiedRetentionMillis; metrics
 * numFilesToDelete, sizeOfDataToDelete) before deleting and 'VACUUM END' (status COMPLETED; numDeletedFiles,
 * numVacuumedDirectories) after, as Spark does; a dry run commits nothing and deletes nothing.
 * @throws DeltaError VACUUM_RETENTION_TOO_SHORT when the retention is below the table's (168 hours by default) and
 *   enforceRetention is not false; INVALID_ARGUMENT for a negative retention; conflict codes from the commits.
 */
export async function vacuumTable(store: LogStore, port: ParquetPort, snapshot: Snapshot, args: VacuumArgs, options: CommitOptions): Promise<VacuumOutcome> {
  const configured = configuredRetentionHours(snapshot)
  const retentionHours = args.retentionHours ?? configured
  if (!Number.isFinite(retentionHours) || retentionHours < 0) {
    throw new DeltaError('INVALID_ARGUMENT', `VACUUM retention must be a non-negative number of hours, got ${retentionHours}`, { retentionHours })
  }
  const enforce = args.enforceRetention ?? true
  if (enforce && retentionHours < configured) {
    throw new DeltaError('VACUUM_RETENTION_TOO_SHORT',
      `VACUUM of ${snapshot.tableRoot} with a retention of ${retentionHours} hours is refused: it is shorter than the table's retention of ${configured} hours ` +
      `(default 168 hours), so versions still inside that window could lose files. To vacuum anyway, pass { enforceRetention: false } ` +
      `(Spark: spark.databricks.delta.retentionDurationCheck.enabled = false).`,
      { tableRoot: snapshot.tableRoot, retentionHours, configuredRetentionHours: configured })
  }
  const now = options.clock.now()
  const cutoff = now - retentionHours * 3_600_000
  const keep = protectedFiles(snapshot, cutoff)
  const candidates = (await listDataFiles(snapshot.tableRoot)).filter((f) => !keep.has(f.file) && f.mtimeMs < cutoff)
  candidates.sort((a, b) => a.file.localeCompare(b.file))
  const files = candidates.map((c) => c.file)
  const bytes = candidates.reduce((n, c) => n + c.size, 0)
  if (args.dryRun) return { files, bytes, retentionHours, dryRun: true, version: null }

  const footprint = {
    isolationLevel: 'WriteSerializable' as const, isBlindAppend: false, readWholeTable: false, readPredicates: [], readFiles: new Set<string>(),
    readAppIds: new Set<string>(), removedFiles: new Set<string>(), changesMetadata: false, changesProtocol: false
  }
  const start = await commitTransaction(store, port, {
    readSnapshot: snapshot, actions: [], operation: 'VACUUM START',
    operationParameters: { retentionCheckEnabled: enforce, defaultRetentionMillis: configured * 3_600_000, specifiedRetentionMillis: retentionHours * 3_600_000 },
    operationMetrics: { numFilesToDelete: files.length, sizeOfDataToDelete: bytes }, footprint
  }, options)
  const dirs = new Set<string>()
  for (const f of files) {
    await fs.rm(f, { force: true })
    dirs.add(path.dirname(f))
  }
  // Partition folders left empty are removed too, deepest first; a non-empty one stays (rmdir refuses it).
  let vacuumedDirs = 0
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    if (dir === snapshot.tableRoot) continue
    try {
      await fs.rmdir(dir)
      vacuumedDirs++
    } catch {
      // not empty: still holds live files
    }
  }
  const startSnapshot: Snapshot = { ...snapshot, version: start.version }
  const end = await commitTransaction(store, port, {
    readSnapshot: startSnapshot, actions: [], operation: 'VACUUM END', operationParameters: { status: 'COMPLETED' },
    operationMetrics: { numDeletedFiles: files.length, numVacuumedDirectories: vacuumedDirs }, footprint
  }, options)
  return { files, bytes, retentionHours, dryRun: false, version: end.version }
}
