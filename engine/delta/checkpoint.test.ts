import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { checkpointActions, parseIntervalMs, writeCheckpointFromSnapshot } from './checkpoint'
import { DeltaTable } from './deltaTable'
import { loadSnapshot } from './logReplay'
import { LogStore, versionPrefix } from './logStore'
import { sqlString } from './parquetPort'
import { scanSql } from './scan'
import type { StructType } from './schema'
import { field } from './typeMapping'

const schema: StructType = { type: 'struct', fields: [field('id', 'long'), field('part', 'string')] }

/** The checkpointSchema Spark recorded for kernel-basic-dv-with-checkpoint, as DuckDB types. */
async function sparkCheckpointTypes(port: DuckdbSession): Promise<Map<string, string>> {
  const text = await fs.readFile('/work/shared/delta-conformance/tables/kernel-basic-dv-with-checkpoint/_delta_log/_last_checkpoint', 'utf8')
  const sparkSchema = JSON.parse(text).checkpointSchema as StructType
  const { duckdbTypeOf } = await import('./typeMapping')
  const described = await port.query(`DESCRIBE SELECT ${sparkSchema.fields.map((f) => `NULL::${duckdbTypeOf(f.type)} AS "${f.name}"`).join(', ')}`)
  return new Map(described.map((r) => [String(r.column_name), String(r.column_type)]))
}

