// Tests for the DuckDB -> Arrow conversion: typed columns, precision, IPC round trips and JSON-ready rows.
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARROW_META_ENCODING, arrowIpc, arrowRows, emptyArrowIpc, resultToArrow, streamToArrow } from './arrow'
import { DuckdbSession } from './duckdbSession'

describe('resultToArrow', () => {
  let session: DuckdbSession
  beforeAll(async () => {
    session = await DuckdbSession.create()
  })
  afterAll(() => session.close())

  it('builds typed columns that survive an IPC round trip with full precision', async () => {
    const reader = await session.connection.runAndReadAll(`
      SELECT 1::INT AS i, 9007199254740993::BIGINT AS big, 12345.67::DECIMAL(10,2) AS dec, 'x' AS s, DATE '2024-01-02' AS d,
             TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05.123456+00' AS tz,
             [1, 2] AS l, {'a': 1} AS st, true AS b
      UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`)
    const result = resultToArrow(reader)
    expect(result.rowCount).toBe(2)
    const table = tableFromIPC(arrowIpc(result.table))
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]))
    expect(types).toMatchObject({ i: 'Int32', big: 'Int64', dec: 'Utf8', s: 'Utf8', d: 'Date32<DAY>', b: 'Bool', l: 'Utf8', st: 'Utf8' })
    expect(types.ts).toContain('MICROSECOND')
    expect(types.tz).toContain('UTC')
    const first = table.get(0)!.toJSON()
    expect(first.big).toBe(9007199254740993n)
    expect(first.dec).toBe('12345.67')
    expect(first.l).toBe('[1,2]')
    expect(JSON.parse(first.st as string)).toEqual({ a: 1 })
    expect(new Date(first.d as number).toISOString()).toBe('2024-01-02T00:00:00.000Z')
    // µs precision is kept in the raw Int64 storage of the timestamp column
    const tsData = table.getChild('tz')!.data[0]!.values as BigInt64Array
    expect(tsData[0]).toBe(BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 123)) * 1000n + 456n)
    expect(table.schema.fields.find((f) => f.name === 'dec')!.metadata.get(ARROW_META_ENCODING)).toBe('decimal-string')
    const second = table.get(1)!.toJSON()
    expect(Object.values(second).every((v) => v === null)).toBe(true)
  })

  it('keeps duplicate column names and encodes empty results', async () => {
    const reader = await session.connection.runAndReadAll('SELECT 1 AS a, 2 AS a WHERE false')
    const table = tableFromIPC(arrowIpc(resultToArrow(reader).table))
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'a'])
    expect(table.numRows).toBe(0)
    expect(tableFromIPC(emptyArrowIpc()).numCols).toBe(0)
  })

  it('decodes IPC into JSON-ready rows', async () => {
    const reader = await session.connection.runAndReadAll(`
      SELECT 42::BIGINT AS n, 9223372036854775807::BIGINT AS huge, 1.50::DECIMAL(4,2) AS d, DATE '2024-03-01' AS day,
             TIMESTAMPTZ '2024-03-01 10:00:00.000001+00' AS tz, TIMESTAMP '2024-03-01 10:00:00' AS ntz, {'k': [1, 2]} AS st, NULL::INT AS nothing`)
    const rows = arrowRows(arrowIpc(resultToArrow(reader).table))
    expect(rows).toEqual([{
      n: 42, huge: '9223372036854775807', d: 1.5, day: '2024-03-01', tz: '2024-03-01T10:00:00.000001Z', ntz: '2024-03-01T10:00:00.000',
      st: { k: [1, 2] }, nothing: null
    }])
  })
})

