// Tests for the queries domain through the composition root: saved files in queries/ and history of real SQL runs.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../lakehouse/folder'
import { type Engine, createEngine } from '../createEngine'
import { historyFilePath } from './queryHistory'

let dir: string
let engine: Engine
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-queries-engine-'))
  await Lakehouse.create(join(dir, 'lh'))
  engine = await createEngine({ lakehouseDir: join(dir, 'lh') })
})
afterAll(async () => {
  await engine?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('queries through the engine', () => {
  it('saves, lists and reads plain files in queries/', async () => {
    await engine.queries.save({ name: 'three.sql', text: 'SELECT * FROM range(3)\n' })
    expect(await readFile(join(dir, 'lh', 'queries', 'three.sql'), 'utf8')).toBe('SELECT * FROM range(3)\n')
    expect((await engine.queries.list()).map((q) => q.name)).toEqual(['three.sql'])
    expect(await engine.queries.read({ name: 'three.sql' })).toEqual({ name: 'three.sql', text: 'SELECT * FROM range(3)\n' })
    await expect(engine.queries.read({ name: '../lakebench.json' })).rejects.toMatchObject({ code: 'INVALID_QUERY_NAME' })
  })

  it('records each run with its rows and status in the lakehouse, searchable', async () => {
    await engine.sql.execute({ sql: 'SELECT * FROM range(3); SELECT 42 AS answer' })
    await engine.sql.execute({ sql: 'SELECT * FROM silver.nowhere' }).catch(() => undefined)
    const all = await engine.queries.history()
    expect(all.map((e) => [e.statement, e.status, e.rows])).toEqual([
      ['SELECT * FROM silver.nowhere', 'error', 0],
      ['SELECT * FROM range(3); SELECT 42 AS answer', 'ok', 4]
    ])
    expect(all[0]!.error).toContain('nowhere')
    expect((await engine.queries.history({ search: 'ANSWER' })).map((e) => e.status)).toEqual(['ok'])
    expect((await readFile(historyFilePath(join(dir, 'lh')), 'utf8')).trim().split('\n')).toHaveLength(2)
  })
})
