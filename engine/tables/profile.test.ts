// Tests tables.profile and tables.summaries on real Delta tables written through SQL, checking each figure against SQL run separately.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methodSpec } from '../api/methods'
import { createEngine } from '../createEngine'
import type { ColumnProfile, TableProfile } from '../api/tablesApi'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from '../sql/arrow'
import { DuckdbSession } from '../sql/duckdbSession'
import { SqlEngine } from '../sql/queryRunner'
import { createFakeEngine } from '../testing/fakeEngine'
import { profileTable } from './profile'
import { ProfileRunner } from './profileRunner'
import { openTable } from './tableBrowser'
import { tableSummaries } from './tableSummaries'

describe('table profile', () => {
  let dir: string
  let lakehouse: Lakehouse
  let session: DuckdbSession
  let sql: SqlEngine

  /** Rows of one SQL statement run by the SQL engine (the profile's answers are checked against these). */
  const query = async (statement: string): Promise<Record<string, unknown>[]> => {
    const [result] = await sql.execute(statement)
    return arrowRows(result!.arrow)
  }
  const scalar = async (statement: string): Promise<unknown> => Object.values((await query(statement))[0]!)[0]
  const profile = async (table: string, version?: number, exactDistinctLimit?: number): Promise<TableProfile> =>
    profileTable(await openTable({ lakehouse, session }, table), session, table, version, { exactDistinctLimit })
  const column = (p: TableProfile, name: string): ColumnProfile => p.columns.find((c) => c.name === name)!
  /** Every candidate key of `p` is unique and null-free at its version, by SQL. */
  const expectKeysHold = async (p: TableProfile) => {
    const from = `silver.events VERSION AS OF ${p.version}`
    for (const key of p.candidateKeys) {
      const cols = key.join(', ')
      const [check] = await query(`SELECT count(*) AS n, (SELECT count(*) FROM (SELECT DISTINCT ${cols} FROM ${from}) AS d) AS d, count(*) FILTER (WHERE ${key.map((k) => `${k} IS NULL`).join(' OR ')}) AS nulls FROM ${from}`)
      expect({ key, distinct: Number(check!.d), nulls: Number(check!.nulls) }).toEqual({ key, distinct: Number(check!.n), nulls: 0 })
    }
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-profile-'))
    lakehouse = await Lakehouse.create(dir)
    session = await DuckdbSession.create()
    sql = await SqlEngine.open(lakehouse, { session })
    // v0 create; v1 100 rows: id unique, amount with 10 nulls and one outlier (10000), name 7 values, day 30 values,
    // (name, day) unique together, ts unique, nested columns. v2 adds a duplicate id, a null name and a null struct.
    await sql.execute(`
      CREATE TABLE silver.events (id BIGINT NOT NULL, amount DOUBLE, name STRING, day DATE, ts TIMESTAMP, flag BOOLEAN,
        s STRUCT<a: INT, b: STRING>, arr ARRAY<INT>, m MAP<STRING, INT>) USING DELTA;
      INSERT INTO silver.events
        SELECT id, CASE WHEN id % 10 = 0 THEN NULL WHEN id = 7 THEN 10000 ELSE id * 1.5 END, concat('n', CAST(id % 7 AS STRING)),
          date_add(DATE'2024-01-01', CAST(id % 30 AS INT)), CAST(date_add(DATE'2023-01-01', CAST(id * 3 AS INT)) AS TIMESTAMP), id % 3 = 0,
          named_struct('a', CAST(id AS INT), 'b', 'x'), array(1, 2), map('k', 1)
        FROM range(100) AS r(id);
      INSERT INTO silver.events VALUES (5, 2.5, NULL, DATE'2024-03-01', TIMESTAMP'2025-01-01 00:00:00', true, NULL, NULL, NULL);
      CREATE TABLE silver.empty (k INT) USING DELTA`)
  })
  afterAll(async () => {
    sql.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('counts rows, nulls, distinct values and min/max of every scalar column as SQL does', async () => {
    const p = await profile('silver.events', 1)
    expect(p.version).toBe(1)
    expect(p.rows).toBe(Number(await scalar('SELECT count(*) FROM silver.events VERSION AS OF 1')))
    for (const name of ['id', 'amount', 'name', 'day', 'ts', 'flag']) {
      const [expected] = await query(
        `SELECT count(${name}) AS n, count(*) - count(${name}) AS nulls, count(DISTINCT ${name}) AS d, CAST(min(${name}) AS STRING) AS lo, CAST(max(${name}) AS STRING) AS hi FROM silver.events VERSION AS OF 1`
      )
      const c = column(p, name)
      expect({ name, count: c.count, nulls: c.nulls, distinct: c.distinct, exact: c.distinctExact }).toEqual({
        name, count: Number(expected!.n), nulls: Number(expected!.nulls), distinct: Number(expected!.d), exact: true
      })
      expect(c.nullPercent).toBeCloseTo((100 * c.nulls) / p.rows, 10)
      // Min/max text is DuckDB's VARCHAR rendering; compare the values, not the spelling.
      if (c.kind === 'numeric') expect([Number(c.min), Number(c.max)]).toEqual([Number(expected!.lo), Number(expected!.hi)])
      if (c.kind === 'string') expect([c.min, c.max]).toEqual([expected!.lo, expected!.hi])
    }
    expect(column(p, 'amount').nulls).toBe(10)
    // Zoned timestamps print as UTC wall-clock time, without the session's "+00".
    expect([column(p, 'ts').min, column(p, 'ts').max]).toEqual(['2023-01-01 00:00:00', '2023-10-25 00:00:00'])
    expect(column(p, 'day')).toMatchObject({ min: '2024-01-01', max: '2024-01-30' })
    const [lengths] = await query('SELECT min(length(name)) AS lo, max(length(name)) AS hi FROM silver.events VERSION AS OF 1')
    expect([column(p, 'name').minLength, column(p, 'name').maxLength]).toEqual([Number(lengths!.lo), Number(lengths!.hi)])
  })

  it('gives numeric columns mean, stddev and quartiles matching the values', async () => {
    const p = await profile('silver.events', 1)
    const values = (await query('SELECT amount FROM silver.events VERSION AS OF 1 WHERE amount IS NOT NULL')).map((r) => Number(r.amount)).sort((a, b) => a - b)
    const mean = values.reduce((s, v) => s + v, 0) / values.length
    const stddev = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
    const quantile = (q: number) => {
      const at = (values.length - 1) * q
      return values[Math.floor(at)]! + (values[Math.ceil(at)]! - values[Math.floor(at)]!) * (at - Math.floor(at))
    }
    const amount = column(p, 'amount')
    expect(amount.mean).toBeCloseTo(mean, 9)
    expect(amount.stddev).toBeCloseTo(stddev, 9)
    expect(amount.quartiles!.map((q) => Number(q.toFixed(9)))).toEqual([0.25, 0.5, 0.75].map((q) => Number(quantile(q).toFixed(9))))
  })

  it('lists the five most frequent values with counts SQL agrees on', async () => {
    const p = await profile('silver.events', 1)
    for (const name of ['name', 'day', 'flag']) {
      const tops = column(p, name).topValues
      expect(tops.length, name).toBe(Math.min(5, column(p, name).distinct!))
      for (const top of tops) {
        expect(Number(await scalar(`SELECT count(*) FROM silver.events VERSION AS OF 1 WHERE CAST(${name} AS STRING) = '${top.value}'`)), `${name}=${top.value}`).toBe(top.count)
      }
      // No value left out is more frequent than the last one listed.
      const listed = tops.map((t) => `'${t.value}'`).join(', ')
      const others = await scalar(`SELECT max(n) FROM (SELECT count(*) AS n FROM silver.events VERSION AS OF 1 WHERE CAST(${name} AS STRING) NOT IN (${listed}) GROUP BY ${name}) AS g`)
      if (others !== null) expect(Number(others)).toBeLessThanOrEqual(tops[tops.length - 1]!.count)
    }
    // Every id is distinct, so listing "top" ids would say nothing.
    expect(column(p, 'id').topValues).toEqual([])
  })

  it('counts IQR outliers and bins values into histograms that SQL reproduces', async () => {
    const p = await profile('silver.events', 1)
    const amount = column(p, 'amount')
    const [q1, , q3] = amount.quartiles!
    expect(amount.outliers!.lowerFence).toBeCloseTo(q1 - 1.5 * (q3 - q1), 9)
    expect(amount.outliers!.upperFence).toBeCloseTo(q3 + 1.5 * (q3 - q1), 9)
    const outlying = Number(await scalar(`SELECT count(*) FROM silver.events VERSION AS OF 1 WHERE amount < ${amount.outliers!.lowerFence} OR amount > ${amount.outliers!.upperFence}`))
    expect(amount.outliers!.count).toBe(outlying)
    expect(amount.outliers!.examples.map(Number)).toContain(10000)

    for (const name of ['id', 'amount']) {
      const { histogram, count } = column(p, name)
      expect(histogram!.scale).toBe('number')
      expect(histogram!.bins.reduce((s, b) => s + b.count, 0)).toBe(count)
      const last = histogram!.bins.length - 1
      for (const [i, bin] of histogram!.bins.entries()) {
        const upper = i === last ? `${name} <= ${bin.upper}` : `${name} < ${bin.upper}`
        expect(Number(await scalar(`SELECT count(*) FROM silver.events VERSION AS OF 1 WHERE ${name} >= ${bin.lower} AND ${upper}`)), `${name} bin ${i}`).toBe(bin.count)
      }
    }
    // Integers 0..99 fall in 20 bins of exactly 5 values; 30 distinct days in 15 bins of 2 days.
    expect(column(p, 'id').histogram!.bins.map((b) => b.count)).toEqual(new Array(20).fill(5))
    const days = column(p, 'day').histogram!
    expect(days.scale).toBe('date')
    expect(days.bins).toHaveLength(15)
    expect(days.bins[0]).toMatchObject({ lower: Date.UTC(2024, 0, 1) / 1000, upper: Date.UTC(2024, 0, 3) / 1000 })
    expect(days.bins[0]!.count).toBe(Number(await scalar("SELECT count(*) FROM silver.events VERSION AS OF 1 WHERE day < DATE'2024-01-03'")))
  })

  it('finds unique non-null columns and the unique pairs of the others', async () => {
    const p = await profile('silver.events', 1)
    expect(p.candidateKeys).toEqual([['id'], ['ts'], ['name', 'day']])
    await expectKeysHold(p)
    // amount has nulls and flag has two values: neither may appear in a key; no pair holds a single-column key.
    expect(p.keySearch.pairColumns).toEqual(['name', 'day', 'flag'])
    expect(p.keySearch.exhaustive).toBe(true)
  })

  it('profiles the version asked for: time travel sees the data as it was', async () => {
    const [v1, v2] = [await profile('silver.events', 1), await profile('silver.events')]
    expect(v2.version).toBe(2)
    expect(v2.rows).toBe(Number(await scalar('SELECT count(*) FROM silver.events')))
    expect(v2.rows).toBe(v1.rows + 1)
    expect(column(v2, 'name').nulls).toBe(Number(await scalar('SELECT count(*) FROM silver.events WHERE name IS NULL')))
    expect([column(v1, 'name').nulls, column(v2, 'name').nulls]).toEqual([0, 1])
    // The second row with id 5 and the null name end id's and (name, day)'s uniqueness; ts is still unique, and id now
    // needs a partner (day differs between the two rows with id 5).
    expect(v2.candidateKeys[0]).toEqual(['ts'])
    expect(v2.candidateKeys).not.toContainEqual(['id'])
    expect(v2.candidateKeys).not.toContainEqual(['name', 'day'])
    expect(v2.candidateKeys).toContainEqual(['id', 'day'])
    await expectKeysHold(v2)
    expect(column(v2, 'id').topValues[0]).toEqual({ value: '5', count: 2 })
  })

  it('gives nested columns counts and nulls only', async () => {
    const p = await profile('silver.events', 2)
    for (const name of ['s', 'arr', 'm']) {
      const c = column(p, name)
      expect(c.kind).toBe('nested')
      expect(c.nulls).toBe(Number(await scalar(`SELECT count(*) FROM silver.events WHERE ${name} IS NULL`)))
      expect(c.nulls).toBe(1)
      expect(c).toMatchObject({ distinct: null, min: null, max: null, mean: null, quartiles: null, topValues: [], histogram: null, outliers: null })
    }
    expect(column(p, 's').type).toBe('struct<a:int,b:string>')
  })

  it('estimates distinct counts above the exact limit and still confirms keys exactly', async () => {
    const p = await profile('silver.events', 1, 10)
    expect(p.exactDistinctLimit).toBe(10)
    const id = column(p, 'id')
    expect(id.distinctExact).toBe(false)
    expect(Math.abs(id.distinct! - 100)).toBeLessThanOrEqual(10)
    expect(p.candidateKeys[0]).toEqual(['id'])
    expect(p.candidateKeys).toContainEqual(['ts'])
  })

  it('profiles an empty table without candidate keys, and its result satisfies the RPC schema', async () => {
    const p = await profile('silver.empty')
    expect(p).toMatchObject({ rows: 0, candidateKeys: [] })
    expect(column(p, 'k')).toMatchObject({ count: 0, nulls: 0, nullPercent: 0, distinct: 0, histogram: null })
    const spec = methodSpec('tables.profile')!
    expect(spec.result.safeParse(p).success).toBe(true)
    expect(spec.result.safeParse(await profile('silver.events', 1)).success).toBe(true)
    expect(spec.arg.safeParse({ table: 'silver.events' }).success).toBe(true)
    expect(spec.arg.safeParse({ table: 'silver.events', version: -1 }).success).toBe(false)
    await expect(profile('silver.events', 9)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' })
  })

  it('summarises every table from its log: rows, files, size, version and last change', async () => {
    const summaries = await tableSummaries(lakehouse, session)
    expect(summaries.map((s) => `${s.schema}.${s.name}`).sort()).toEqual(['silver.empty', 'silver.events'])
    for (const s of summaries) {
      const table = `${s.schema}.${s.name}`
      const [detail] = await query(`DESCRIBE DETAIL ${table}`)
      const [latest] = await query(`DESCRIBE HISTORY ${table} LIMIT 1`)
      expect(s, table).toMatchObject({
        rows: Number(await scalar(`SELECT count(*) FROM ${table}`)),
        numFiles: Number(detail!.numFiles),
        sizeBytes: Number(detail!.sizeInBytes),
        version: Number(latest!.version)
      })
      expect(s.lastModified).toBe(new Date(latest!.timestamp as string | number).getTime())
    }
    expect(methodSpec('tables.summaries')!.result.safeParse(summaries).success).toBe(true)
  })

  it('reports a table whose log cannot be read without failing the others', async () => {
    await sql.execute('CREATE TABLE bronze.broken (x INT) USING DELTA')
    const log = path.join(dir, 'tables', 'bronze', 'broken', '_delta_log', '00000000000000000000.json')
    await fs.writeFile(log, '{not json\n')
    const summaries = await tableSummaries(lakehouse, session)
    const broken = summaries.find((s) => s.name === 'broken')!
    expect(broken).toMatchObject({ rows: null, version: null })
    expect(broken.error).toBeTruthy()
    expect(summaries.find((s) => s.name === 'events')!.rows).toBe(101)
    await fs.rm(path.join(dir, 'tables', 'bronze', 'broken'), { recursive: true })
  })

  it('runs profiles on a session of its own that cancel() stops, and profiles again afterwards', async () => {
    const runner = new ProfileRunner()
    try {
      const running = runner.profile(lakehouse, 'silver.events', 1)
      await runner.cancel()
      await expect(running).rejects.toMatchObject({ code: 'CANCELLED', detail: { table: 'silver.events', version: 1 } })
      // The interrupt sent to an idle session must not fail the next profile.
      await runner.cancel()
      expect((await runner.profile(lakehouse, 'silver.events', 1)).rows).toBe(100)
    } finally {
      await runner.close()
    }
  })

  it('is reachable through createEngine, whose errors name the table', async () => {
    const engine = await createEngine({ lakehouseDir: dir })
    try {
      const p = await engine.tables.profile({ table: 'silver.events', version: 1 })
      expect(p).toMatchObject({ table: 'silver.events', version: 1, rows: 100 })
      expect((await engine.tables.summaries()).find((s) => s.name === 'events')).toMatchObject({ rows: 101, version: 2 })
      await expect(engine.tables.profile({ table: 'silver.nope' })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND', detail: { table: 'silver.nope' } })
      const cancelled = engine.tables.profile({ table: 'silver.events' })
      await engine.tables.cancelProfile()
      await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' })
    } finally {
      await engine.close()
    }
  })

  it('the fake engine profiles and summarises its tables in the same shapes', async () => {
    const engine = createFakeEngine()
    const p = await engine.tables.profile({ table: 'silver.workouts', version: 1 })
    expect(p.rows).toBe(5)
    expect(p.candidateKeys[0]).toEqual(['id'])
    expect(methodSpec('tables.profile')!.result.safeParse(p).success).toBe(true)
    expect(methodSpec('tables.summaries')!.result.safeParse(await engine.tables.summaries()).success).toBe(true)
  })
})