describe('arrow edge values', () => {
  let session: DuckdbSession
  beforeAll(async () => {
    session = await DuckdbSession.create()
  })
  afterAll(() => session.close())

  const rowsOf = async (sql: string): Promise<Record<string, unknown>[]> => arrowRows(arrowIpc(resultToArrow(await session.connection.runAndReadAll(sql)).table))

  it('encodes infinite and far dates and timestamps of every unit without throwing', async () => {
    expect(await rowsOf(`SELECT 'infinity'::DATE AS d, '-infinity'::DATE AS nd, DATE '-0044-03-15' AS bc, 'infinity'::TIMESTAMPTZ AS tz,
      '-infinity'::TIMESTAMP AS ts, 'infinity'::TIMESTAMP_S AS s, TIMESTAMP_MS '2024-01-01 00:00:00.123' AS ms,
      TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns, TIMESTAMP_S '1969-12-31 23:59:59' AS before_epoch, 1 AS flag`)).toEqual([{
      d: 'infinity', nd: '-infinity', bc: '-000044-03-15', tz: 'infinity', ts: '-infinity', s: 'infinity', ms: '2024-01-01T00:00:00.123',
      ns: '2024-01-01T00:00:00.123456', before_epoch: '1969-12-31T23:59:59.000', flag: 1
    }])
  })

  it('encodes every other DuckDB type, NULLs everywhere, and keys repeated names apart', async () => {
    const sql = `SELECT 170141183460469231731687303715884105727::HUGEINT AS h, 18446744073709551615::UBIGINT AS ub, INTERVAL 3 DAY AS iv,
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID AS u, '\\xAA\\xBB'::BLOB AS bl, TIME '12:34:56' AS t, 'b'::ENUM('a', 'b') AS e,
      [{'x': 1}] AS ls, MAP {'k': [1]} AS m, union_value(num := 2)::UNION(num INT, s VARCHAR) AS un, 'nan'::DOUBLE AS nan,
      '-inf'::FLOAT AS ninf, '101'::BIT AS bits, 1 AS a, 2 AS a, 3 AS a_1`
    expect(await rowsOf(sql)).toEqual([{
      h: '170141183460469231731687303715884105727', ub: '18446744073709551615', iv: '3 days', u: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      bl: Buffer.from([0xaa, 0xbb]).toString('base64'), t: '12:34:56', e: 'b', ls: [{ x: 1 }], m: { k: [1] }, un: { tag: 'num', value: 2 },
      nan: 'NaN', ninf: '-Infinity', bits: '101', a: 1, a_2: 2, a_1: 3
    }])
    const nulls = await rowsOf(`SELECT ${['HUGEINT', 'UBIGINT', 'INTERVAL', 'UUID', 'BLOB', 'TIME', "ENUM('a')", 'STRUCT(a INT)[]', 'MAP(INT, INT)',
      'UNION(a INT)', 'DECIMAL(30,2)', 'TIMESTAMPTZ', 'TIMESTAMP_NS', 'TIMESTAMP_S', 'DATE', 'BOOLEAN', 'FLOAT', 'BIGINT'].map((t, i) => `NULL::${t} AS c${i}`).join(', ')}, NULL AS n`)
    expect(Object.values(nulls[0]!)).toHaveLength(19)
    expect(Object.values(nulls[0]!).every((v) => v === null)).toBe(true)
  })
})

describe('streamToArrow', () => {
  it('converts a large result in several record batches with the same values', async () => {
    const session = await DuckdbSession.create()
    try {
      const result = await session.connection.run('SELECT range AS i, range::VARCHAR AS s, CASE WHEN range % 7 = 0 THEN NULL ELSE range * 1.5 END AS d FROM range(150000)')
      const arrow = await streamToArrow(result)
      expect(arrow.rowCount).toBe(150000)
      const table = tableFromIPC(arrowIpc(arrow.table))
      expect(table.batches.length).toBeGreaterThan(1)
      expect(table.numRows).toBe(150000)
      const rows = arrowRows(arrowIpc(arrow.table))
      expect(rows[149999]).toEqual({ i: 149999, s: '149999', d: 224998.5 })
      expect(rows[140000]).toEqual({ i: 140000, s: '140000', d: null })
      expect(rows.reduce((n, r) => n + (r.d === null ? 1 : 0), 0)).toBe(Math.ceil(150000 / 7))
      const empty = await streamToArrow(await session.connection.run('SELECT 1::BIGINT AS x WHERE false'))
      expect(tableFromIPC(arrowIpc(empty.table)).schema.fields.map((f) => [f.name, String(f.type)])).toEqual([['x', 'Int64']])
    } finally {
      session.close()
    }
  })
})
