import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { newDataFileName, writeDataFiles } from './dataFileWriter'
import { sqlString } from './parquetPort'
import type { StructType } from './schema'
import { field } from './typeMapping'

const schema: StructType = {
  type: 'struct',
  fields: [
    field('id', 'long'),
    field('name', 'string'),
    field('amount', 'decimal(10,2)'),
    field('ts', 'timestamp'),
    field('day', 'date'),
    field('flag', 'boolean'),
    field('nested', { type: 'struct', fields: [field('x', 'integer'), field('label', 'string')] }),
    field('tags', { type: 'array', elementType: 'string', containsNull: true })
  ]
}

const ROWS_SQL = `SELECT * FROM (VALUES
  (1::BIGINT, 'alpha', 10.50::DECIMAL(10,2), TIMESTAMPTZ '2024-03-01 10:00:00.123456+00', DATE '2024-03-01', true, {'x': 5, 'label': 'a'}, ['t1']),
  (9007199254740993::BIGINT, NULL, -3.25::DECIMAL(10,2), TIMESTAMPTZ '2024-03-02 23:59:59.999999+00', DATE '2024-02-28', NULL, {'x': NULL, 'label': 'b'}, NULL),
  (-7::BIGINT, 'Zulu', NULL, NULL, NULL, false, NULL, ['t2', 't3'])
) AS t(id, name, amount, ts, day, flag, nested, tags)`

