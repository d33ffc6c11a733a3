import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from './duckdbSession'

describe('DuckdbSession', () => {
  let session: DuckdbSession
  beforeAll(async () => {
    session = await DuckdbSession.create()
  })
  afterAll(() => session.close())

  it('returns rows as objects with 64-bit integers as bigint', async () => {
    const rows = await session.query('SELECT 40::BIGINT + 2 AS n, \'a\' AS s')
    expect(rows).toEqual([{ n: 42n, s: 'a' }])
  })

  it('runs statements one at a time even when issued together', async () => {
    await session.exec('CREATE TEMP TABLE t (i INT)')
    await Promise.all([1, 2, 3].map((i) => session.exec(`INSERT INTO t VALUES (${i})`)))
    const rows = await session.query('SELECT count(*)::INT AS c FROM t')
    expect(rows[0]!.c).toBe(3)
  })
})