describe('checkpoints', () => {
  let port: DuckdbSession
  let dir: string
  let n = 0
  const fresh = () => path.join(dir, `t${n++}`)
  const logNames = async (root: string) => (await fs.readdir(path.join(root, '_delta_log'))).sort()

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-checkpoint-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('parses Spark interval strings', () => {
    expect(parseIntervalMs('interval 1 week')).toBe(7 * 24 * 3600 * 1000)
    expect(parseIntervalMs('interval 2 days 12 hours')).toBe(60 * 3600 * 1000)
    expect(parseIntervalMs('INTERVAL 30 SECONDS')).toBe(30_000)
    expect(parseIntervalMs('soon')).toBeUndefined()
  })

  it('writes N.checkpoint.parquet at version 10 with Spark\'s schema, readable by plain DuckDB and by the reader', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema, partitionColumns: ['part'] })
    for (let i = 1; i <= 11; i++) {
      await table.write({ mode: 'append', sourceSql: `SELECT ${i} AS id, 'p${i % 3}' AS part`, txn: { appId: 'loader', version: i } })
    }
    await table.delete('id = 1')
    expect((await table.snapshot()).version).toBe(12)
    const names = await logNames(root)
    expect(names.filter((f) => f.endsWith('.checkpoint.parquet'))).toEqual([`${versionPrefix(10)}.checkpoint.parquet`])
    expect(names.filter((f) => f.startsWith('.tmp-'))).toEqual([])
    const file = path.join(root, '_delta_log', `${versionPrefix(10)}.checkpoint.parquet`)
    const last = JSON.parse(await fs.readFile(path.join(root, '_delta_log', '_last_checkpoint'), 'utf8'))
    expect(last).toEqual({ version: 10, size: 1 + 1 + 1 + 10, sizeInBytes: (await fs.stat(file)).size, numOfAddFiles: 10 })

    // Plain DuckDB: top-level struct columns with Spark's nested names and types.
    const described = await port.query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)
    expect(described.map((r) => r.column_name)).toEqual(['txn', 'add', 'remove', 'metaData', 'protocol', 'domainMetadata'])
    const spark = await sparkCheckpointTypes(port)
    for (const r of described) if (spark.has(String(r.column_name))) expect(`${r.column_name}: ${r.column_type}`).toBe(`${r.column_name}: ${spark.get(String(r.column_name))}`)
    const counts = await port.query(`SELECT count(add) AS adds, count(txn) AS txns, count(metaData) AS metas, count(protocol) AS protocols, count(remove) AS removes,
      max(txn.version) AS txnVersion, min(add.stats) LIKE '{"numRecords":1,%' AS hasStats, bool_and(add.dataChange = false) AS noDataChange,
      max(add.partitionValues['part']) AS maxPart FROM read_parquet(${sqlString(file)})`)
    expect(counts[0]).toEqual({ adds: 10n, txns: 1n, metas: 1n, protocols: 1n, removes: 0n, txnVersion: 10n, hasStats: true, noDataChange: true, maxPart: 'p2' })

    // The reader can rebuild version 10 and later from the checkpoint alone once the older JSON is gone.
    const expected = await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)
    for (let v = 0; v < 10; v++) await fs.rm(path.join(root, '_delta_log', `${versionPrefix(v)}.json`))
    const fromCheckpoint = await loadSnapshot(new LogStore(root), port)
    expect(fromCheckpoint.version).toBe(12)
    expect(fromCheckpoint.txns.get('loader')?.version).toBe(11)
    const rows = await port.query(`SELECT id FROM (${await scanSql(fromCheckpoint, port)}) ORDER BY id`)
    expect(rows).toEqual(expected)
    expect(rows.map((r) => Number(r.id))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    const at10 = await loadSnapshot(new LogStore(root), port, { version: 10 })
    expect(at10.files).toHaveLength(10)
  })

  it('honours a custom delta.checkpointInterval', async () => {
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema, properties: { 'delta.checkpointInterval': '3' } })
    for (let i = 1; i <= 7; i++) await table.write({ mode: 'append', sourceSql: `SELECT ${i} AS id` })
    expect((await logNames(root)).filter((f) => f.includes('checkpoint'))).toEqual([
      `${versionPrefix(3)}.checkpoint.parquet`, `${versionPrefix(6)}.checkpoint.parquet`, '_last_checkpoint'
    ].sort())
    expect(JSON.parse(await fs.readFile(path.join(root, '_delta_log', '_last_checkpoint'), 'utf8')).version).toBe(6)
  })

  it('keeps remove tombstones younger than delta.deletedFileRetentionDuration and drops older ones', async () => {
    let now = 1_000_000
    const root = fresh()
    const table = await DeltaTable.create(root, port, { schema, properties: { 'delta.deletedFileRetentionDuration': 'interval 1 hour' } }, { clock: { now: () => now } })
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id' })
    await table.write({ mode: 'overwrite', sourceSql: 'SELECT 2 AS id' }) // tombstone at t=1_000_000
    now += 30 * 60 * 1000
    await table.write({ mode: 'overwrite', sourceSql: 'SELECT 3 AS id' }) // tombstone at +30 min
    const snapshot = await table.snapshot()
    expect(snapshot.tombstones).toHaveLength(2)
    const soon = checkpointActions(snapshot, now + 10 * 60 * 1000).filter((a) => 'remove' in a)
    expect(soon).toHaveLength(2)
    const later = checkpointActions(snapshot, now + 45 * 60 * 1000).filter((a) => 'remove' in a) as { remove: { deletionTimestamp: number; stats?: unknown } }[]
    expect(later.map((r) => r.remove.deletionTimestamp)).toEqual([now])
    expect(later[0]!.remove.stats).toBeUndefined()
    const written = await writeCheckpointFromSnapshot(new LogStore(root), port, snapshot, now + 45 * 60 * 1000)
    const removes = await port.query(`SELECT remove.path AS path, remove.extendedFileMetadata AS ext, remove.size AS size FROM read_parquet(${sqlString(written.file)}) WHERE remove IS NOT NULL`)
    expect(removes).toHaveLength(1)
    expect(removes[0]!.ext).toBe(true)
  })

  it('never fails the commit when the checkpoint cannot be written', async () => {
    const root = fresh()
    // A port whose parquet COPY of checkpoints fails (disk full, say); everything else goes to DuckDB.
    const failing = {
      query: (sql: string) => port.query(sql),
      exec: (sql: string) => (sql.includes('.checkpoint.parquet') ? Promise.reject(new Error('No space left on device')) : port.exec(sql))
    }
    const table = await DeltaTable.create(root, failing, { schema, properties: { 'delta.checkpointInterval': '2' } })
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id' })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const result = await table.write({ mode: 'append', sourceSql: 'SELECT 2 AS id' })
      expect(result.version).toBe(2)
      expect(warn).toHaveBeenCalledOnce()
      expect(String(warn.mock.calls[0]![0])).toContain('checkpoint 2')
      expect(String(warn.mock.calls[0]![0])).toContain('No space left on device')
    } finally {
      warn.mockRestore()
    }
    expect((await logNames(root)).filter((f) => f.startsWith('.tmp-') || f.includes('checkpoint'))).toEqual([])
    expect((await table.snapshot()).files).toHaveLength(2)
  })
})
