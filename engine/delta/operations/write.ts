// WRITE: append, overwrite, and overwrite with replaceWhere, each as one atomic commit (optionally idempotent via txn).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Action, AddFile } from '../actions'
import { commitTransaction, type CommitOptions, type CommitResult, type PreparedTransaction } from '../commit'
import type { ReadPredicate } from '../conflictChecker'
import { writeDataFiles, type WrittenFiles } from '../dataFileWriter'
import { DeltaError } from '../errors'
import type { LogStore } from '../logStore'
import type { ParquetPort } from '../parquetPort'
import { decodeLogPath } from '../partitionValues'
import type { Snapshot } from '../snapshot'
import { assertNotAppendOnly, assertWritable } from '../writeSupport'
import {
  assertPredicateBinds, conservativeReadPredicate, filesThatMayMatch, filesWithMatchingRows, isPartitionOnlyPredicate, partitionPredicateMatches, partitionReadPredicate,
  removeOf, rowsToKeepSql, statsRowCount
} from './matchingFiles'
import { stageSource, type StagedRows } from './stageSource'

export interface WriteArgs {
  /** DuckDB SELECT producing the rows; columns matched to the table by name. */
  sourceSql: string
  mode: 'append' | 'overwrite'
  /** Overwrite only the rows matching this SQL predicate; every written row must satisfy it. */
  replaceWhere?: string
  /** Idempotent write: skipped when the table already has txn[appId] >= version. */
  txn?: { appId: string; version: number }
  /** commitInfo.operation; default 'WRITE'. */
  operation?: string
  /**
   * commitInfo.operationParameters to show instead of the derived ones (mode, partitionBy, predicate): a MERGE-like
   * caller records its merge condition here rather than the internal replaceWhere it is implemented with.
   */
  operationParameters?: Record<string, string>
  /**
   * The source query read this same table (INSERT INTO t SELECT ... FROM t): the write is then not a blind append,
   * and a concurrent commit that removes or (non-blindly) adds files it read fails it. `predicate` narrows what was
   * read (SQL over the table's columns); absent = the whole table.
   */
  sourceReadsTable?: { predicate?: string }
}

interface Replacement {
  removes: AddFile[]
  rewritten: WrittenFiles | null
  readPredicates: ReadPredicate[]
  readFiles: AddFile[]
  readWholeTable: boolean
  deletedRows?: number
  copiedRows?: number
}

async function assertRowsSatisfy(port: ParquetPort, staged: StagedRows, predicate: string): Promise<void> {
  const rows = await port.query(
    `SELECT count(*) AS bad, CAST(to_json(any_value(staged)) AS VARCHAR) AS example FROM ${staged.relation} AS staged WHERE (${predicate}) IS NOT TRUE`
  )
  const bad = Number(rows[0]!.bad)
  if (bad > 0) {
    throw new DeltaError('INVALID_ARGUMENT', `DELTA_REPLACE_WHERE_MISMATCH: ${bad} written row(s) do not satisfy replaceWhere '${predicate}', e.g. ${String(rows[0]!.example)}`, { predicate, rows: bad })
  }
}

