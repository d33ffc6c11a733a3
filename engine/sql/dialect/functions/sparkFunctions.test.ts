// Spark functions the oracle has no self-contained cases for, checked against Spark's documented examples on a real engine.
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../../../lakehouse/folder'
import { DuckdbSession } from '../../duckdbSession'
import { SqlEngine } from '../../queryRunner'
import { printSparkResult } from './compat/sparkPrinter'
import { setInputFileSources, setSparkMode } from './sparkFunctions'

const ZONE = 'America/Los_Angeles'

describe('Spark functions (documented examples)', () => {
  let dir: string
  let session: DuckdbSession
  let engine: SqlEngine

  /** Rows as Spark prints them, in result order. */
  const rows = async (sql: string): Promise<string[][]> => {
    const results = await engine.execute(sql)
    return printSparkResult(results[results.length - 1]!.arrow, ZONE).rows
  }
  const one = async (sql: string): Promise<string> => (await rows(sql))[0]![0]!

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-spark-fn-'))
    session = await DuckdbSession.create({ threads: 1 })
    await session.exec(`SET TimeZone = '${ZONE}'`)
    engine = await SqlEngine.open(await Lakehouse.create(dir), { session })
  })

  afterAll(async () => {
    engine.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('date_format: simple patterns (DuckDB strftime) and Java-only letters agree in the session zone', async () => {
    expect(await rows("SELECT date_format(TIMESTAMP '2024-07-01 10:07:30', 'yyyy-MM-dd HH:mm:ss'), date_format(TIMESTAMP '2024-07-01 10:07:30', 'yyyy-MM-dd HH:mm:ss a EEEE')"))
      .toEqual([['2024-07-01 10:07:30', '2024-07-01 10:07:30 AM Monday']])
    expect(await one("SELECT date_format(DATE '2024-03-05', 'dd/MM/yyyy')")).toBe('05/03/2024')
  })

  it('date_format: day names on leap days (Spark: 2024-02-29 was a Thursday)', async () => {
    expect(await rows("SELECT date_format(DATE '2024-02-29', 'EEEE'), date_format(DATE '2024-02-29', 'E'), date_format(DATE '2000-02-29', 'EEEE')"))
      .toEqual([['Thursday', 'Thu', 'Tuesday']])
  })

  it('dayofweek counts 1 (Sunday) .. 7 (Saturday) and weekday 0 (Monday) .. 6 (Sunday), as Spark', async () => {
    expect(await rows("SELECT dayofweek(DATE '2024-03-03'), dayofweek(DATE '2023-06-15'), dayofweek(DATE '2024-03-09'), weekday(DATE '2024-03-03'), weekday(DATE '2024-03-04')"))
      .toEqual([['1', '5', '7', '6', '0']])
  })

  it('from_unixtime: formats epoch seconds in the session zone', async () => {
    expect(await one("SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')")).toBe('1969-12-31 16:00:00')
    expect(await one('SELECT from_unixtime(0)')).toBe('1969-12-31 16:00:00')
  })

  it('unix_timestamp: parses with a pattern in the session zone; no argument is now', async () => {
    expect(await one("SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd')")).toBe('1460098800')
    expect(await one("SELECT unix_timestamp('not a date', 'yyyy-MM-dd')")).toBe('NULL')
    expect(Number(await one('SELECT unix_timestamp()'))).toBeGreaterThan(1_700_000_000)
  })

  it('add_months: clamps to the end of shorter months', async () => {
    expect(await one("SELECT add_months('2016-08-31', 1)")).toBe('2016-09-30')
    expect(await one("SELECT add_months(DATE '2016-01-15', -2)")).toBe('2015-11-15')
  })

  it('months_between: fractional months over 31-day months, rounded to 8 digits unless asked not to', async () => {
    expect(await one("SELECT months_between('1997-02-28 10:30:00', '1996-10-30')")).toBe('3.94959677')
    expect(await one("SELECT months_between('1997-02-28 10:30:00', '1996-10-30', false)")).toBe('3.9495967741935485')
    expect(await one("SELECT months_between('2020-03-31', '2020-02-29')")).toBe('1.0')
  })

  it('current_timestamp: one timestamp per statement, with or without parentheses', async () => {
    expect(await rows('SELECT current_timestamp() = current_timestamp, current_timestamp() IS NOT NULL')).toEqual([['true', 'true']])
  })

  it('day, hour: read the wall clock of strings and timestamps', async () => {
    expect(await rows("SELECT day('2009-07-30'), hour('2009-07-30 12:58:59'), hour(TIMESTAMP '2009-07-30 23:01:00')")).toEqual([['30', '12', '23']])
  })

  it('date_trunc: Spark unit names, returns a timestamp', async () => {
    expect(await rows("SELECT date_trunc('YEAR', '2015-03-05T09:32:05.359'), date_trunc('MM', '2015-03-05T09:32:05.359'), date_trunc('HOUR', '2015-03-05T09:32:05.359')"))
      .toEqual([['2015-01-01 00:00:00', '2015-03-01 00:00:00', '2015-03-05 09:00:00']])
  })

  it('window: tumbling windows are {start, end} structs aligned to the epoch, usable in GROUP BY', async () => {
    expect(await one("SELECT window(TIMESTAMP '2024-01-01 10:07:30', '10 minutes')")).toBe('{"start":2024-01-01 10:00:00,"end":2024-01-01 10:10:00}')
    expect(await rows(`SELECT w.start, count(*) FROM (SELECT window(ts, '10 minutes') AS w FROM VALUES
      (TIMESTAMP '2024-01-01 10:01:00'), (TIMESTAMP '2024-01-01 10:09:00'), (TIMESTAMP '2024-01-01 10:12:00') t(ts)) GROUP BY w ORDER BY 1`))
      .toEqual([['2024-01-01 10:00:00', '2'], ['2024-01-01 10:10:00', '1']])
  })

  it('window: sliding windows give one row per window containing the timestamp', async () => {
    expect(await rows("SELECT w.start, w.end FROM (SELECT window(TIMESTAMP '2024-01-01 10:07:00', '10 minutes', '5 minutes') AS w) ORDER BY 1"))
      .toEqual([['2024-01-01 10:00:00', '2024-01-01 10:10:00'], ['2024-01-01 10:05:00', '2024-01-01 10:15:00']])
  })

  it('get_json_object: JSONPath into a JSON string, NULL for missing paths and invalid JSON', async () => {
    expect(await rows(`SELECT get_json_object('{"a":"b"}', '$.a'), get_json_object('{"a":{"b":[7,8]}}', '$.a.b[0]'),
      get_json_object('{"a":{"b":1}}', '$.a'), get_json_object('{"a":1}', '$.z'), get_json_object('{oops', '$.a')`))
      .toEqual([['b', '7', '{"b":1}', 'NULL', 'NULL']])
  })

  it(': (JSON path), get_json_object: col:a.b::int and bracketed keys on a JSON string column', async () => {
    expect(await rows(`SELECT raw:a.b::int + 1, raw:['key with space'], raw:list[1] FROM VALUES ('{"a":{"b":"41"},"key with space":"x","list":[1,2]}') t(raw)`))
      .toEqual([['42', 'x', '2']])
  })

  it('collect_list, collect_set: skip NULLs', async () => {
    expect(await rows('SELECT collect_list(x), array_sort(collect_set(x)) FROM VALUES (1), (2), (NULL), (1) t(x)')).toEqual([['[1,2,1]', '[1,2]']])
  })

  it('array_contains: NULL when not found and the array holds NULL', async () => {
    expect(await rows('SELECT array_contains(array(1, 2, 3), 2), array_contains(array(1, NULL), 3), array_contains(array(1, 2), 3)')).toEqual([['true', 'NULL', 'false']])
  })

  it('struct, named_struct, map: Spark field names and map literals', async () => {
    expect(await rows("SELECT struct(1, 'a'), struct(x, y AS z), named_struct('k', 1), map('a', 1, 'b', 2) FROM VALUES (1, 2) t(x, y)"))
      .toEqual([['{"col1":1,"col2":"a"}', '{"x":1,"z":2}', '{"k":1}', '{"a":1,"b":2}']])
  })

  it('size: NULL input is NULL under ANSI and -1 in legacy mode', async () => {
    expect(await one('SELECT size(CAST(NULL AS ARRAY<INT>))')).toBe('NULL')
    await setSparkMode(session, 'legacy')
    try {
      expect(await one('SELECT size(CAST(NULL AS ARRAY<INT>))')).toBe('-1')
    } finally {
      await setSparkMode(session, 'ansi')
    }
  })

  it('percentile_approx: an element of the input at the percentile, one or several', async () => {
    expect(await one('SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10) AS tab(col)')).toBe('7')
    expect(await one('SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10) AS tab(col)')).toBe('[1,1,0]')
  })

  it('approx_count_distinct: distinct count', async () => {
    expect(await one('SELECT approx_count_distinct(col1) FROM VALUES (1), (1), (2), (2), (3) tab(col1)')).toBe('3')
  })

  it('first, last: with and without ignoreNulls', async () => {
    expect(await rows('SELECT first(col), last(col) FROM VALUES (10), (5), (20) AS tab(col)')).toEqual([['10', '20']])
    expect(await rows('SELECT first(col, true), last(col, true) FROM VALUES (NULL), (5), (20), (NULL) AS tab(col)')).toEqual([['5', '20']])
  })

  it('row_number, rank, dense_rank: over a partition, arguments to rank ignored as Spark does', async () => {
    expect(await rows(`SELECT a, b, row_number() OVER (PARTITION BY a ORDER BY b), rank(b) OVER (PARTITION BY a ORDER BY b), dense_rank() OVER (PARTITION BY a ORDER BY b)
      FROM VALUES ('A1', 2), ('A1', 1), ('A2', 3), ('A1', 1) tab(a, b) ORDER BY a, b`))
      .toEqual([['A1', '1', '1', '1', '1'], ['A1', '1', '2', '1', '1'], ['A1', '2', '3', '3', '2'], ['A2', '3', '1', '1', '1']])
  })

  it('lag, lead: previous and next rows in the partition', async () => {
    expect(await rows(`SELECT a, b, lag(b) OVER (PARTITION BY a ORDER BY b), lead(b) OVER (PARTITION BY a ORDER BY b)
      FROM VALUES ('A1', 2), ('A1', 1), ('A2', 3), ('A1', 1) tab(a, b) ORDER BY a, b, 3`))
      .toEqual([['A1', '1', 'NULL', '1'], ['A1', '1', '1', '2'], ['A1', '2', '1', 'NULL'], ['A2', '3', 'NULL', 'NULL']])
  })

  it('sha2: every supported width (0 means 256), NULL for others', async () => {
    const digest = (a: string): string => createHash(a).update('Spark').digest('hex')
    expect(await rows("SELECT sha2('Spark', 224), sha2('Spark', 384), sha2('Spark', 512), sha2('Spark', 0), sha2('Spark', 1)"))
      .toEqual([[digest('sha224'), digest('sha384'), digest('sha512'), digest('sha256'), 'NULL']])
  })

  it('uuid: a random version-4 UUID per row', async () => {
    const ids = (await rows('SELECT uuid() FROM range(3)')).map((r) => r[0]!)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(3)
  })

  it('monotonically_increasing_id: unique and increasing', async () => {
    const ids = (await rows('SELECT monotonically_increasing_id() FROM range(4)')).map((r) => Number(r[0]))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(new Set(ids).size).toBe(4)
  })

  it("input_file_name: '' outside file sources, the reserved column inside them", async () => {
    expect(await one('SELECT input_file_name()')).toBe('')
    await session.exec("CREATE OR REPLACE TEMP VIEW landing_rows AS SELECT 1 AS x, 'landing/users/part-1.csv' AS __input_file_name")
    setInputFileSources(session, ['landing_rows'])
    try {
      expect(await one('SELECT input_file_name() FROM landing_rows')).toBe('landing/users/part-1.csv')
    } finally {
      setInputFileSources(session, [])
    }
  })

  it('% / mod: the sign follows the dividend', async () => {
    expect(await rows('SELECT -7 % 3, 7 % -3, mod(-7, 3), pmod(-7, 3)')).toEqual([['-1', '1', '-1', '2']])
  })

  it('integer overflow: ANSI raises instead of wrapping', async () => {
    await expect(engine.execute('SELECT 2147483647 + 1')).rejects.toThrow(/overflow/i)
  })
})
