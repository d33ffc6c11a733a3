// Data skipping never drops a matching row, checked against DuckDB itself on written files with awkward values:
// float rounding, NaN/infinity, timestamps before 1970 with sub-millisecond parts, 38-digit decimals, 64-bit extremes,
// long and non-ASCII strings.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from './deltaTable'
import { pruneFiles, type PruneFilter } from './filePruning'
import { filesThatMayMatch } from './operations/matchingFiles'
import { scanSql } from './scan'
import type { Snapshot } from './snapshot'
import type { StructType } from './schema'
import { field } from './typeMapping'

const schema: StructType = {
  type: 'struct',
  fields: [
    field('id', 'integer'), field('f', 'float'), field('d', 'double'), field('ts', 'timestamp'), field('ntz', 'timestamp_ntz'),
    field('dec', 'decimal(38,6)'), field('big', 'long'), field('s', 'string'), field('day', 'date')
  ]
}

// One row per file, so every file's stats are exactly one row's values.
const ROWS = [
  `1, 0.3::FLOAT, 'nan'::DOUBLE, TIMESTAMPTZ '1969-12-31 23:59:59.9995+00', TIMESTAMP '1969-12-31 23:59:59.9995', 12345678901234567890123456.789012::DECIMAL(38,6), 9223372036854775807, repeat('z', 40) || 'é', DATE '0999-01-01'`,
  `2, 16777217::FLOAT, 'inf'::DOUBLE, TIMESTAMPTZ '1900-01-01 00:00:00.000001+00', TIMESTAMP '2024-01-01 00:00:00.0009', -12345678901234567890123456.789012::DECIMAL(38,6), -9223372036854775808, 'Ünïcode ' || repeat('ü', 30), DATE '1969-12-31'`,
  `3, 'nan'::FLOAT, -0.0::DOUBLE, TIMESTAMPTZ '2024-05-06 07:08:09.123999+00', NULL, 0.000001::DECIMAL(38,6), 9007199254740993, 'a', NULL`,
  `4, -1e-40::FLOAT, 1.0000000000000002::DOUBLE, NULL, TIMESTAMP '1970-01-01 00:00:00', NULL, NULL, NULL, DATE '2024-02-29'`
]

let port: DuckdbSession
let dir: string
let snapshot: Snapshot
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-skipping-'))
  const table = await DeltaTable.create(path.join(dir, 'edge'), port, { schema })
  const columns = schema.fields.map((f) => f.name).join(', ')
  for (const row of ROWS) await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES (${row})) AS t(${columns})` })
  snapshot = await table.snapshot()
})
afterAll(async () => {
  port?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

async function idsWhere(predicate: string, files = snapshot.files): Promise<number[]> {
  if (files.length === 0) return []
  const rows = await port.query(`SELECT id FROM (${await scanSql(snapshot, port, { files })}) WHERE (${predicate}) IS TRUE ORDER BY id`)
  return rows.map((r) => Number(r.id))
}

describe('data skipping on awkward values', () => {
  it('keeps every file with a matching row for SQL predicates (DELETE / replaceWhere path)', async () => {
    const predicates = [
      'f >= 0.3000000119', 'f > 0.3', 'f <= 0.3', 'f = 16777216', 'f > 16777216', 'f < -1e-41', 'f > 1e38',
      'd > 5', 'd >= 1e308', 'd = 0', 'd < 0', 'd > 1', 'd <= 1.0000000000000002', 'd IS NULL',
      'dec >= 12345678901234567890123456.789012', 'dec > 1e25', 'dec < -1e25', 'dec = 0.000001', 'dec BETWEEN 0 AND 0.000001',
      'big = 9223372036854775807', 'big > 9007199254740992', 'big >= 9007199254740993', 'big < -9223372036854775000', 'big IN (9007199254740993, 1)',
      `s > '${'z'.repeat(40)}'`, `s >= '${'z'.repeat(40)}é'`, `s < 'Ünïcode ü'`, `s = 'a'`, `s > 'Ünïcode'`, 's IS NULL',
      `day < '1000-01-01'`, `day = '1969-12-31'`, `day > DATE '2024-02-28'`, 'day IS NOT NULL AND id > 1',
      `ts < TIMESTAMPTZ '1970-01-01 00:00:00+00'`, 'id <> 3 AND f > 0'
    ]
    for (const p of predicates) {
      const kept = await filesThatMayMatch(snapshot, port, p)
      expect(await idsWhere(p, kept), p).toEqual(await idsWhere(p))
    }
  })

  it('keeps float files whose shortest text rounds below the value compared with', () => {
    // 0.3f is 0.30000001192092896; its stat is written as 0.3.
    const kept = pruneFiles(snapshot, [{ column: 'f', op: '>=', value: 0.3000000119 }])
    expect(kept.map((f) => JSON.parse(f.stats!).minValues.id)).toContain(1)
  })

  it('keeps timestamp files at sub-millisecond and pre-1970 boundaries', async () => {
    const cases: [string, PruneFilter][] = [
      [`ts >= TIMESTAMPTZ '1969-12-31 23:59:59.9995+00'`, { column: 'ts', op: '>=', value: '1969-12-31T23:59:59.9995Z' }],
      [`ts > TIMESTAMPTZ '1969-12-31 23:59:59.9991+00'`, { column: 'ts', op: '>', value: '1969-12-31T23:59:59.9991Z' }],
      [`ts <= TIMESTAMPTZ '1900-01-01 00:00:00.000001+00'`, { column: 'ts', op: '<=', value: '1900-01-01T00:00:00.000001Z' }],
      [`ts = TIMESTAMPTZ '2024-05-06 07:08:09.123999+00'`, { column: 'ts', op: '=', value: '2024-05-06T07:08:09.123999Z' }],
      [`ts > TIMESTAMPTZ '2024-05-06 07:08:09.1235+00'`, { column: 'ts', op: '>', value: '2024-05-06 07:08:09.1235' }],
      [`ntz >= TIMESTAMP '1969-12-31 23:59:59.9995'`, { column: 'ntz', op: '>=', value: '1969-12-31 23:59:59.9995' }],
      [`ntz > TIMESTAMP '2024-01-01 00:00:00.0005'`, { column: 'ntz', op: '>', value: '2024-01-01T00:00:00.0005' }],
      [`ntz < TIMESTAMP '1970-01-01 00:00:00.000001'`, { column: 'ntz', op: '<', value: '1970-01-01 00:00:00.000001' }]
    ]
    for (const [sql, filter] of cases) {
      const expected = await idsWhere(sql)
      expect(expected.length, sql).toBeGreaterThan(0)
      expect(await idsWhere(sql, pruneFiles(snapshot, [filter])), sql).toEqual(expected)
    }
  })

  it('deletes exactly the rows DuckDB says match, file by file', async () => {
    const table = await DeltaTable.open(snapshot.tableRoot, port)
    await table.delete('d > 5 OR f >= 0.3000000119')
    const left = (await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)).map((r) => Number(r.id))
    // NaN is greater than every number in DuckDB (and Spark): rows 1 (d NaN), 2 (d inf) and 3 (f NaN) match; row 4 stays.
    expect(left).toEqual([4])
  })
})
