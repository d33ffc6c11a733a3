// End-to-end tests of SqlEngine on a real temp lakehouse: every statement form, time travel, pruning, errors, cancel.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { DuckdbSession } from './duckdbSession'
import { SqlEngine, type StatementResult } from './queryRunner'
import { SqlError } from './sqlError'

const T0 = Date.parse('2024-01-01T00:00:00Z')

describe('SqlEngine', () => {
  let dir: string
  let lakehouse: Lakehouse
  let engine: SqlEngine
  let session: DuckdbSession
  let clockMs = T0
  const clock = { now: () => (clockMs += 1000) }

  const run = (sql: string): Promise<StatementResult[]> => engine.execute(sql)
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const results = await run(sql)
    return arrowRows(results[results.length - 1]!.arrow)
  }
  const failure = async (sql: string): Promise<SqlError> => {
    const e = await run(sql).then(() => null, (err: unknown) => err)
    expect(e).toBeInstanceOf(SqlError)
    return e as SqlError
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sql-'))
    lakehouse = await Lakehouse.create(dir)
    session = await DuckdbSession.create()
    engine = await SqlEngine.open(lakehouse, { clock, session })
    // users: v0 create, v1 insert (1,2), v2 insert (3), v3 delete id 2, v4 insert (4)
    await run(`
      CREATE TABLE bronze.users (id BIGINT NOT NULL, name STRING COMMENT 'display name', signup DATE, score DECIMAL(6,2),
        tags ARRAY<STRING>, attrs MAP<STRING, INT>, seen TIMESTAMP) USING DELTA PARTITIONED BY (signup) COMMENT 'people'
        TBLPROPERTIES ('owner.team' = 'data');
      INSERT INTO bronze.users VALUES
        (1, 'ann', DATE '2024-01-01', 10.50, ['a'], MAP {'x': 1}, TIMESTAMPTZ '2024-01-01 10:00:00+00'),
        (2, 'bob', DATE '2024-01-02', 20.25, [], MAP {}, NULL);
      INSERT INTO bronze.users (id, name, signup) VALUES (3, 'cyd', DATE '2024-01-03');
      DELETE FROM bronze.users WHERE id = 2;
      INSERT INTO TABLE bronze.users SELECT 4, 'dee', DATE '2024-01-03', 1.00, NULL, NULL, NULL;
    `)
  })

  afterAll(async () => {
    engine.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('runs plain DuckDB SQL unchanged and translates backticks', async () => {
    expect(await rows('SELECT 1 AS one')).toEqual([{ one: 1 }])
    expect(await rows("SELECT `x y` FROM (SELECT 'it''s `raw`' AS `x y`)")).toEqual([{ 'x y': "it's `raw`" }])
  })

  it('passes DuckDB-only statements and files through, next to Delta tables', async () => {
    const file = path.join(dir, 'extra.parquet')
    await run(`COPY (SELECT 1 AS id, 'x' AS v) TO '${file}' (FORMAT parquet)`)
    expect(await rows(`SELECT p.v, u.name FROM read_parquet('${file}') p JOIN bronze.users u USING (id)`)).toEqual([{ v: 'x', name: 'ann' }])
    const results = await run('CREATE TEMP TABLE scratch AS SELECT id FROM bronze.users; INSERT INTO scratch VALUES (100); UPDATE scratch SET id = id + 1 WHERE id = 100; SELECT max(id) AS m FROM scratch')
    expect(results.map((r) => r.kind)).toEqual(['ok', 'ok', 'ok', 'rows'])
    expect(arrowRows(results[3]!.arrow)).toEqual([{ m: 101 }])
    const update = await failure('UPDATE bronze.users SET name = 1')
    expect(update).toMatchObject({ code: 'UNSUPPORTED', table: 'bronze.users' })
  })

  it('writes and reads nested and timestamp_ntz columns', async () => {
    await run(`CREATE TABLE silver.nested (id INT, s STRUCT<a: INT, b: ARRAY<STRING>>, local TIMESTAMP_NTZ) USING DELTA;
      INSERT INTO silver.nested VALUES (1, {'a': 5, 'b': ['p', 'q']}, TIMESTAMP '2024-05-06 07:08:09.123456')`)
    expect(await rows('SELECT * FROM silver.nested')).toEqual([{ id: 1, s: { a: 5, b: ['p', 'q'] }, local: '2024-05-06T07:08:09.123456' }])
    const describe = await rows('DESCRIBE silver.nested')
    expect(describe.map((r) => r.data_type)).toEqual(['int', 'struct<a:int,b:array<string>>', 'timestamp_ntz'])
  })

  it('reads the latest version with Spark column types', async () => {
    const [result] = await run('SELECT * FROM bronze.users ORDER BY id')
    expect(result!.kind).toBe('rows')
    expect(result!.columns).toEqual([
      { name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }, { name: 'signup', type: 'date' }, { name: 'score', type: 'decimal(6,2)' },
      { name: 'tags', type: 'array<string>' }, { name: 'attrs', type: 'map<string,int>' }, { name: 'seen', type: 'timestamp' }
    ])
    const got = arrowRows(result!.arrow)
    expect(got.map((r) => r.id)).toEqual([1, 3, 4])
    expect(got[0]).toMatchObject({ name: 'ann', signup: '2024-01-01', score: 10.5, tags: ['a'], attrs: { x: 1 }, seen: '2024-01-01T10:00:00.000Z' })
    expect(got[1]).toMatchObject({ name: 'cyd', score: null, tags: null })
    expect(result!.scans).toEqual([expect.objectContaining({ table: 'bronze.users', version: 4 })])
  })

  it('travels in time by version in every spelling, and joins two versions', async () => {
    const ids = async (sql: string): Promise<unknown[]> => (await rows(sql)).map((r) => r.id)
    expect(await ids('SELECT id FROM bronze.users VERSION AS OF 1 ORDER BY id')).toEqual([1, 2])
    expect(await ids('SELECT id FROM bronze.users FOR SYSTEM_VERSION AS OF 2 ORDER BY id')).toEqual([1, 2, 3])
    expect(await ids('SELECT id FROM BRONZE.Users@v3 ORDER BY id')).toEqual([1, 3])
    expect(await ids('SELECT u.id FROM bronze.users FOR VERSION AS OF 2 AS u ORDER BY 1')).toEqual([1, 2, 3])
    const diff = await rows(`
      WITH before AS (SELECT * FROM bronze.users@v1), after AS (SELECT * FROM bronze.users VERSION AS OF 4)
      SELECT coalesce(a.id, b.id) AS id, CASE WHEN b.id IS NULL THEN 'added' WHEN a.id IS NULL THEN 'removed' END AS change
      FROM after a FULL JOIN before b ON a.id = b.id WHERE a.id IS NULL OR b.id IS NULL ORDER BY id`)
    expect(diff).toEqual([{ id: 2, change: 'removed' }, { id: 3, change: 'added' }, { id: 4, change: 'added' }])
    const joined = await rows('SELECT count(*) AS n FROM bronze.users@v2 old JOIN bronze.users new ON old.id = new.id')
    expect(joined).toEqual([{ n: 2 }])
    expect(await rows('SELECT count(*) AS n FROM (SELECT id FROM bronze.users@v2 WHERE id IN (SELECT id FROM bronze.users@v3))')).toEqual([{ n: 2 }])
  })

  it('travels in time by timestamp (TIMESTAMP AS OF, FOR SYSTEM_TIME AS OF, @yyyyMMddHHmmssSSS)', async () => {
    const history = await (await DeltaTable.open(lakehouse.tablePath('bronze', 'users'), session)).history()
    const v2 = history.find((h) => h.version === 2)!.timestamp
    const at = new Date(v2 + 500).toISOString()
    expect((await rows(`SELECT id FROM bronze.users TIMESTAMP AS OF '${at}' ORDER BY id`)).map((r) => r.id)).toEqual([1, 2, 3])
    expect((await rows(`SELECT id FROM bronze.users FOR SYSTEM_TIME AS OF TIMESTAMP '${at.replace('T', ' ').replace('Z', '')}' ORDER BY id`)).map((r) => r.id)).toEqual([1, 2, 3])
    const compact = at.replace(/[-:TZ.]/g, '')
    expect((await rows(`SELECT count(*) AS n FROM bronze.users@${compact}`))).toEqual([{ n: 3 }])
    const before = await failure("SELECT * FROM bronze.users TIMESTAMP AS OF '2000-01-01'")
    expect(before.code).toBe('TIMESTAMP_OUT_OF_RANGE')
    expect(before.message).toContain('bronze.users')
  })

  it('prunes files by partition values and stats, and still returns the right rows', async () => {
    await run(`CREATE TABLE silver.events (id BIGINT, day DATE, kind STRING) USING DELTA PARTITIONED BY (day)`)
    for (let d = 1; d <= 5; d++) {
      await run(`INSERT INTO silver.events SELECT ${d * 100} + i, DATE '2024-02-0${d}', 'k' || (i % 3) FROM range(10) t(i)`)
    }
    const [byPartition] = await run("SELECT count(*) AS n, min(id) AS lo FROM silver.events WHERE day = DATE '2024-02-03'")
    expect(arrowRows(byPartition!.arrow)).toEqual([{ n: 10, lo: 300 }])
    expect(byPartition!.scans[0]).toMatchObject({ filesScanned: 1, filesTotal: 5 })
    expect(byPartition!.message).toContain('scanned 1 of 5')
    const [byStats] = await run('SELECT id FROM silver.events e WHERE e.id BETWEEN 402 AND 404 ORDER BY id')
    expect(arrowRows(byStats!.arrow).map((r) => r.id)).toEqual([402, 403, 404])
    expect(byStats!.scans[0]).toMatchObject({ filesScanned: 1, filesTotal: 5 })
    const [disjunction] = await run("SELECT count(*) AS n FROM silver.events WHERE day = DATE '2024-02-01' OR id = 501")
    expect(arrowRows(disjunction!.arrow)).toEqual([{ n: 11 }])
    expect(disjunction!.scans[0]).toMatchObject({ filesScanned: 5 })
    const [joined] = await run("SELECT count(*) AS n FROM silver.events a JOIN silver.events b ON a.id = b.id WHERE a.day = DATE '2024-02-02'")
    expect(arrowRows(joined!.arrow)).toEqual([{ n: 10 }])
    expect(joined!.scans.map((s) => s.filesScanned)).toEqual([1, 5])
  })

  it('answers DESCRIBE, DESCRIBE DETAIL, DESCRIBE HISTORY and SHOW', async () => {
    const describe = await rows('DESCRIBE TABLE bronze.users')
    expect(describe.map((r) => [r.col_name, r.data_type])).toEqual([
      ['id', 'bigint'], ['name', 'string'], ['signup', 'date'], ['score', 'decimal(6,2)'], ['tags', 'array<string>'],
      ['attrs', 'map<string,int>'], ['seen', 'timestamp'], ['# Partition Information', ''], ['# col_name', 'data_type'], ['signup', 'date']
    ])
    expect(describe[1]!.comment).toBe('display name')
    const [detail] = await rows('DESCRIBE DETAIL bronze.users')
    expect(detail).toMatchObject({ format: 'delta', name: 'bronze.users', description: 'people', partitionColumns: ['signup'], version: 4, location: lakehouse.tablePath('bronze', 'users') })
    expect(detail!.properties).toMatchObject({ 'owner.team': 'data' })
    const history = await rows('DESCRIBE HISTORY bronze.users')
    expect(history.map((h) => [h.version, h.operation])).toEqual([[4, 'WRITE'], [3, 'DELETE'], [2, 'WRITE'], [1, 'WRITE'], [0, 'CREATE TABLE']])
    expect((await rows('DESCRIBE HISTORY bronze.users LIMIT 2')).map((h) => h.version)).toEqual([4, 3])
    expect((await rows('SHOW DATABASES')).map((r) => r.namespace)).toEqual(['bronze', 'gold', 'silver', 'system'])
    await run('CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS staging')
    expect((await rows('SHOW SCHEMAS')).map((r) => r.namespace)).toContain('staging')
    expect(await rows('SHOW TABLES IN bronze')).toEqual([{ namespace: 'bronze', tableName: 'users', isTemporary: false }])
  })

  it('creates tables with CTAS, overwrites, replaces where, and names tables by path', async () => {
    await run("CREATE TABLE gold.by_day USING DELTA PARTITIONED BY (signup) AS SELECT signup, count(*) AS n FROM bronze.users GROUP BY signup")
    expect(await rows('SELECT * FROM gold.by_day ORDER BY signup')).toEqual([{ signup: '2024-01-01', n: 1 }, { signup: '2024-01-03', n: 2 }])
    await run("INSERT INTO gold.by_day REPLACE WHERE signup = DATE '2024-01-03' SELECT DATE '2024-01-03', 7")
    expect(await rows('SELECT * FROM gold.by_day ORDER BY signup')).toEqual([{ signup: '2024-01-01', n: 1 }, { signup: '2024-01-03', n: 7 }])
    await run('INSERT OVERWRITE gold.by_day SELECT DATE \'2030-01-01\', 0')
    const pathName = `delta.\`${lakehouse.tablePath('gold', 'by_day')}\``
    expect(await rows(`SELECT * FROM ${pathName}`)).toEqual([{ signup: '2030-01-01', n: 0 }])
    expect((await rows(`DESCRIBE HISTORY ${pathName}`)).map((h) => h.operation)).toEqual(['WRITE', 'WRITE', 'CREATE TABLE AS SELECT'])
    await run('CREATE TABLE IF NOT EXISTS gold.by_day (x INT) USING DELTA')
    expect((await failure('CREATE TABLE gold.by_day (x INT) USING DELTA')).code).toBe('TABLE_EXISTS')
  })

  it('sees commits made by other writers on the next statement', async () => {
    const before = await rows('SELECT count(*) AS n FROM bronze.users')
    const table = await DeltaTable.open(lakehouse.tablePath('bronze', 'users'), session)
    await table.write({ sourceSql: "SELECT 9::BIGINT AS id, 'zed' AS name, DATE '2024-01-09' AS signup", mode: 'append' })
    const after = await rows('SELECT count(*) AS n FROM bronze.users')
    expect(after[0]!.n).toBe((before[0]!.n as number) + 1)
    await run('DELETE FROM bronze.users u WHERE u.id = 9')
  })

  it('names the table, version, schema and position in errors', async () => {
    const missing = await failure('SELECT 1;\nSELECT * FROM bronze.userz')
    expect(missing).toMatchObject({ code: 'TABLE_NOT_FOUND', statementIndex: 1, line: 2, table: 'bronze.userz' })
    expect(missing.message).toBe(`Table bronze.userz not found (lakehouse ${lakehouse.root}). Did you mean bronze.users?`)
    const version = await failure('SELECT * FROM bronze.users VERSION AS OF 99')
    expect(version).toMatchObject({ code: 'VERSION_NOT_FOUND', version: 99, table: 'bronze.users' })
    expect(version.message).toMatch(/^Version 99 of bronze\.users does not exist; the table has versions 0\.\.\d+$/)
    const schema = await failure('SELECT * FROM brnze.users')
    expect(schema.code).toBe('SCHEMA_NOT_FOUND')
    expect(schema.message).toContain('Did you mean bronze?')
    const duck = await failure('SELECT 1;\n\nSELECT nope FROM bronze.users')
    expect(duck).toMatchObject({ code: 'DUCKDB_ERROR', statementIndex: 1, line: 3 })
    expect(duck.message).toContain('nope')
    expect((await failure('SELECT * FROM bronze.users VERSION AS OF 1 WHERE')).statementIndex).toBe(0)
    const insert = await failure('INSERT INTO bronze.users VALUES (1)')
    expect(insert.code).toBe('SCHEMA_MISMATCH')
    expect(insert.message).toContain('bronze.users')
  })

  it('stops at the first failing statement', async () => {
    await run('CREATE TABLE bronze.steps (n INT) USING DELTA')
    await failure('INSERT INTO bronze.steps VALUES (1); SELECT * FROM nowhere.x; INSERT INTO bronze.steps VALUES (2)')
    expect(await rows('SELECT n FROM bronze.steps')).toEqual([{ n: 1 }])
  })

  it('cancels a running statement', async () => {
    const pending = run('SELECT count(*) FROM range(100000000000) a')
    setTimeout(() => engine.cancel(), 100)
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(await rows('SELECT 2 AS two')).toEqual([{ two: 2 }])
  })
})
