import { describe, expect, it } from 'vitest'
import type { Action, AddFile, Protocol, RemoveFile } from './actions'
import { checkConflicts, type TransactionFootprint } from './conflictChecker'
import { DeltaError, type DeltaErrorCode } from './errors'

const PROTOCOL: Protocol = { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['appendOnly', 'inCommitTimestamp'] }

function add(path: string, partitionValues: Record<string, string | null> = {}, dataChange = true): AddFile {
  return { path, partitionValues, size: 10, modificationTime: 1, dataChange }
}
function remove(path: string, dataChange = true): RemoveFile {
  return { path, dataChange, deletionTimestamp: 1, extendedFileMetadata: true, partitionValues: {}, size: 10 }
}
function commit(operation: string, isBlindAppend: boolean, ...actions: Action[]): Action[] {
  return [{ commitInfo: { operation, isBlindAppend } }, ...actions]
}

/** Partition-equality read predicate, as `p = '<value>'` on the partition values. */
function partitionIs(column: string, value: string | null) {
  return { description: `${column} = ${value}`, matches: (files: readonly AddFile[]) => files.map((f) => (f.partitionValues[column] ?? null) === value) }
}

const blindAppend: Partial<TransactionFootprint> = { isBlindAppend: true, isolationLevel: 'Serializable' }

function footprint(over: Partial<TransactionFootprint>): TransactionFootprint {
  return {
    readVersion: 4,
    readProtocol: PROTOCOL,
    isolationLevel: 'WriteSerializable',
    isBlindAppend: false,
    readWholeTable: false,
    readPredicates: [],
    readFiles: new Set(),
    readAppIds: new Set(),
    removedFiles: new Set(),
    changesMetadata: false,
    changesProtocol: false,
    ...over
  }
}

interface Case {
  name: string
  ours: Partial<TransactionFootprint>
  winner: Action[]
  conflict: DeltaErrorCode | null
}

