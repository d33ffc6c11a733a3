// DELETE: copy-on-write removal of the rows matching a predicate (or of every row), as one atomic commit.
import { rewriteFootprint } from './rewriteFootprint'
import path from 'node:path'
import type { Action, AddFile } from '../actions'
import { commitTransaction, type CommitOptions, type CommitResult } from '../commit'
import type { ReadPredicate } from '../conflictChecker'
import { writeDataFiles, type WrittenFiles } from '../dataFileWriter'
import type { LogStore } from '../logStore'
import type { ParquetPort } from '../parquetPort'
import { decodeLogPath } from '../partitionValues'
import { scanSql } from '../scan'
import type { Snapshot } from '../snapshot'
import { assertNotAppendOnly, assertWritable } from '../writeSupport'
import {
  assertPredicateBinds, conservativeReadPredicate, filesThatMayMatch, filesWithMatchingRows, isPartitionOnlyPredicate, partitionPredicateMatches, partitionReadPredicate,
  removeOf, rowsToKeepSql, statsRowCount, type FileMatch
} from './matchingFiles'

async function countRows(snapshot: Snapshot, port: ParquetPort, files: AddFile[]): Promise<number> {
  const fromStats = files.map(statsRowCount)
  if (fromStats.every((n) => n !== null)) return fromStats.reduce((a: number, n) => a + n!, 0)
  if (files.length === 0) return 0
  const rows = await port.query(`SELECT count(*) AS n FROM (${await scanSql(snapshot, port, { files })}) AS scanned`)
  return Number(rows[0]!.n)
}

/**
 * Deletes the rows where `predicateSql` is TRUE (all rows when absent) from the table read as `snapshot`. Files whose
 * rows all match are removed; files with some matching rows are rewritten without them (NULL keeps the row) and
 * removed. A partition-only predicate decides by partition values alone; otherwise files that partition values and
 * column stats prove cannot match are skipped before the scan (see filesThatMayMatch). Nothing to delete writes no commit
 * (`skipped: true`, the read version).
 * @throws DeltaError INVALID_ARGUMENT for an append-only table, UNSUPPORTED_FEATURE for tables we cannot write,
 *   the conflict codes of commitTransaction; Error from DuckDB for a predicate that does not bind.
 */
export async function deleteFromTable(store: LogStore, port: ParquetPort, snapshot: Snapshot, predicateSql: string | undefined, options: CommitOptions): Promise<CommitResult> {
  assertWritable(snapshot.protocol, snapshot.metadata, snapshot.schema)
  assertNotAppendOnly(snapshot.metadata, 'DELETE')
  const predicate = predicateSql?.trim() ? predicateSql.trim() : undefined
  const tableRoot = snapshot.tableRoot
  if (predicate !== undefined) await assertPredicateBinds(port, snapshot.schema, predicate, 'DELETE predicate')

  let matches: FileMatch[]
  let readPredicates: ReadPredicate[] = []
  let readFiles: AddFile[]
  let readWholeTable = false
  if (predicate === undefined) {
    readWholeTable = true
    readFiles = snapshot.files
    matches = await Promise.all(snapshot.files.map(async (file) => {
      const n = await countRows(snapshot, port, [file])
      return { file, matched: n, total: n }
    }))
  } else if (await isPartitionOnlyPredicate(port, snapshot.schema, snapshot.partitionColumns, predicate)) {
    const hits = await partitionPredicateMatches(port, snapshot.schema, snapshot.partitionColumns, snapshot.files, predicate)
    readFiles = snapshot.files.filter((_, i) => hits[i])
    readPredicates = [partitionReadPredicate(port, snapshot.schema, snapshot.partitionColumns, predicate)]
    matches = []
    for (const file of readFiles) {
      const n = await countRows(snapshot, port, [file])
      matches.push({ file, matched: n, total: n })
    }
  } else {
    // Files whose partition values or stats rule the predicate out are neither scanned nor rewritten.
    readFiles = await filesThatMayMatch(snapshot, port, predicate)
    readPredicates = [conservativeReadPredicate(predicate)]
    matches = await filesWithMatchingRows(snapshot, port, readFiles, predicate)
  }

  const removes = matches.map((m) => m.file)
  const metrics: Record<string, number> = {
    numRemovedFiles: removes.length,
    numAddedFiles: 0,
    numDeletedRows: matches.reduce((n, m) => n + m.matched, 0),
    numCopiedRows: 0,
    numRemovedBytes: removes.reduce((n, f) => n + f.size, 0),
    numAddedBytes: 0
  }
  if (removes.length === 0) return { version: snapshot.version, skipped: true, metrics, retries: 0 }

  const partial = matches.filter((m) => m.matched < m.total).map((m) => m.file)
  let rewritten: WrittenFiles = { adds: [], numOutputRows: 0, numOutputBytes: 0 }
  if (partial.length > 0 && predicate !== undefined) {
    const keep = `(${await rowsToKeepSql(snapshot, port, partial, predicate)})`
    rewritten = await writeDataFiles(port, { tableRoot, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, relation: keep, configuration: snapshot.metadata.configuration })
  }
  const writtenFiles = rewritten.adds.map((a) => path.join(tableRoot, decodeLogPath(a.path)))
  Object.assign(metrics, { numAddedFiles: rewritten.adds.length, numCopiedRows: rewritten.numOutputRows, numAddedBytes: rewritten.numOutputBytes })

  const now = options.clock.now()
  const actions: Action[] = [...removes.map((r) => ({ remove: removeOf(r, now) })), ...rewritten.adds.map((add) => ({ add }))]
  const committed = await commitTransaction(store, port, {
    readSnapshot: snapshot,
    actions,
    operation: 'DELETE',
    operationParameters: { predicate: JSON.stringify(predicate === undefined ? [] : [predicate]) },
    operationMetrics: metrics,
    footprint: rewriteFootprint({ removes, readFiles, readWholeTable, readPredicates }),
    writtenFiles
  }, options)
  return { version: committed.version, metrics, retries: committed.retries }
}