/** Which files an overwrite replaces, and what it read while deciding. */
async function planReplacement(snapshot: Snapshot, port: ParquetPort, tableRoot: string, replaceWhere: string | undefined): Promise<Replacement> {
  if (replaceWhere === undefined) {
    return { removes: snapshot.files, rewritten: null, readPredicates: [], readFiles: snapshot.files, readWholeTable: true }
  }
  if (await isPartitionOnlyPredicate(port, snapshot.schema, snapshot.partitionColumns, replaceWhere)) {
    const hits = await partitionPredicateMatches(port, snapshot.schema, snapshot.partitionColumns, snapshot.files, replaceWhere)
    const removes = snapshot.files.filter((_, i) => hits[i])
    return { removes, rewritten: null, readPredicates: [partitionReadPredicate(port, snapshot.schema, snapshot.partitionColumns, replaceWhere)], readFiles: removes, readWholeTable: false }
  }
  // Data predicate: copy-on-write, like DELETE WHERE replaceWhere, scanning only the files stats cannot rule out.
  const candidates = await filesThatMayMatch(snapshot, port, replaceWhere)
  const matches = await filesWithMatchingRows(snapshot, port, candidates, replaceWhere)
  const partial = matches.filter((m) => m.matched < m.total).map((m) => m.file)
  let rewritten: WrittenFiles | null = null
  if (partial.length > 0) {
    const keep = `(${await rowsToKeepSql(snapshot, port, partial, replaceWhere)})`
    rewritten = await writeDataFiles(port, { tableRoot, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, relation: keep, configuration: snapshot.metadata.configuration })
  }
  const deletedRows = matches.reduce((n, m) => n + m.matched, 0)
  return {
    removes: matches.map((m) => m.file), rewritten, readPredicates: [conservativeReadPredicate(replaceWhere)], readFiles: candidates,
    readWholeTable: false, deletedRows, copiedRows: rewritten?.numOutputRows ?? 0
  }
}

/** What a source query that reads the target table read, for conflict detection. */
async function planSourceRead(snapshot: Snapshot, port: ParquetPort, predicate: string | undefined): Promise<Pick<Replacement, 'readPredicates' | 'readFiles' | 'readWholeTable'>> {
  if (predicate === undefined) return { readPredicates: [], readFiles: snapshot.files, readWholeTable: true }
  if (await isPartitionOnlyPredicate(port, snapshot.schema, snapshot.partitionColumns, predicate)) {
    const hits = await partitionPredicateMatches(port, snapshot.schema, snapshot.partitionColumns, snapshot.files, predicate)
    return { readPredicates: [partitionReadPredicate(port, snapshot.schema, snapshot.partitionColumns, predicate)], readFiles: snapshot.files.filter((_, i) => hits[i]), readWholeTable: false }
  }
  return { readPredicates: [conservativeReadPredicate(predicate)], readFiles: snapshot.files, readWholeTable: false }
}

/**
 * Writes the rows of `args.sourceSql` to the table read as `snapshot`: append adds files (a blind append); overwrite
 * removes every live file; overwrite + replaceWhere removes the files whose rows may match (by partition values for a
 * partition-only predicate, else copy-on-write) after checking every new row satisfies the predicate. One commit.
 * @throws DeltaError SCHEMA_MISMATCH / INVALID_ARGUMENT for rows that do not fit the schema or the replaceWhere,
 *   INVALID_ARGUMENT for overwriting an append-only table, UNSUPPORTED_FEATURE for tables we cannot write, and the
 *   conflict codes of commitTransaction.
 */
