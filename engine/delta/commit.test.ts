import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { parseActions } from './actions'
import { commitTransaction, type CommitOptions } from './commit'
import { DeltaTable } from './deltaTable'
import { DeltaError } from './errors'
import { loadSnapshot } from './logReplay'
import { commitFileName, LogStore } from './logStore'
import { deleteFromTable } from './operations/delete'
import { writeToTable } from './operations/write'
import { scanSql } from './scan'
import type { StructType } from './schema'
import { field } from './typeMapping'

const schema: StructType = { type: 'struct', fields: [field('id', 'long'), field('part', 'string')] }
const options: CommitOptions = { clock: { now: () => Date.now() }, engineInfo: 'Lakebench/test' }

describe('optimistic commits', () => {
  let port: DuckdbSession
  let dir: string
  let n = 0
  const fresh = () => path.join(dir, `t${n++}`)
  const parquetFiles = async (root: string): Promise<string[]> => {
    const out: string[] = []
    for (const entry of await fs.readdir(root, { recursive: true })) if (String(entry).endsWith('.parquet') && !String(entry).startsWith('_delta_log')) out.push(String(entry))
    return out.sort()
  }

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-commit-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('retries a blind append at latest+1 after losing the race, keeping the original readVersion', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id` })
    await table.write({ mode: 'append', sourceSql: `SELECT 2 AS id` })
    const result = await writeToTable(store, port, stale, { mode: 'append', sourceSql: 'SELECT 3 AS id' }, options)
    expect(result).toMatchObject({ version: 3, retries: 1 })
    const info = parseActions(await store.read(commitFileName(3)))[0]
    expect(info).toMatchObject({ commitInfo: { readVersion: 0, operation: 'WRITE' } })
    const rows = await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3])
  })

  it('reports a commit that landed before an error as committed, and keeps its data files', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id` })
    // The commit file is linked, then the clean-up after it fails (as an unlink or directory sync can).
    class FailsAfterLink extends LogStore {
      override async writeCommitIfAbsent(version: number, content: string): Promise<void> {
        await super.writeCommitIfAbsent(version, content)
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
      }
    }
    const flaky = new FailsAfterLink(root)
    const result = await writeToTable(flaky, port, await loadSnapshot(flaky, port), { mode: 'append', sourceSql: 'SELECT 2 AS id' }, options)
    expect(result.version).toBe(2)
    const rows = await port.query(`SELECT id FROM (${await scanSql(await loadSnapshot(new LogStore(root), port), port)}) ORDER BY id`)
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2])
    // A failure before the link is still a failure, and its files are removed.
    class FailsBeforeLink extends LogStore {
      override async writeCommitIfAbsent(): Promise<void> {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
      }
    }
    const before = await parquetFiles(root)
    const full = new FailsBeforeLink(root)
    await expect(writeToTable(full, port, await loadSnapshot(full, port), { mode: 'append', sourceSql: 'SELECT 3 AS id' }, options)).rejects.toThrow(/ENOSPC/)
    expect(await parquetFiles(root)).toEqual(before)
  })

  it('fails an append whose source read files that a concurrent delete removed, and removes its orphan files', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id, 'a' AS part` })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    const readFile = stale.files[0]!.path
    await table.delete('id = 1')
    const filesBefore = await parquetFiles(root)
    // INSERT INTO t SELECT id + 10 FROM t, planned on the stale snapshot.
    const error = await writeToTable(store, port, stale, {
      mode: 'append', sourceSql: `SELECT id + 10 AS id FROM (${await scanSql(stale, port)})`, sourceReadsTable: {}
    }, options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeltaError)
    expect((error as DeltaError).code).toBe('CONCURRENT_DELETE_READ')
    expect((error as DeltaError).message).toBe(`ConcurrentDeleteReadException: a concurrent DELETE at version 2 removed file ${readFile} that this operation read; please try the operation again`)
    expect(await parquetFiles(root)).toEqual(filesBefore)
    expect((await table.snapshot()).version).toBe(2)
  })

  it('fails an overwrite that lost to a delete of the files it replaces', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id` })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    await table.delete()
    await expect(writeToTable(store, port, stale, { mode: 'overwrite', sourceSql: 'SELECT 9 AS id' }, options)).rejects.toMatchObject({ code: 'CONCURRENT_DELETE_READ' })
  })

  it('fails a delete that lost to another delete of the same file', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    await table.write({ mode: 'append', sourceSql: `SELECT range AS id FROM range(4)` })
    await table.write({ mode: 'append', sourceSql: `SELECT range + 10 AS id FROM range(4)` })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    // The winner removes the first file whole (no rewrite), so the loser sees its read file deleted.
    await table.delete('id < 4')
    await expect(deleteFromTable(store, port, stale, 'id = 3', options)).rejects.toMatchObject({ code: 'CONCURRENT_DELETE_READ' })
    // A winner that rewrote the file (copy-on-write) added a file our predicate would read: Spark reports that first.
    const stale2 = await loadSnapshot(store, port)
    await table.delete('id = 10')
    await expect(deleteFromTable(store, port, stale2, 'id = 11', options)).rejects.toMatchObject({ code: 'CONCURRENT_APPEND' })
  })

  it('lets a partition-scoped delete commit past a concurrent write to another partition', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema, partitionColumns: ['part'] })
    await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, part)` })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    await table.write({ mode: 'overwrite', replaceWhere: `part = 'b'`, sourceSql: `SELECT 3 AS id, 'b' AS part` })
    const result = await deleteFromTable(store, port, stale, `part = 'a'`, options)
    expect(result).toMatchObject({ version: 3, retries: 1 })
    const rows = await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)
    expect(rows.map((r) => Number(r.id))).toEqual([3])
    // The same delete scoped to the partition the winner rewrote conflicts.
    const stale2 = await loadSnapshot(store, port, { version: 1 })
    await expect(deleteFromTable(store, port, stale2, `part = 'b'`, options)).rejects.toMatchObject({ code: 'CONCURRENT_APPEND' })
  })

  it('fails two writers of the same txn appId with CONCURRENT_TRANSACTION', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id', txn: { appId: 'stream', version: 5 } })
    await expect(writeToTable(store, port, stale, { mode: 'append', sourceSql: 'SELECT 2 AS id', txn: { appId: 'stream', version: 6 } }, options))
      .rejects.toMatchObject({ code: 'CONCURRENT_TRANSACTION' })
  })

  it('gives up with CONCURRENT_MODIFICATION when retries are exhausted', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema })
    const store = new LogStore(root)
    const stale = await loadSnapshot(store, port)
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id' })
    const tx = {
      readSnapshot: stale, actions: [], operation: 'WRITE', operationParameters: {}, operationMetrics: {},
      footprint: { isolationLevel: 'Serializable' as const, isBlindAppend: true, readWholeTable: false, readPredicates: [], readFiles: new Set<string>(), readAppIds: new Set<string>(), removedFiles: new Set<string>(), changesMetadata: false, changesProtocol: false }
    }
    await expect(commitTransaction(store, port, tx, { ...options, maxRetries: 0 })).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' })
    expect(await commitTransaction(store, port, tx, options)).toMatchObject({ version: 2, retries: 1 })
  })

  it('lets exactly one of five concurrent creates have version 0', async () => {
    const root = fresh()
    const ports = await Promise.all([0, 1, 2, 3, 4].map(() => DuckdbSession.create({ threads: 1 })))
    try {
      const outcomes = await Promise.allSettled(ports.map((p, i) => DeltaTable.create(root, p, { schema, description: `creator ${i}` })))
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'TABLE_ALREADY_EXISTS', message: expect.stringContaining('already exists') })
      }
      const names = await fs.readdir(path.join(root, '_delta_log'))
      expect(names).toEqual([commitFileName(0)])
      const actions = parseActions(await fs.readFile(path.join(root, '_delta_log', commitFileName(0)), 'utf8'))
      expect(actions.filter((a) => 'metaData' in a)).toHaveLength(1)
    } finally {
      for (const p of ports) p.close()
    }
  })
})
