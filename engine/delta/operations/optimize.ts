// OPTIMIZE: bin-packing compaction of small files per partition (optionally sorted by ZORDER BY columns), one atomic commit.
import { rewriteFootprint } from './rewriteFootprint'
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Action, AddFile } from '../actions'
import { commitTransaction, type CommitOptions, type CommitResult } from '../commit'
import { writeDataFiles } from '../dataFileWriter'
import { DeltaError } from '../errors'
import type { LogStore } from '../logStore'
import { sqlIdent, type ParquetPort } from '../parquetPort'
import { decodeLogPath } from '../partitionValues'
import { scanSql } from '../scan'
import type { Snapshot } from '../snapshot'
import { assertWritable } from '../writeSupport'
import { assertPredicateBinds, isPartitionOnlyPredicate, partitionPredicateMatches, removeOf } from './matchingFiles'

/** Spark's `spark.databricks.delta.optimize.maxFileSize`: files at least this big are left alone (1 GiB). */
export const DEFAULT_OPTIMIZE_TARGET_BYTES = 1024 * 1024 * 1024

export interface OptimizeArgs {
  /** A predicate on partition columns only (Spark rejects data columns here too). */
  where?: string
  /**
   * Columns to cluster by. What this engine does: the rows of each rewritten bin are sorted lexicographically by these
   * columns (NULLs first) before being written, and every file of a matching partition is rewritten, even a single
   * one. It is not Spark's interleaved Z-curve: it clusters the first column best and the later ones less.
   */
  zorderBy?: string[]
  /** Bin size and the threshold below which a file counts as small; default DEFAULT_OPTIMIZE_TARGET_BYTES. */
  targetFileBytes?: number
}

/** Groups `files` into bins of at most `target` bytes (first fit in log order); bins of one file are kept only when `keepSingles`. */
function binPack(files: AddFile[], target: number, keepSingles: boolean): AddFile[][] {
  const bins: AddFile[][] = []
  let current: AddFile[] = []
  let size = 0
  for (const f of files) {
    if (current.length > 0 && size + f.size > target) {
      bins.push(current)
      current = []
      size = 0
    }
    current.push(f)
    size += f.size
  }
  if (current.length > 0) bins.push(current)
  return bins.filter((b) => keepSingles || b.length > 1)
}

/**
 * Compacts the table read as `snapshot`: per partition (restricted by `where`), files smaller than the target are
 * bin-packed and each bin of two or more files is rewritten as one file (more when DEFAULT_MAX_ROWS_PER_FILE splits it);
 * with `zorderBy`, every file of each partition is rewritten with its rows sorted (see OptimizeArgs.zorderBy). The rows
 * stay identical; removes and adds carry dataChange=false. commitInfo: operation 'OPTIMIZE', parameters {predicate,
 * zOrderBy} as JSON text, metrics numRemovedFiles/numAddedFiles/numRemovedBytes/numAddedBytes/numBatches/
 * totalConsideredFiles. Nothing to compact writes no commit (`skipped: true`).
 * @throws DeltaError INVALID_ARGUMENT for a WHERE on data columns, an unknown or partition ZORDER column;
 *   UNSUPPORTED_FEATURE for tables we cannot write; the conflict codes of commitTransaction.
 */