describe('writeDataFiles', () => {
  let port: DuckdbSession
  let root: string
  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-writer-'))
    await port.exec(`CREATE TEMP TABLE rows AS ${ROWS_SQL}`)
  })
  afterAll(async () => {
    port.close()
    await fs.rm(root, { recursive: true, force: true })
  })

  it('names files part-NNNNN-<uuid>-c000.snappy.parquet, unique each time', () => {
    const a = newDataFileName(0)
    expect(a).toMatch(/^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.snappy\.parquet$/)
    expect(newDataFileName(0)).not.toBe(a)
  })

  it('writes one snappy parquet file with stats that agree with the rows read back', async () => {
    const tableRoot = path.join(root, 'plain')
    const written = await writeDataFiles(port, { tableRoot, schema, partitionColumns: [], relation: 'rows' })
    expect(written.adds).toHaveLength(1)
    const add = written.adds[0]!
    const file = path.join(tableRoot, add.path)
    expect(add.size).toBe((await fs.stat(file)).size)
    expect(written.numOutputBytes).toBe(add.size)
    expect(add.dataChange).toBe(true)
    expect(add.partitionValues).toEqual({})

    const back = await port.query(`SELECT id::VARCHAR AS id, name, amount::DOUBLE AS amount, nested.x AS x, nested.label AS label, tags FROM read_parquet(${sqlString(file)})`)
    expect(back).toHaveLength(3)
    const stats = JSON.parse(add.stats!)
    expect(stats.numRecords).toBe(back.length)
    const ids = back.map((r) => BigInt(r.id as string))
    // Exact 64-bit integers survive in the JSON text (9007199254740993 is not a JS double).
    expect(add.stats).toContain(`"id":${ids.reduce((a, b) => (a > b ? a : b)).toString()}`)
    expect(stats.minValues.id).toBe(Number(ids.reduce((a, b) => (a < b ? a : b))))
    const names = back.map((r) => r.name).filter((n): n is string => n !== null)
    expect(stats.minValues.name).toBe([...names].sort()[0])
    expect(stats.maxValues.name).toBe([...names].sort().at(-1))
    const amounts = back.map((r) => r.amount).filter((a): a is number => a !== null)
    expect(stats.minValues.amount).toBe(Math.min(...amounts))
    expect(stats.maxValues.amount).toBe(Math.max(...amounts))
    expect(stats.minValues.nested).toEqual({ x: 5, label: 'a' })
    expect(stats.maxValues.nested.label).toBe('b')
    expect(stats.nullCount).toEqual({
      id: 0,
      name: back.filter((r) => r.name === null).length,
      amount: 1, ts: 1, day: 1, flag: 1,
      nested: { x: back.filter((r) => r.x === null).length, label: back.filter((r) => r.label === null).length },
      tags: back.filter((r) => r.tags === null).length
    })
    // Timestamps in ms ISO-8601 UTC, dates as yyyy-MM-dd; booleans and arrays get no min/max (as Spark).
    expect(stats.minValues.ts).toBe('2024-03-01T10:00:00.123Z')
    expect(stats.maxValues.ts).toBe('2024-03-02T23:59:59.999Z')
    expect(stats.minValues.day).toBe('2024-02-28')
    expect(stats.maxValues.day).toBe('2024-03-01')
    expect(stats.minValues.flag).toBeUndefined()
    expect(stats.minValues.tags).toBeUndefined()
  })

  it('writes Delta timestamp as isAdjustedToUTC=true and timestamp_ntz as false', async () => {
    const ntzSchema: StructType = { type: 'struct', fields: [field('a', 'timestamp'), field('b', 'timestamp_ntz')] }
    await port.exec(`CREATE TEMP TABLE times AS SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AS a, TIMESTAMP '2024-01-01 12:34:56.5' AS b`)
    const tableRoot = path.join(root, 'times')
    const { adds } = await writeDataFiles(port, { tableRoot, schema: ntzSchema, partitionColumns: [], relation: 'times' })
    const meta = await port.query(`SELECT name, logical_type::VARCHAR AS lt FROM parquet_schema(${sqlString(path.join(tableRoot, adds[0]!.path))}) WHERE name IN ('a', 'b') ORDER BY name`)
    expect(String(meta[0]!.lt)).toMatch(/isAdjustedToUTC=1|is_adjusted_to_utc=true/i)
    expect(String(meta[1]!.lt)).toMatch(/isAdjustedToUTC=0|is_adjusted_to_utc=false/i)
    expect(JSON.parse(adds[0]!.stats!).minValues.b).toBe('2024-01-01T12:34:56.500')
  })

  it('writes nothing for zero rows', async () => {
    const tableRoot = path.join(root, 'empty')
    const written = await writeDataFiles(port, { tableRoot, schema, partitionColumns: [], relation: '(SELECT * FROM rows WHERE false)' })
    expect(written.adds).toEqual([])
    await expect(fs.readdir(tableRoot)).rejects.toThrow()
  })

  it('writes col=value directories (null, spaces, slashes, unicode) without the partition columns inside the files', async () => {
    const pschema: StructType = { type: 'struct', fields: [field('v', 'integer'), field('region', 'string'), field('day', 'date')] }
    await port.exec(`CREATE TEMP TABLE parts AS SELECT * FROM (VALUES
      (1, 'north east', DATE '2024-01-02'), (2, 'a/b', DATE '2024-01-02'), (3, 'zürich 😈', NULL), (4, NULL, DATE '2024-01-03'), (5, 'north east', DATE '2024-01-02'), (6, '', DATE '2024-01-03')
    ) AS t(v, region, day)`)
    const tableRoot = path.join(root, 'parts')
    const written = await writeDataFiles(port, { tableRoot, schema: pschema, partitionColumns: ['region', 'day'], relation: 'parts' })
    const byDir = new Map(written.adds.map((a) => [decodeURIComponent(a.path.slice(0, a.path.lastIndexOf('/'))), a]))
    expect([...byDir.keys()].sort()).toEqual([
      'region=__HIVE_DEFAULT_PARTITION__/day=2024-01-03',
      'region=a%2Fb/day=2024-01-02',
      'region=north east/day=2024-01-02',
      'region=zürich 😈/day=__HIVE_DEFAULT_PARTITION__'
    ])
    expect(byDir.get('region=a%2Fb/day=2024-01-02')!.path).toMatch(/^region=a%252Fb\/day=2024-01-02\/part-/)
    expect(byDir.get('region=north east/day=2024-01-02')!.path).toMatch(/^region=north%20east\//)
    expect(byDir.get('region=north east/day=2024-01-02')!.partitionValues).toEqual({ region: 'north east', day: '2024-01-02' })
    // '' is written as NULL, like Spark.
    expect(byDir.get('region=__HIVE_DEFAULT_PARTITION__/day=2024-01-03')!.partitionValues).toEqual({ region: null, day: '2024-01-03' })
    expect(written.numOutputRows).toBe(6)
    for (const [dir, add] of byDir) {
      const onDisk = path.join(tableRoot, ...dir.split('/'), add.path.slice(add.path.lastIndexOf('/') + 1))
      const cols = await port.query(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(onDisk)}, hive_partitioning = false))`)
      expect(cols.map((c) => c.column_name)).toEqual(['v'])
    }
    const ne = await port.query(`SELECT list(v ORDER BY v) AS vs FROM read_parquet(${sqlString(path.join(tableRoot, 'region=north east', 'day=2024-01-02', '*.parquet'))}, hive_partitioning = false)`)
    expect(ne[0]!.vs).toEqual([1, 5])
  })

  it('formats partition values per the protocol: numbers, booleans, ISO-8601 UTC timestamps, timestamp_ntz', async () => {
    const pschema: StructType = { type: 'struct', fields: [field('v', 'integer'), field('b', 'boolean'), field('ts', 'timestamp'), field('ntz', 'timestamp_ntz'), field('d', 'decimal(5,2)')] }
    await port.exec(`CREATE TEMP TABLE pformats AS SELECT 1 AS v, true AS b, TIMESTAMPTZ '2024-05-06 07:08:09.5+02' AS ts, TIMESTAMP '2024-05-06 07:08:09' AS ntz, 1.5::DECIMAL(5,2) AS d`)
    const written = await writeDataFiles(port, { tableRoot: path.join(root, 'pformats'), schema: pschema, partitionColumns: ['b', 'ts', 'ntz', 'd'], relation: 'pformats' })
    expect(written.adds[0]!.partitionValues).toEqual({ b: 'true', ts: '2024-05-06T05:08:09.500000Z', ntz: '2024-05-06 07:08:09', d: '1.50' })
  })

  it('truncates long strings to 32 characters (max gets a tie-breaker) and honours dataSkippingNumIndexedCols', async () => {
    const sschema: StructType = { type: 'struct', fields: [field('s', 'string'), field('n', 'integer')] }
    await port.exec(`CREATE TEMP TABLE longs AS SELECT repeat('a', 40) || 'z' AS s, 1 AS n UNION ALL SELECT repeat('b', 33), 2`)
    const [add] = (await writeDataFiles(port, { tableRoot: path.join(root, 'longs'), schema: sschema, partitionColumns: [], relation: 'longs' })).adds
    const stats = JSON.parse(add!.stats!)
    expect(stats.minValues.s).toBe('a'.repeat(32))
    expect(stats.maxValues.s).toBe('b'.repeat(32) + '\u007f')
    const [limited] = (await writeDataFiles(port, { tableRoot: path.join(root, 'longs1'), schema: sschema, partitionColumns: [], relation: 'longs', configuration: { 'delta.dataSkippingNumIndexedCols': '1' } })).adds
    expect(Object.keys(JSON.parse(limited!.stats!).nullCount)).toEqual(['s'])
  })

  it('writes every partition with one COPY over the rows, and splits partitions larger than maxRowsPerFile', async () => {
    const pschema: StructType = { type: 'struct', fields: [field('id', 'long'), field('cat', 'string'), field('pid', 'integer')] }
    // 'big' has 2,500 rows, the others 10 each; 'pid' is a data column whose name must not clash with helper columns.
    await port.exec(`CREATE TEMP TABLE many AS
      SELECT i::BIGINT AS id, CASE WHEN i < 2500 THEN 'big' ELSE 'c' || (i % 4) END AS cat, (i % 7)::INTEGER AS pid FROM range(2540) t(i)`)
    const copies: string[] = []
    const counting = { query: port.query.bind(port), exec: async (sql: string) => { if (/^\s*COPY\b/i.test(sql)) copies.push(sql); return port.exec(sql) } }
    const tableRoot = path.join(root, 'many')
    const written = await writeDataFiles(counting, { tableRoot, schema: pschema, partitionColumns: ['cat'], relation: 'many', maxRowsPerFile: 1000 })
    expect(copies).toHaveLength(1)
    const perFile = await Promise.all(written.adds.map(async (a) => {
      const file = path.join(tableRoot, decodeURIComponent(a.path))
      const rows = await port.query(`SELECT count(*) AS n, sum(id) AS s, count(DISTINCT pid) AS p FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`)
      const cols = await port.query(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false))`)
      return { cat: a.partitionValues.cat, dir: a.path.split('/')[0], n: Number(rows[0]!.n), sum: BigInt(rows[0]!.s as bigint), stats: JSON.parse(a.stats!).numRecords, cols: cols.map((c) => c.column_name) }
    }))
    for (const f of perFile) {
      expect(f.n).toBeLessThanOrEqual(1000)
      expect(f.stats).toBe(f.n)
      expect(f.dir).toBe(`cat=${f.cat}`)
      expect(f.cols).toEqual(['id', 'pid'])
    }
    const big = perFile.filter((f) => f.cat === 'big')
    expect(big.map((f) => f.n).sort((a, b) => a - b)).toEqual([500, 1000, 1000])
    expect(perFile.filter((f) => f.cat !== 'big').map((f) => `${f.cat}:${f.n}`).sort()).toEqual(['c0:10', 'c1:10', 'c2:10', 'c3:10'])
    expect(perFile.reduce((a, f) => a + f.sum, 0n)).toBe(BigInt((2539 * 2540) / 2))
    expect(written.numOutputRows).toBe(2540)
    expect(new Set(written.adds.map((a) => a.path)).size).toBe(written.adds.length)
    // The staging folder is gone; only partition folders remain.
    expect((await fs.readdir(tableRoot)).sort()).toEqual(['cat=big', 'cat=c0', 'cat=c1', 'cat=c2', 'cat=c3'])
  })

  it('splits an unpartitioned write into files of at most maxRowsPerFile rows, keeping every row once', async () => {
    const uschema: StructType = { type: 'struct', fields: [field('id', 'long')] }
    const tableRoot = path.join(root, 'split')
    const written = await writeDataFiles(port, { tableRoot, schema: uschema, partitionColumns: [], relation: '(SELECT range AS id FROM range(2345))', maxRowsPerFile: 1000 })
    expect(written.adds).toHaveLength(3)
    const files = written.adds.map((a) => sqlString(path.join(tableRoot, a.path)))
    const all = await port.query(`SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM read_parquet([${files.join(', ')}])`)
    expect(all[0]).toEqual({ n: 2345n, d: 2345n, lo: 0n, hi: 2344n })
    for (const a of written.adds) expect(JSON.parse(a.stats!).numRecords).toBeLessThanOrEqual(1000)
    expect((await fs.readdir(tableRoot)).filter((n) => n.startsWith('.tmp-'))).toEqual([])
  })
})
