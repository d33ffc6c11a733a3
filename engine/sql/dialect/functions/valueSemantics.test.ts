// Spark value semantics DuckDB lacks, on a real engine per mode: exact integer rounding, byte padding, zoned timestamp literals, struct map keys in JSON.
import { describe, expect, it } from 'vitest'
import { useSparkModeEngines } from './sparkModeEngines'

describe('Spark value semantics', () => {
  const rows = useSparkModeEngines()

  it('round: integers at a negative scale round HALF_UP exactly; legacy wraps like Java, ANSI raises ARITHMETIC_OVERFLOW', async () => {
    // BigDecimal(2147483647).setScale(-1, HALF_UP).toInt and the same for Byte/Long: two's-complement wrap-around.
    expect(await rows('SELECT round(2147483647, -1), round(CAST(125 AS TINYINT), -1), round(9223372036854775807L, -1)', 'legacy'))
      .toEqual([['-2147483646', '-126', '-9223372036854775806']])
    expect(await rows('SELECT round(25, -1), round(-25, -1), round(1234567890123456789L, -18), round(123, -5), round(x, -2) FROM (VALUES (149), (-150)) t(x) ORDER BY x'))
      .toEqual([['30', '-30', '1000000000000000000', '0', '-200'], ['30', '-30', '1000000000000000000', '0', '100']])
    await expect(rows('SELECT round(2147483647, -1)')).rejects.toThrow(/ARITHMETIC_OVERFLOW/)
    await expect(rows('SELECT round(9223372036854775807L, -1)')).rejects.toThrow(/ARITHMETIC_OVERFLOW/)
    // The integer type is kept (a DECIMAL/DOUBLE result would print differently).
    expect(await rows('SELECT typeof(round(CAST(125 AS INT), -1)), round(2.55, 1), round(CAST(2.5 AS DOUBLE))')).toEqual([['INTEGER', '2.6', '3.0']])
  })

  it('lpad, rpad: BINARY input pads bytes (zero bytes by default) and stays BINARY; text is padded as characters', async () => {
    expect(await rows("SELECT hex(lpad(unhex('aa'), 5, unhex('1f'))), hex(rpad(unhex('aa'), 6, unhex('1f2e'))), hex(lpad(unhex('aabbcc'), 2)), hex(rpad(unhex('aa'), 3)), typeof(lpad(unhex('aa'), 2))", 'legacy'))
      .toEqual([['1F1F1F1FAA', 'AA1F2E1F2E1F', 'AABB', 'AA0000', 'BLOB']])
    expect(await rows("SELECT lpad('hi', 5, 'ab'), rpad('hi', 5), lpad('héllo', 3), lpad(12, 4, '0'), lpad(NULL, 3)")).toEqual([['abahi', 'hi   ', 'hél', '0012', 'NULL']])
  })

  it('date_format: TIMESTAMP literals with a zone suffix name an instant, shown in the session zone', async () => {
    const literal = (text: string): Promise<string[][]> => rows(`SELECT CAST(TIMESTAMP '${text}' AS STRING)`)
    expect(await literal('2018-11-17 13:33:33.123Z')).toEqual([['2018-11-17 05:33:33.123']])
    expect(await literal('2020-01-01 01:33:33.123Asia/Shanghai')).toEqual([['2019-12-31 09:33:33.123']])
    expect(await literal('2020-01-01 08:00:00UTC+080000')).toEqual([['2019-12-31 16:00:00']])
    expect(await literal('2020-01-01 00:00:00 GMT-7')).toEqual([['2019-12-31 23:00:00']])
    expect(await literal('2020-01-01 00:00:00+01:30')).toEqual([['2019-12-31 14:30:00']])
    expect(await literal('2020-01-01 00:00:00UTC')).toEqual([['2019-12-31 16:00:00']])
    // Local mean time before 1883: Los Angeles was UTC-7:52:58.
    expect(await literal('1582-06-01 11:33:33.123UTC+08:00')).toEqual([['1582-05-31 19:40:35.123']])
    expect(await literal('2020-06-01 12:00:00')).toEqual([['2020-06-01 12:00:00']])
    expect(await rows("SELECT date_format(TIMESTAMP '2018-11-17 13:33:33.123Z', 'yyyy-MM-dd HH:mm QQQ')")).toEqual([['2018-11-17 05:33 Q4']])
  })

  it('to_json: a struct map key prints as Spark\'s row text [v1,v2]', async () => {
    expect(await rows("SELECT to_json(map(named_struct('a', 1, 'b', 'x'), 1)), to_json(map('k', named_struct('a', 1))), to_json(map(1, 2))"))
      .toEqual([['{"[1,x]":1}', '{"k":{"a":1}}', '{"1":2}']])
  })
})