export async function optimizeTable(store: LogStore, port: ParquetPort, snapshot: Snapshot, args: OptimizeArgs, options: CommitOptions): Promise<CommitResult> {
  assertWritable(snapshot.protocol, snapshot.metadata, snapshot.schema)
  const where = args.where?.trim() || undefined
  const zorderBy = args.zorderBy ?? []
  for (const c of zorderBy) {
    const field = snapshot.schema.fields.find((f) => f.name.toLowerCase() === c.toLowerCase())
    if (!field) throw new DeltaError('INVALID_ARGUMENT', `ZORDER BY column '${c}' is not a column of ${snapshot.tableRoot}`, { column: c })
    if (snapshot.partitionColumns.some((p) => p.toLowerCase() === c.toLowerCase())) {
      throw new DeltaError('INVALID_ARGUMENT', `ZORDER BY column '${c}' is a partition column of ${snapshot.tableRoot}; Z-ordering only applies to data columns`, { column: c })
    }
  }
  let candidates = snapshot.files
  if (where !== undefined) {
    await assertPredicateBinds(port, snapshot.schema, where, 'OPTIMIZE WHERE')
    if (!(await isPartitionOnlyPredicate(port, snapshot.schema, snapshot.partitionColumns, where))) {
      throw new DeltaError('INVALID_ARGUMENT', `OPTIMIZE WHERE '${where}' references data columns; only partition columns (${snapshot.partitionColumns.join(', ') || 'none'}) are allowed`, { predicate: where })
    }
    const hits = await partitionPredicateMatches(port, snapshot.schema, snapshot.partitionColumns, candidates, where)
    candidates = candidates.filter((_, i) => hits[i])
  }
  const target = args.targetFileBytes ?? DEFAULT_OPTIMIZE_TARGET_BYTES
  const byPartition = new Map<string, AddFile[]>()
  for (const f of candidates) {
    if (zorderBy.length === 0 && f.size >= target) continue
    const key = JSON.stringify(snapshot.partitionColumns.map((c) => f.partitionValues[c] ?? null))
    byPartition.set(key, [...(byPartition.get(key) ?? []), f])
  }
  const bins = [...byPartition.values()].flatMap((files) => binPack(files, target, zorderBy.length > 0))
  const removes = bins.flat()
  const metrics: Record<string, number> = {
    numRemovedFiles: removes.length, numAddedFiles: 0, numRemovedBytes: removes.reduce((n, f) => n + f.size, 0), numAddedBytes: 0,
    numBatches: bins.length, totalConsideredFiles: candidates.length
  }
  if (removes.length === 0) return { version: snapshot.version, skipped: true, metrics, retries: 0 }

  const adds: AddFile[] = []
  const writtenFiles: string[] = []
  try {
    for (const bin of bins) {
      const staged = `__optimize_${randomUUID().replace(/-/g, '')}`
      const order = zorderBy.length > 0 ? ` ORDER BY ${zorderBy.map((c) => `${sqlIdent(c)} NULLS FIRST`).join(', ')}` : ''
      await port.exec(`CREATE TEMP TABLE ${sqlIdent(staged)} AS SELECT * FROM (${await scanSql(snapshot, port, { files: bin })}) AS bin${order}`)
      try {
        const written = await writeDataFiles(port, {
          tableRoot: snapshot.tableRoot, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, relation: sqlIdent(staged),
          configuration: snapshot.metadata.configuration, dataChange: false
        })
        adds.push(...written.adds)
        writtenFiles.push(...written.adds.map((a) => path.join(snapshot.tableRoot, decodeLogPath(a.path))))
      } finally {
        await port.exec(`DROP TABLE IF EXISTS ${sqlIdent(staged)}`)
      }
    }
  } catch (e) {
    await Promise.all(writtenFiles.map((f) => fs.rm(f, { force: true }).catch(() => undefined)))
    throw e
  }
  Object.assign(metrics, { numAddedFiles: adds.length, numAddedBytes: adds.reduce((n, a) => n + a.size, 0) })
  const now = options.clock.now()
  const actions: Action[] = [...removes.map((f) => ({ remove: { ...removeOf(f, now), dataChange: false } })), ...adds.map((add) => ({ add }))]
  const committed = await commitTransaction(store, port, {
    readSnapshot: snapshot,
    actions,
    operation: 'OPTIMIZE',
    operationParameters: { predicate: JSON.stringify(where === undefined ? [] : [where]), zOrderBy: JSON.stringify(zorderBy) },
    operationMetrics: metrics,
    footprint: rewriteFootprint({ removes }),
    writtenFiles
  }, options)
  return { version: committed.version, metrics, retries: committed.retries }
}
