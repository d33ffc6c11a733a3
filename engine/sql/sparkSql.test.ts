// End-to-end tests of the Spark SQL a Databricks user types on day one: EXCEPT, Spark functions, time-travel forms and errors.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { SqlEngine } from './queryRunner'
import { SqlError } from './sqlError'

const T0 = Date.parse('2024-01-01T00:00:00Z')
const DAY = 86_400_000

describe('Spark SQL on SqlEngine', () => {
  let dir: string
  let engine: SqlEngine
  let clockMs = T0
  const clock = { now: () => clockMs }

  const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const results = await engine.execute(sql)
    return arrowRows(results[results.length - 1]!.arrow)
  }
  const failure = async (sql: string): Promise<SqlError> => {
    const e = await engine.execute(sql).then(() => null, (err: unknown) => err)
    expect(e).toBeInstanceOf(SqlError)
    return e as SqlError
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-spark-'))
    engine = await SqlEngine.open(await Lakehouse.create(dir), { clock })
    // One commit per day at midnight UTC: v0 on 2024-01-01, v1 on 2024-01-02, v2 on 2024-01-03.
    const statements = [
      'CREATE TABLE silver.events (id INT, kind STRING, `the day` DATE) USING DELTA',
      "INSERT INTO silver.events VALUES (1, 'a', DATE '2024-01-01')",
      "INSERT INTO silver.events VALUES (2, 'b', DATE '2024-01-02'), (3, 'b', DATE '2024-01-02')"
    ]
    for (const [day, sql] of statements.entries()) {
      clockMs = T0 + day * DAY
      await engine.execute(sql)
    }
  })

  afterAll(async () => {
    engine.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('supports SELECT * EXCEPT (...) on Delta tables, with or without a qualifier', async () => {
    expect(await rows('SELECT * EXCEPT (kind, `the day`) FROM silver.events ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(await rows('SELECT e.* EXCEPT (id) FROM silver.events VERSION AS OF 1 e')).toEqual([{ kind: 'a', 'the day': '2024-01-01' }])
    expect(await rows('SELECT id FROM silver.events EXCEPT SELECT id FROM silver.events@v1 ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }])
  })

  it('evaluates Spark functions', async () => {
    expect(await rows(`SELECT named_struct('a', 1, 'b', 'x') AS s, array(1, 2) AS l, map('k', 1) AS m, X'0102' AS b, nvl(NULL, 3) AS n,
      date_sub('2024-01-10', 3) AS ds, date_add(DATE '2024-01-10', 1) AS da, datediff('2024-01-10', '2024-01-01') AS dd, size(array(1, 2, 3)) AS sz,
      current_timestamp() IS NOT NULL AS now_ok`)).toEqual([{
      s: { a: 1, b: 'x' }, l: [1, 2], m: { k: 1 }, b: Buffer.from([1, 2]).toString('base64'), n: 3, ds: '2024-01-07', da: '2024-01-11', dd: 9, sz: 3, now_ok: true
    }])
    expect(await rows('SELECT collect_list(id) AS ids, collect_set(kind) AS kinds FROM silver.events@v1')).toEqual([{ ids: [1], kinds: ['a'] }])
    expect(await rows("SELECT date_format(TIMESTAMP '2024-03-05 07:08:09', 'yyyy-MM-dd HH:mm') AS f, percentile_approx(x, 0.5) AS p FROM range(5) t(x)")).toEqual([
      { f: '2024-03-05 07:08', p: 2 }
    ])
    expect(await rows('SELECT e.id, x FROM silver.events@v1 e LATERAL VIEW explode(array(e.id, 10)) v AS x ORDER BY x')).toEqual([{ id: 1, x: 1 }, { id: 1, x: 10 }])
    // DuckDB's own three-argument forms keep working.
    expect(await rows("SELECT date_sub('day', DATE '2024-01-01', DATE '2024-01-05') AS d")).toEqual([{ d: 4 }])
  })

  it('travels in time to a TIMESTAMP AS OF expression, as Spark allows', async () => {
    // v1 was committed on 2024-01-02, v2 on 2024-01-03.
    expect(await rows("SELECT count(*) AS n FROM silver.events TIMESTAMP AS OF date_sub('2024-01-04', 1)")).toEqual([{ n: 3 }])
    expect(await rows("SELECT count(*) AS n FROM silver.events TIMESTAMP AS OF to_date('2024-01-02') + INTERVAL 1 HOUR")).toEqual([{ n: 1 }])
    const future = await failure('SELECT * FROM silver.events TIMESTAMP AS OF current_timestamp() - INTERVAL 1 DAY')
    expect(future).toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE', table: 'silver.events' })
  })

  it('reads two versions in one CTE and in a UNION ALL, with LIMIT', async () => {
    const diff = await rows(`WITH old AS (SELECT * FROM silver.events VERSION AS OF 1), new AS (SELECT * FROM silver.events@v2 AS n)
      SELECT (SELECT count(*) FROM old) AS before, (SELECT count(*) FROM new) AS after`)
    expect(diff).toEqual([{ before: 1, after: 3 }])
    const union = await rows(`SELECT 'v1' AS v, id FROM silver.events /* old */ VERSION /* as */ AS OF 1
      UNION ALL SELECT 'v2', id FROM silver.events -- latest
      VERSION AS OF 2 WHERE id > 2 ORDER BY v, id LIMIT 5`)
    expect(union).toEqual([{ v: 'v1', id: 1 }, { v: 'v2', id: 3 }])
  })

  it('rejects VERSION AS OF values that are not versions, naming the table and position', async () => {
    for (const [value, shown] of [['-1', '-1'], ['1.5', '1.5'], ["'abc'", "'abc'"]] as const) {
      const e = await failure(`SELECT *\nFROM silver.events VERSION AS OF ${value}`)
      expect(e).toMatchObject({ code: 'INVALID_VERSION', table: 'silver.events', line: 2, column: 34 })
      expect(e.message).toContain(`not ${shown}`)
    }
  })

  it('places DuckDB errors at the line and column the user wrote and names tables, not internal views', async () => {
    const column = await failure('SELECT 1;\nSELECT id,\n   nope FROM silver.events VERSION AS OF 1 e')
    expect(column).toMatchObject({ code: 'DUCKDB_ERROR', statementIndex: 1, line: 3, column: 4 })
    expect(column.message).toContain('"nope"')
    const conversion = await failure("SELECT * FROM silver.events WHERE id = 'x'")
    expect(conversion).toMatchObject({ line: 1, column: 40 })
    const qualified = await failure('SELECT silver.events.nope FROM silver.events')
    expect(qualified.message).not.toMatch(/__lb_t/)
  })

  it('creates a table with every Spark type and writes Spark literals into it, NULLs and reordered columns included', async () => {
    await engine.execute(`CREATE TABLE IF NOT EXISTS gold.all_types (s STRING NOT NULL COMMENT 'key', i INT, b BIGINT, sm SMALLINT, ti TINYINT,
      f FLOAT, d DOUBLE, de DECIMAL(12,3), bo BOOLEAN, bi BINARY, dt DATE, ts TIMESTAMP, tn TIMESTAMP_NTZ,
      arr ARRAY<STRUCT<a:INT,b:STRING>>, m MAP<STRING,INT>) USING DELTA TBLPROPERTIES ('team' = 'data') COMMENT 'every type'`)
    await engine.execute(`INSERT INTO gold.all_types VALUES ('a', 1, 9007199254740993, 3, 4, 1.5, 2.5, 123.456, true, X'0102', DATE '2024-01-02',
      TIMESTAMP '2024-01-02 03:04:05', TIMESTAMP_NTZ '2024-01-02 03:04:05.123456', array(named_struct('a', 1, 'b', 'x')), map('k', 1));
      INSERT INTO gold.all_types (de, i, s) VALUES ('7.5', '8', 'b')`)
    expect(await rows('SELECT * FROM gold.all_types ORDER BY s')).toEqual([
      { s: 'a', i: 1, b: '9007199254740993', sm: 3, ti: 4, f: 1.5, d: 2.5, de: 123.456, bo: true, bi: 'AQI=', dt: '2024-01-02', ts: '2024-01-02T03:04:05.000Z',
        tn: '2024-01-02T03:04:05.123456', arr: [{ a: 1, b: 'x' }], m: { k: 1 } },
      { s: 'b', i: 8, b: null, sm: null, ti: null, f: null, d: null, de: 7.5, bo: null, bi: null, dt: null, ts: null, tn: null, arr: null, m: null }
    ])
    const [detail] = await rows('DESCRIBE DETAIL gold.all_types')
    expect(detail).toMatchObject({ description: 'every type', partitionColumns: [], clusteringColumns: [], properties: { team: 'data' } })
  })

  it('names the table and the column when a value does not fit it, and where CREATE TABLE went wrong', async () => {
    await engine.execute('CREATE TABLE IF NOT EXISTS gold.small (id INT, n TINYINT, s STRING) USING DELTA')
    const cast = await failure("INSERT INTO gold.small (s, n) VALUES ('x', 300)")
    expect(cast).toMatchObject({ code: 'CAST_ERROR', table: 'gold.small' })
    expect(cast.message).toMatch(/^Cannot write to gold\.small: .*300.* for column n$/)
    const text = await failure("INSERT INTO gold.small VALUES ('one', 1, 's')")
    expect(text.message).toContain('for column id')
    const provider = await failure('CREATE TABLE gold.p (a INT)\nUSING PARQUET')
    expect(provider).toMatchObject({ code: 'SYNTAX_ERROR', line: 2, column: 7 })
    expect((await failure("CREATE TABLE gold.l (a INT) USING DELTA LOCATION '/tmp/x'")).message).toContain('delta.`/path/to/table`')
    expect(await failure('CREATE TABLE gold.q (a INT) USING DELTA PARTITIONED BY (b)')).toMatchObject({ code: 'SCHEMA_MISMATCH', table: 'gold.q' })
  })

  it('answers SHOW COLUMNS, reads parquet.`path` files next to Delta tables, and explains that USE is not kept', async () => {
    expect(await rows('SHOW COLUMNS IN silver.events')).toEqual([{ col_name: 'id' }, { col_name: 'kind' }, { col_name: 'the day' }])
    expect(await rows('SHOW COLUMNS FROM events IN silver')).toHaveLength(3)
    await engine.execute(`COPY (SELECT 2 AS id, 'from a file' AS note) TO '${path.join(dir, 'landing', 'notes.parquet')}' (FORMAT parquet)`)
    expect(await rows('SELECT e.id, n.note FROM silver.events e JOIN parquet.`landing/notes.parquet` n USING (id)')).toEqual([{ id: 2, note: 'from a file' }])
    expect(await failure('USE silver')).toMatchObject({ code: 'UNSUPPORTED', line: 1, column: 5 })
  })

  it('names the Delta table, version and data file when a data file is missing or damaged', async () => {
    await engine.execute("CREATE TABLE gold.fragile (id INT) USING DELTA; INSERT INTO gold.fragile VALUES (1)")
    const root = path.join(dir, 'tables', 'gold', 'fragile')
    const file = (await fs.readdir(root)).find((f) => f.endsWith('.parquet'))!
    await fs.rm(path.join(root, file))
    const missing = await failure('SELECT * FROM gold.fragile')
    expect(missing).toMatchObject({ table: 'gold.fragile', file: path.join(root, file) })
    expect(missing.message).toMatch(/^gold\.fragile@v1: /)
    await fs.writeFile(path.join(root, file), 'not parquet')
    expect(await failure('SELECT count(*) FROM gold.fragile')).toMatchObject({ table: 'gold.fragile', file: path.join(root, file) })
  })

  it('deletes with subquery and partition predicates, and refuses correlated subqueries instead of deleting every row', async () => {
    await engine.execute(`CREATE TABLE silver.orders (id INT, region STRING) USING DELTA PARTITIONED BY (region);
      INSERT INTO silver.orders VALUES (1, 'eu'), (2, 'eu'), (3, 'us'), (4, 'ap');
      CREATE TABLE silver.refunds (id INT, note STRING) USING DELTA;
      INSERT INTO silver.refunds VALUES (2, 'x'), (99, 'y')`)
    const correlated = await failure('DELETE FROM silver.orders o\nWHERE EXISTS (SELECT 1 FROM silver.refunds r WHERE r.id = o.id)')
    expect(correlated).toMatchObject({ code: 'UNSUPPORTED', table: 'silver.orders', line: 2, column: 59 })
    expect(await rows('SELECT count(*) AS n FROM silver.orders')).toEqual([{ n: 4 }])
    await engine.execute('DELETE FROM silver.orders o WHERE o.id IN (SELECT r.id FROM silver.refunds r)')
    await engine.execute("DELETE FROM silver.orders WHERE region = 'ap'")
    // An alias the subquery declares itself is the subquery's own table.
    await engine.execute('DELETE FROM silver.orders o WHERE o.id IN (SELECT o.id + 2 FROM silver.refunds o WHERE o.id < 10)')
    expect(await rows('SELECT id, region FROM silver.orders ORDER BY id')).toEqual([{ id: 1, region: 'eu' }, { id: 3, region: 'us' }])
  })
})
