// Tests for the DuckDB -> Arrow conversion: typed columns, precision, IPC round trips and JSON-ready rows.
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARROW_META_ENCODING, arrowIpc, arrowRows, emptyArrowIpc, resultToArrow } from './arrow'
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
