import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { parseActions, type Action, type CommitInfo } from './actions'
import { DeltaTable, DEFAULT_ENGINE_INFO } from './deltaTable'
import { DeltaError } from './errors'
import { commitFileName } from './logStore'
import { scanSql } from './scan'
import type { StructType } from './schema'
import { field } from './typeMapping'

const people: StructType = { type: 'struct', fields: [field('id', 'long', false), field('name', 'string'), field('score', 'double')] }

describe('DeltaTable writes', () => {
  let port: DuckdbSession
  let dir: string
  let n = 0
  const fresh = () => path.join(dir, `t${n++}`)
  const rowsOf = async (table: DeltaTable, order = 'id'): Promise<Record<string, unknown>[]> =>
    port.query(`SELECT * FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY ${order}`)
  const commit = async (root: string, version: number): Promise<{ lines: string[]; actions: Action[] }> => {
    const text = await fs.readFile(path.join(root, '_delta_log', commitFileName(version)), 'utf8')
    return { lines: text.trim().split('\n'), actions: parseActions(text) }
  }
  const infoOf = (actions: Action[]) => (actions[0] as { commitInfo: CommitInfo }).commitInfo

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-table-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('creates version 0 with commitInfo first, protocol with in-commit timestamps, and metaData', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people, partitionColumns: [], properties: { owner: 'qa' }, name: 'people', description: 'test table' }, { clock: { now: () => 1_700_000_000_000 } })
    const { lines, actions } = await commit(root, 0)
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['commitInfo'])
    const info = infoOf(actions)
    expect(info).toMatchObject({ inCommitTimestamp: 1_700_000_000_000, timestamp: 1_700_000_000_000, operation: 'CREATE TABLE', engineInfo: DEFAULT_ENGINE_INFO, isBlindAppend: true })
    expect(DEFAULT_ENGINE_INFO).toMatch(/^Lakebench\/\d+\.\d+\.\d+/)
    expect(info.operationParameters).toMatchObject({ partitionBy: '[]', properties: '{"owner":"qa"}', description: 'test table' })
    const protocol = actions.find((a) => 'protocol' in a) as { protocol: unknown }
    expect(protocol.protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['appendOnly', 'inCommitTimestamp'] })
    const { metaData } = actions.find((a) => 'metaData' in a) as Extract<Action, { metaData: unknown }>
    expect(metaData.configuration).toEqual({
      owner: 'qa',
      'delta.enableInCommitTimestamps': 'true',
      'delta.inCommitTimestampEnablementVersion': '0',
      'delta.inCommitTimestampEnablementTimestamp': '1700000000000'
    })
    expect(JSON.parse(metaData.schemaString)).toEqual(people)
    expect(metaData).toMatchObject({ name: 'people', description: 'test table', format: { provider: 'parquet', options: {} }, partitionColumns: [] })
    const snapshot = await table.snapshot()
    expect(snapshot.version).toBe(0)
    expect(snapshot.timestamp).toBe(1_700_000_000_000)
  })

  it('refuses to create over an existing table and to open a folder without one', async () => {
    const root = fresh()
    await DeltaTable.create(root, port, { schema: people })
    const error = await DeltaTable.create(root, port, { schema: people }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeltaError)
    expect((error as DeltaError).code).toBe('TABLE_ALREADY_EXISTS')
    expect((error as DeltaError).detail).toMatchObject({ tableRoot: path.resolve(root), version: 0 })
    expect((error as DeltaError).message).toContain('already exists')
    expect(await DeltaTable.exists(root)).toBe(true)
    expect(await DeltaTable.exists(fresh())).toBe(false)
    await expect(DeltaTable.open(fresh(), port)).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
  })

  it('adds timestampNtz as a reader+writer feature only for timestamp_ntz schemas, and round-trips both timestamp kinds', async () => {
    const root = fresh()
    const schema: StructType = { type: 'struct', fields: [field('at', 'timestamp'), field('local', 'timestamp_ntz')] }
    const table = await DeltaTable.create(root, port, { schema })
    const { actions } = await commit(root, 0)
    expect((actions.find((a) => 'protocol' in a) as { protocol: unknown }).protocol).toEqual({
      minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['appendOnly', 'inCommitTimestamp', 'timestampNtz']
    })
    await table.write({ mode: 'append', sourceSql: `SELECT TIMESTAMPTZ '2024-06-01 12:00:00+02' AS at, TIMESTAMP '2024-06-01 12:00:00' AS local` })
    const rows = await port.query(`SELECT strftime(timezone('UTC', "at"), '%Y-%m-%d %H:%M') AS "at", strftime("local", '%Y-%m-%d %H:%M') AS "local" FROM (${await scanSql(await table.snapshot(), port)})`)
    expect(rows).toEqual([{ at: '2024-06-01 10:00', local: '2024-06-01 12:00' }])
  })

  it('appends rows matched by name, fills missing nullable columns with NULL and records a Spark-like commitInfo', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people })
    const result = await table.write({ mode: 'append', sourceSql: `SELECT 'ann' AS NAME, 2::INTEGER AS id UNION ALL SELECT 'bob', 1` })
    expect(result).toMatchObject({ version: 1, retries: 0, metrics: { numFiles: 1, numOutputRows: 2, numAddedFiles: 1, numRemovedFiles: 0 } })
    expect(await rowsOf(table)).toEqual([{ id: 1n, name: 'bob', score: null }, { id: 2n, name: 'ann', score: null }])
    const { actions } = await commit(root, 1)
    const info = infoOf(actions)
    expect(info).toMatchObject({ operation: 'WRITE', operationParameters: { mode: 'Append', partitionBy: '[]' }, readVersion: 0, isBlindAppend: true, isolationLevel: 'Serializable' })
    expect(info.operationMetrics).toMatchObject({ numFiles: '1', numOutputRows: '2', numOutputBytes: String(result.metrics.numOutputBytes) })
    expect(info.txnId).toMatch(/^[0-9a-f-]{36}$/)
    const add = (actions.find((a) => 'add' in a) as Extract<Action, { add: unknown }>).add
    expect(JSON.parse(add.stats!)).toEqual({ numRecords: 2, minValues: { id: 1, name: 'ann' }, maxValues: { id: 2, name: 'bob' }, nullCount: { id: 0, name: 0, score: 2 } })
  })

  it('rejects rows that do not fit the schema, naming the column', async () => {
    const table = await DeltaTable.create(fresh(), port, { schema: people })
    const attempt = (sql: string) => table.write({ mode: 'append', sourceSql: sql }).then(() => { throw new Error('write succeeded') }, (e: unknown) => e as DeltaError)
    const extra = await attempt(`SELECT 1 AS id, 'x' AS nickname`)
    expect(extra).toMatchObject({ code: 'SCHEMA_MISMATCH', detail: { column: 'nickname' } })
    expect(extra.message).toContain("column 'nickname'")
    expect(await attempt(`SELECT 'abc' AS id`)).toMatchObject({ code: 'SCHEMA_MISMATCH', detail: { column: 'id', example: 'abc' } })
    expect(await attempt(`SELECT {'a': 1} AS score, 1 AS id`)).toMatchObject({ code: 'SCHEMA_MISMATCH', detail: { column: 'score' } })
    expect(await attempt(`SELECT 'x' AS name`)).toMatchObject({ code: 'SCHEMA_MISMATCH', detail: { column: 'id' } })
    const nullId = await attempt(`SELECT NULL::BIGINT AS id UNION ALL SELECT 4`)
    expect(nullId).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { column: 'id', rows: 1 } })
    expect(nullId.message).toContain('NOT NULL')
    expect((await table.snapshot()).version).toBe(0)
    expect((await fs.readdir(table.root)).filter((f) => f.endsWith('.parquet'))).toEqual([])
  })

  it('overwrites every row and records remove actions with extended file metadata', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people }, { clock: { now: () => 5_000 } })
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id, 'a' AS name` })
    const before = (await table.snapshot()).files[0]!
    const result = await table.write({ mode: 'overwrite', sourceSql: `SELECT 7 AS id, 'z' AS name, 0.5 AS score` })
    expect(result.metrics).toMatchObject({ numRemovedFiles: 1, numAddedFiles: 1, numOutputRows: 1, numDeletedRows: 1 })
    expect(await rowsOf(table)).toEqual([{ id: 7n, name: 'z', score: 0.5 }])
    const { actions } = await commit(root, 2)
    expect(infoOf(actions)).toMatchObject({ operationParameters: { mode: 'Overwrite' }, isBlindAppend: false, isolationLevel: 'WriteSerializable' })
    const removes = actions.filter((a): a is Extract<Action, { remove: unknown }> => 'remove' in a).map((a) => a.remove)
    expect(removes).toHaveLength(1)
    expect(removes[0]).toMatchObject({ path: before.path, deletionTimestamp: 5_000, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: before.size })
  })

  it('overwrites by partition with a partition-only replaceWhere and refuses rows outside it', async () => {
    const schema: StructType = { type: 'struct', fields: [field('id', 'integer'), field('region', 'string')] }
    const table = await DeltaTable.create(fresh(), port, { schema, partitionColumns: ['region'] })
    await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (1, 'eu'), (2, 'eu'), (3, 'us'), (4, NULL)) t(id, region)` })
    const usFile = (await table.snapshot()).files.find((f) => f.partitionValues.region === 'us')!.path
    const result = await table.write({ mode: 'overwrite', replaceWhere: `region = 'eu'`, sourceSql: `SELECT 10 AS id, 'eu' AS region` })
    expect(result.metrics).toMatchObject({ numRemovedFiles: 1, numAddedFiles: 1 })
    expect(await rowsOf(table)).toEqual([{ id: 3, region: 'us' }, { id: 4, region: null }, { id: 10, region: 'eu' }])
    expect((await table.snapshot()).files.map((f) => f.path)).toContain(usFile)
    const bad = await table.write({ mode: 'overwrite', replaceWhere: `region = 'eu'`, sourceSql: `SELECT 11 AS id, 'us' AS region` }).then(() => { throw new Error('write succeeded') }, (e: unknown) => e as DeltaError)
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(bad.message).toContain('DELTA_REPLACE_WHERE_MISMATCH')
    expect(bad.message).toContain("region = 'eu'")
    expect((await table.snapshot()).version).toBe(2)
  })

  it('overwrites by a data predicate with copy-on-write (replaceWhere on a non-partition column)', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people })
    await table.write({ mode: 'append', sourceSql: `SELECT range AS id, 'old' AS name FROM range(1, 6)` })
    const result = await table.write({ mode: 'overwrite', replaceWhere: 'id <= 2', sourceSql: `SELECT 2 AS id, 'new' AS name` })
    expect(result.metrics).toMatchObject({ numDeletedRows: 2, numCopiedRows: 3, numRemovedFiles: 1, numAddedFiles: 2 })
    expect((await rowsOf(table)).map((r) => [r.id, r.name])).toEqual([[2n, 'new'], [3n, 'old'], [4n, 'old'], [5n, 'old']])
    expect(infoOf((await commit(root, 2)).actions).operationParameters).toMatchObject({ mode: 'Overwrite', predicate: '"id <= 2"' })
  })

  it('deletes by predicate with copy-on-write, keeping rows where the predicate is NULL', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people })
    await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (1, 'a', 1.0), (2, 'b', NULL), (3, 'c', 9.0)) t(id, name, score)` })
    await table.write({ mode: 'append', sourceSql: `SELECT 4 AS id, 'd' AS name, 8.0 AS score` })
    const fileOfFour = (await table.snapshot()).files[1]!.path
    const result = await table.delete('score > 5')
    expect(result.metrics).toMatchObject({ numDeletedRows: 2, numCopiedRows: 2, numRemovedFiles: 2, numAddedFiles: 1 })
    expect((await rowsOf(table)).map((r) => r.id)).toEqual([1n, 2n])
    const { actions } = await commit(root, 3)
    expect(infoOf(actions)).toMatchObject({ operation: 'DELETE', operationParameters: { predicate: '["score > 5"]' }, isBlindAppend: false })
    expect(actions.filter((a) => 'remove' in a).map((a) => (a as Extract<Action, { remove: unknown }>).remove.path).sort()).toContain(fileOfFour)
    // Nothing matches: no commit.
    expect(await table.delete('id > 100')).toMatchObject({ version: 3, skipped: true, metrics: { numDeletedRows: 0 } })
    // No predicate: everything goes, files are removed whole.
    const all = await table.delete()
    expect(all.metrics).toMatchObject({ numDeletedRows: 2, numAddedFiles: 0, numRemovedFiles: 1 })
    expect(await rowsOf(table)).toEqual([])
  })

  it('deletes whole partitions without rewriting files for a partition-only predicate', async () => {
    const schema: StructType = { type: 'struct', fields: [field('id', 'integer'), field('day', 'date')] }
    const table = await DeltaTable.create(fresh(), port, { schema, partitionColumns: ['day'] })
    await table.write({ mode: 'append', sourceSql: `SELECT range::INT AS id, DATE '2024-01-01' + (range % 3)::INT AS day FROM range(9)` })
    const result = await table.delete(`day >= DATE '2024-01-02'`)
    expect(result.metrics).toMatchObject({ numRemovedFiles: 2, numAddedFiles: 0, numDeletedRows: 6, numCopiedRows: 0 })
    expect((await rowsOf(table)).map((r) => r.id)).toEqual([0, 3, 6])
  })

  it('rejects an invalid predicate before writing anything, and handles predicates mixing partition and data columns', async () => {
    const schema: StructType = { type: 'struct', fields: [field('id', 'integer'), field('part', 'string')] }
    const table = await DeltaTable.create(fresh(), port, { schema, partitionColumns: ['part'] })
    await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (3, 'b')) t(id, part)` })
    const bad = await table.delete('nope = 1').then(() => { throw new Error('delete succeeded') }, (e: unknown) => e as DeltaError)
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { predicate: 'nope = 1' } })
    expect(bad.message).toContain('nope')
    await expect(table.write({ mode: 'overwrite', replaceWhere: 'id >', sourceSql: 'SELECT 1 AS id' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    const mixed = await table.delete(`part = 'a' AND id > 1`)
    expect(mixed.metrics).toMatchObject({ numDeletedRows: 1, numCopiedRows: 1, numRemovedFiles: 1, numAddedFiles: 1 })
    expect((await rowsOf(table)).map((r) => [r.id, r.part])).toEqual([[1, 'a'], [3, 'b']])
  })

  it('refuses to delete from or overwrite an append-only table', async () => {
    const table = await DeltaTable.create(fresh(), port, { schema: people, properties: { 'delta.appendOnly': 'true' } })
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id' })
    await expect(table.delete('id = 1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(table.write({ mode: 'overwrite', sourceSql: 'SELECT 2 AS id' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('skips a repeated idempotent write (same appId and version) and commits the txn with the data', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people })
    const first = await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id', txn: { appId: 'stream-a', version: 0 } })
    const again = await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id', txn: { appId: 'stream-a', version: 0 } })
    expect(first).toMatchObject({ version: 1 })
    expect(again).toEqual({ version: 1, skipped: true, metrics: {}, retries: 0 })
    const next = await table.write({ mode: 'append', sourceSql: 'SELECT 2 AS id', txn: { appId: 'stream-a', version: 1 } })
    expect(next.version).toBe(2)
    expect((await rowsOf(table)).map((r) => r.id)).toEqual([1n, 2n])
    expect((await table.snapshot()).txns.get('stream-a')?.version).toBe(1)
    expect((await commit(root, 1)).actions.some((a) => 'txn' in a && a.txn.appId === 'stream-a' && a.txn.version === 0)).toBe(true)
  })

  it('keeps in-commit timestamps strictly increasing when the clock goes backwards', async () => {
    const times = [10_000, 9_000, 9_000, 20_000, 1]
    let i = 0
    const clock = { now: () => times[Math.min(i++, times.length - 1)]! }
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people }, { clock })
    for (let k = 0; k < 4; k++) await table.write({ mode: 'append', sourceSql: `SELECT ${k} AS id` })
    const icts: number[] = []
    for (let v = 0; v <= 4; v++) icts.push(infoOf((await commit(root, v)).actions).inCommitTimestamp!)
    for (let v = 1; v < icts.length; v++) expect(icts[v]!).toBeGreaterThan(icts[v - 1]!)
    expect(icts[0]).toBe(10_000)
    const history = await table.history()
    expect(history.map((h) => h.version)).toEqual([4, 3, 2, 1, 0])
    expect(history.map((h) => h.timestamp)).toEqual([...icts].reverse())
    expect((await table.history(2)).map((h) => h.version)).toEqual([4, 3])
    expect(history[4]).toMatchObject({ operation: 'CREATE TABLE', engineInfo: DEFAULT_ENGINE_INFO })
    expect(history[0]).toMatchObject({ operation: 'WRITE', readVersion: 3, isBlindAppend: true })
  })

  it('writes partition directories the reader gives back (null, spaces, slashes, unicode)', async () => {
    const schema: StructType = { type: 'struct', fields: [field('id', 'integer'), field('city', 'string'), field('day', 'date')] }
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema, partitionColumns: ['city', 'day'] })
    await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (1, 'New York', DATE '2024-02-29'), (2, 'a/b%c', NULL), (3, 'Zürich 😈', DATE '2024-01-01'), (4, NULL, DATE '2024-01-01')) t(id, city, day)` })
    expect(await fs.readdir(root)).toEqual(expect.arrayContaining(['city=New York', 'city=a%2Fb%25c', 'city=Zürich 😈', 'city=__HIVE_DEFAULT_PARTITION__']))
    expect(await fs.readdir(path.join(root, 'city=a%2Fb%25c'))).toEqual(['day=__HIVE_DEFAULT_PARTITION__'])
    const rows = await port.query(`SELECT id, city, strftime(day, '%Y-%m-%d') AS day FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)
    expect(rows).toEqual([
      { id: 1, city: 'New York', day: '2024-02-29' },
      { id: 2, city: 'a/b%c', day: null },
      { id: 3, city: 'Zürich 😈', day: '2024-01-01' },
      { id: 4, city: null, day: '2024-01-01' }
    ])
    // A fresh reader (no cached snapshot) sees the same thing.
    const reopened = await DeltaTable.open(root, port)
    expect((await reopened.snapshot()).files.map((f) => f.partitionValues.city).sort()).toEqual(['New York', 'Zürich 😈', 'a/b%c', null].sort())
  })

  it('round-trips timestamp, timestamp_ntz, boolean and decimal partition values through the reader', async () => {
    const schema: StructType = { type: 'struct', fields: [field('id', 'integer'), field('ts', 'timestamp'), field('ntz', 'timestamp_ntz'), field('ok', 'boolean'), field('amt', 'decimal(6,2)')] }
    const table = await DeltaTable.create(fresh(), port, { schema, partitionColumns: ['ts', 'ntz', 'ok', 'amt'] })
    await table.write({ mode: 'append', sourceSql: `SELECT 1 AS id, TIMESTAMPTZ '2024-07-01 08:30:00.25+00' AS ts, TIMESTAMP '2024-07-01 08:30:00' AS ntz, true AS ok, 12.5 AS amt
      UNION ALL SELECT 2, NULL, NULL, NULL, NULL` })
    expect((await table.snapshot()).files.map((f) => f.partitionValues).find((p) => p.ok === 'true')).toEqual({ ts: '2024-07-01T08:30:00.250000Z', ntz: '2024-07-01 08:30:00', ok: 'true', amt: '12.50' })
    const rows = await port.query(`SELECT id, epoch_ms(ts) AS ts, strftime(ntz, '%H:%M:%S') AS ntz, ok, amt::VARCHAR AS amt FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)
    expect(rows).toEqual([
      { id: 1, ts: BigInt(Date.UTC(2024, 6, 1, 8, 30, 0, 250)), ntz: '08:30:00', ok: true, amt: '12.50' },
      { id: 2, ts: null, ntz: null, ok: null, amt: null }
    ])
  })

  it('creates a table from a query (CTAS) in version 0', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema: people, operation: 'CREATE TABLE AS SELECT', sourceSql: `SELECT range AS id, 'n' || range AS name FROM range(3)` })
    const { actions } = await commit(root, 0)
    expect(infoOf(actions)).toMatchObject({ operation: 'CREATE TABLE AS SELECT', operationMetrics: { numFiles: '1', numOutputRows: '3' } })
    expect(actions.map((a) => Object.keys(a)[0])).toEqual(['commitInfo', 'protocol', 'metaData', 'add'])
    expect((await rowsOf(table)).map((r) => r.name)).toEqual(['n0', 'n1', 'n2'])
  })
})
