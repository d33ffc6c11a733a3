// Spark operator semantics and collection generators on a real engine: division by zero, 0-based subscripts, map explode.
import { describe, expect, it } from 'vitest'
import { useSparkModeEngines } from './sparkModeEngines'

describe('Spark operators and generators', () => {
  const rows = useSparkModeEngines()

  it('/ (divide): ANSI raises DIVIDE_BY_ZERO for /, % and div by a zero column; legacy gives NULL', async () => {
    const data = 'FROM (VALUES (7, 0), (8, 2)) t(a, b)'
    for (const op of ['a / b', 'a % b', 'a div b', '(a + 1) / (b * 3)']) {
      await expect(rows(`SELECT ${op} ${data}`)).rejects.toThrow(/DIVIDE_BY_ZERO/)
      expect((await rows(`SELECT ${op} ${data} ORDER BY b`, 'legacy'))[0]).toEqual(['NULL'])
    }
    expect(await rows(`SELECT a / b, a % b, a div b, 1 / -b ${data} WHERE b <> 0`)).toEqual([['4.0', '0', '4', '-0.5']])
    expect(await rows('SELECT 10 / 4 * 2, 1.5 / 0.5')).toEqual([['5.0', '3.0']])
  })

  it('cast: a timestamp cast to STRING prints Spark\'s wall-clock text in the session zone, also inside arrays', async () => {
    expect(await rows("SELECT CAST(TIMESTAMP '2020-01-01 10:00:00.5' AS STRING), string(TIMESTAMP '2020-07-01 00:00:00'), CAST(array(TIMESTAMP '2020-01-01 10:00:00') AS STRING)"))
      .toEqual([['2020-01-01 10:00:00.5', '2020-07-01 00:00:00', '[2020-01-01 10:00:00]']])
    expect(await rows('SELECT CAST(12 AS STRING), CAST(DATE \'2020-02-29\' AS STRING)')).toEqual([['12', '2020-02-29']])
  })

  it('element_at: arr[i] is 0-based (arrays), map[k] looks the key up, chained subscripts nest', async () => {
    const data = "FROM (SELECT [10, 20, 30] AS arr, map('a', 1, 'b', 2) AS m, map(1, 'one', 2, 'two') AS im, [[1, 2], [3, 4]] AS nested)"
    expect(await rows(`SELECT arr[0], arr[2], m['b'], im[2], nested[1][0], split('x,y', ',')[1], array(1, 2, 3)[2 - 1] ${data}`))
      .toEqual([['10', '30', '2', 'two', '3', 'y', '2']])
    await expect(rows(`SELECT arr[3] ${data}`)).rejects.toThrow(/INVALID_ARRAY_INDEX/)
    expect(await rows(`SELECT arr[3], arr[-1], split('x,y', ',')[5] ${data}`, 'legacy')).toEqual([['NULL', 'NULL', 'NULL']])
  })

  it('size: size(map(...)) counts entries; size(NULL) is -1 in legacy mode', async () => {
    expect(await rows("SELECT size(map('a', 1, 'b', 2)), size(array(1, 2, 3)), size(map(1, 2))")).toEqual([['2', '3', '1']])
    expect(await rows('SELECT size(NULL)', 'legacy')).toEqual([['-1']])
  })

  it('explode: a map explodes into key/value columns, named by AS (k, v) or LATERAL VIEW ... t AS k, v', async () => {
    expect(await rows("SELECT * FROM (SELECT explode(map('a', 1, 'b', 2))) ORDER BY key")).toEqual([['a', '1'], ['b', '2']])
    expect(await rows("SELECT k, v FROM (SELECT explode(map('a', 1, 'b', 2)) AS (k, v)) ORDER BY k")).toEqual([['a', '1'], ['b', '2']])
    expect(await rows("SELECT id, k, v FROM (SELECT 1 AS id, map('x', 10, 'y', 20) AS m) LATERAL VIEW explode(m) t AS k, v ORDER BY k"))
      .toEqual([['1', 'x', '10'], ['1', 'y', '20']])
  })

  it('posexplode: AS (p, c) names the position and element columns, in SELECT and LATERAL VIEW', async () => {
    expect(await rows("SELECT p, c FROM (SELECT posexplode(array('x', 'y')) AS (p, c)) ORDER BY p")).toEqual([['0', 'x'], ['1', 'y']])
    expect(await rows("SELECT p, c FROM (SELECT array(5, 6) AS a) LATERAL VIEW posexplode(a) t AS p, c ORDER BY p")).toEqual([['0', '5'], ['1', '6']])
  })
})