export async function writeToTable(store: LogStore, port: ParquetPort, snapshot: Snapshot, args: WriteArgs, options: CommitOptions): Promise<CommitResult> {
  assertWritable(snapshot.protocol, snapshot.metadata, snapshot.schema)
  if (args.mode !== 'append' && args.mode !== 'overwrite') throw new DeltaError('INVALID_ARGUMENT', `write mode must be 'append' or 'overwrite', got '${String(args.mode)}'`)
  if (args.replaceWhere !== undefined && args.mode !== 'overwrite') throw new DeltaError('INVALID_ARGUMENT', 'replaceWhere needs mode overwrite')
  if (args.txn) {
    const seen = snapshot.txns.get(args.txn.appId)
    if (seen && seen.version >= args.txn.version) return { version: snapshot.version, skipped: true, metrics: {}, retries: 0 }
  }
  const overwrite = args.mode === 'overwrite'
  if (overwrite) assertNotAppendOnly(snapshot.metadata, args.replaceWhere ? `overwrite with replaceWhere '${args.replaceWhere}'` : 'overwrite')
  const tableRoot = snapshot.tableRoot
  if (args.replaceWhere !== undefined) await assertPredicateBinds(port, snapshot.schema, args.replaceWhere, 'replaceWhere')
  if (args.sourceReadsTable?.predicate !== undefined) await assertPredicateBinds(port, snapshot.schema, args.sourceReadsTable.predicate, 'sourceReadsTable.predicate')

  const staged = await stageSource(port, args.sourceSql, snapshot.schema)
  const writtenFiles: string[] = []
  const toAbsolute = (adds: AddFile[]) => adds.map((a) => path.join(tableRoot, decodeLogPath(a.path)))
  try {
    if (args.replaceWhere !== undefined) await assertRowsSatisfy(port, staged, args.replaceWhere)
    const written = await writeDataFiles(port, { tableRoot, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, relation: staged.relation, configuration: snapshot.metadata.configuration })
    writtenFiles.push(...toAbsolute(written.adds))
    const replacement = overwrite ? await planReplacement(snapshot, port, tableRoot, args.replaceWhere) : null
    if (replacement?.rewritten) writtenFiles.push(...toAbsolute(replacement.rewritten.adds))

    const now = options.clock.now()
    const actions: Action[] = []
    if (args.txn) actions.push({ txn: { appId: args.txn.appId, version: args.txn.version, lastUpdated: now } })
    for (const r of replacement?.removes ?? []) actions.push({ remove: removeOf(r, now) })
    for (const add of [...written.adds, ...(replacement?.rewritten?.adds ?? [])]) actions.push({ add })

    const metrics: Record<string, number> = {
      numFiles: written.adds.length,
      numOutputRows: written.numOutputRows,
      numOutputBytes: written.numOutputBytes,
      numAddedFiles: written.adds.length + (replacement?.rewritten?.adds.length ?? 0),
      numRemovedFiles: replacement?.removes.length ?? 0,
      numRemovedBytes: (replacement?.removes ?? []).reduce((n, f) => n + f.size, 0)
    }
    if (replacement?.deletedRows !== undefined) {
      metrics.numDeletedRows = replacement.deletedRows
      metrics.numCopiedRows = replacement.copiedRows ?? 0
    } else if (replacement) {
      const counts = replacement.removes.map(statsRowCount)
      if (counts.every((c) => c !== null)) metrics.numDeletedRows = counts.reduce((n: number, c) => n + c!, 0)
    }
    const parameters: Record<string, unknown> = { mode: overwrite ? 'Overwrite' : 'Append', partitionBy: JSON.stringify(snapshot.partitionColumns) }
    if (args.replaceWhere !== undefined) parameters.predicate = JSON.stringify(args.replaceWhere)
    if (args.operationParameters) Object.assign(parameters, args.operationParameters)
    const sourceRead = args.sourceReadsTable ? await planSourceRead(snapshot, port, args.sourceReadsTable.predicate) : null
    const blind = !overwrite && !sourceRead
    const readFiles = [...(replacement?.readFiles ?? []), ...(sourceRead?.readFiles ?? [])]
    const tx: PreparedTransaction = {
      readSnapshot: snapshot,
      actions,
      operation: args.operation ?? 'WRITE',
      operationParameters: parameters,
      operationMetrics: metrics,
      footprint: {
        isolationLevel: blind ? 'Serializable' : 'WriteSerializable',
        isBlindAppend: blind,
        readWholeTable: (replacement?.readWholeTable ?? false) || (sourceRead?.readWholeTable ?? false),
        readPredicates: [...(replacement?.readPredicates ?? []), ...(sourceRead?.readPredicates ?? [])],
        readFiles: new Set(readFiles.map((f) => f.path)),
        readAppIds: new Set(args.txn ? [args.txn.appId] : []),
        removedFiles: new Set((replacement?.removes ?? []).map((f) => f.path)),
        changesMetadata: false,
        changesProtocol: false
      },
      writtenFiles
    }
    const committed = await commitTransaction(store, port, tx, options)
    return { version: committed.version, metrics, retries: committed.retries }
  } catch (e) {
    // commitTransaction cleans up after a failed commit; this covers failures before it (replaceWhere check, rewrite).
    await Promise.all(writtenFiles.map((f) => fs.rm(f, { force: true }).catch(() => undefined)))
    throw e
  } finally {
    await staged.drop()
  }
}