const metadataAction: Action = { metaData: { id: 'x', format: { provider: 'parquet', options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [], configuration: {} } }

const cases: Case[] = [
  { name: 'append / append', ours: blindAppend, winner: commit('WRITE', true, { add: add('b.parquet') }), conflict: null },
  { name: 'append / delete of a file we never read', ours: blindAppend, winner: commit('DELETE', false, { remove: remove('a.parquet') }), conflict: null },
  { name: 'append with txn / append with another appId', ours: { ...blindAppend, readAppIds: new Set(['stream-1']) }, winner: commit('WRITE', true, { txn: { appId: 'stream-2', version: 3 } }, { add: add('b.parquet') }), conflict: null },
  { name: 'same txn appId committed concurrently', ours: { ...blindAppend, readAppIds: new Set(['stream-1']) }, winner: commit('WRITE', true, { txn: { appId: 'stream-1', version: 3 } }, { add: add('b.parquet') }), conflict: 'CONCURRENT_TRANSACTION' },
  { name: 'disjoint partitions: read p=1, winner overwrote p=2', ours: { readPredicates: [partitionIs('p', '1')], readFiles: new Set(['p=1/a.parquet']) }, winner: commit('WRITE', false, { remove: remove('p=2/x.parquet') }, { add: add('p=2/y.parquet', { p: '2' }) }), conflict: null },
  { name: 'same partition: read p=1, winner (non-blind) added to p=1', ours: { readPredicates: [partitionIs('p', '1')] }, winner: commit('WRITE', false, { remove: remove('p=1/old.parquet', true) }, { add: add('p=1/y.parquet', { p: '1' }) }), conflict: 'CONCURRENT_APPEND' },
  { name: 'read p=1, winner blind-appended to p=1 (WriteSerializable ignores blind appends)', ours: { readPredicates: [partitionIs('p', '1')] }, winner: commit('WRITE', true, { add: add('p=1/y.parquet', { p: '1' }) }), conflict: null },
  { name: 'read p=1 under Serializable, winner blind-appended to p=1', ours: { isolationLevel: 'Serializable', readPredicates: [partitionIs('p', '1')] }, winner: commit('WRITE', true, { add: add('p=1/y.parquet', { p: '1' }) }), conflict: 'CONCURRENT_APPEND' },
  { name: 'read null partition, winner added to the null partition', ours: { readPredicates: [partitionIs('p', null)] }, winner: commit('MERGE', false, { add: add('p=__HIVE_DEFAULT_PARTITION__/y.parquet', { p: null }) }), conflict: 'CONCURRENT_APPEND' },
  { name: 'read whole table, winner non-blind add', ours: { readWholeTable: true }, winner: commit('UPDATE', false, { add: add('c.parquet') }), conflict: 'CONCURRENT_APPEND' },
  { name: 'overwrite / blind append (WriteSerializable)', ours: { readWholeTable: true, readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('WRITE', true, { add: add('c.parquet') }), conflict: null },
  { name: 'overwrite / blind append while we change metadata', ours: { readWholeTable: true, changesMetadata: true }, winner: commit('WRITE', true, { add: add('c.parquet') }), conflict: 'CONCURRENT_APPEND' },
  // Spark checks added files before removed ones, so an overwrite that lost to another overwrite sees the new file first.
  { name: 'overwrite / overwrite', ours: { readWholeTable: true, readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('WRITE', false, { remove: remove('a.parquet') }, { add: add('d.parquet') }), conflict: 'CONCURRENT_APPEND' },
  { name: 'overwrite / delete everything', ours: { readWholeTable: true, readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('a.parquet') }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'read whole table, winner removed a file we did not list', ours: { readWholeTable: true }, winner: commit('DELETE', false, { remove: remove('z.parquet') }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'read file a, winner deleted a', ours: { readFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('a.parquet') }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'read file a, winner deleted b', ours: { readFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('b.parquet') }), conflict: null },
  { name: 'read file a, winner compacted a (dataChange=false)', ours: { readFiles: new Set(['a.parquet']) }, winner: commit('OPTIMIZE', false, { remove: remove('a.parquet', false) }, { add: add('ab.parquet', {}, false) }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'read whole table, winner only added dataChange=false files', ours: { readWholeTable: true }, winner: commit('OPTIMIZE', false, { add: add('ab.parquet', {}, false) }), conflict: null },
  { name: 'delete / delete of the same file, nothing read', ours: { removedFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('a.parquet') }), conflict: 'CONCURRENT_DELETE_DELETE' },
  { name: 'delete / delete of different files', ours: { readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('b.parquet') }), conflict: null },
  { name: 'paths compared decoded: read a%20b, winner removed "a b"', ours: { readFiles: new Set(['p=x%20y/a.parquet']) }, winner: commit('DELETE', false, { remove: remove('p=x y/a.parquet') }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'winner changed metadata, we blind-append', ours: blindAppend, winner: commit('ADD COLUMNS', false, metadataAction), conflict: 'METADATA_CHANGED' },
  { name: 'winner changed metadata, we delete', ours: { readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('SET TBLPROPERTIES', false, metadataAction), conflict: 'METADATA_CHANGED' },
  { name: 'winner upgraded the protocol, we blind-append', ours: blindAppend, winner: commit('UPGRADE PROTOCOL', false, { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } }), conflict: 'PROTOCOL_CHANGED' },
  { name: 'winner restated the same protocol', ours: blindAppend, winner: commit('WRITE', true, { protocol: { ...PROTOCOL, writerFeatures: ['inCommitTimestamp', 'appendOnly'] } }), conflict: null },
  { name: 'both change the protocol', ours: { ...blindAppend, changesProtocol: true }, winner: commit('UPGRADE PROTOCOL', false, { protocol: PROTOCOL }), conflict: 'PROTOCOL_CHANGED' },
  { name: 'protocol is checked before metadata', ours: blindAppend, winner: commit('REPLACE TABLE', false, { protocol: { minReaderVersion: 2, minWriterVersion: 5 } }, metadataAction), conflict: 'PROTOCOL_CHANGED' },
  { name: 'delete-read is reported before delete-delete', ours: { readFiles: new Set(['a.parquet']), removedFiles: new Set(['a.parquet']) }, winner: commit('DELETE', false, { remove: remove('a.parquet') }), conflict: 'CONCURRENT_DELETE_READ' },
  { name: 'commit without commitInfo is not assumed blind', ours: { readWholeTable: true }, winner: [{ add: add('e.parquet') }], conflict: 'CONCURRENT_APPEND' }
]

describe('checkConflicts (conflict matrix)', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
  })

  it.each(cases)('$name -> $conflict', async ({ ours, winner, conflict }) => {
    const outcome = await checkConflicts(footprint(ours), { version: 5, actions: winner }).then(() => null, (e: unknown) => e)
    if (conflict === null) {
      expect(outcome).toBeNull()
    } else {
      expect(outcome).toBeInstanceOf(DeltaError)
      expect((outcome as DeltaError).code).toBe(conflict)
      expect((outcome as DeltaError).detail.winningVersion).toBe(5)
    }
  })

  it('names the exception, operation, version and file like Spark', async () => {
    const error = await checkConflicts(footprint({ readFiles: new Set(['part-00000-abc-c000.snappy.parquet']) }), {
      version: 7,
      actions: commit('DELETE', false, { remove: remove('part-00000-abc-c000.snappy.parquet') })
    }).catch((e: DeltaError) => e)
    expect((error as DeltaError).message).toBe(
      'ConcurrentDeleteReadException: a concurrent DELETE at version 7 removed file part-00000-abc-c000.snappy.parquet that this operation read; please try the operation again'
    )
  })

  it('names the partition of a concurrent append', async () => {
    const error = await checkConflicts(footprint({ readPredicates: [partitionIs('p', 'x')] }), {
      version: 9,
      actions: commit('WRITE', false, { add: add('p=x/f.parquet', { p: 'x' }) })
    }).catch((e: DeltaError) => e)
    expect((error as DeltaError).message).toContain('ConcurrentAppendException: files were added to partition [p=x] by a concurrent WRITE at version 9')
  })
})
