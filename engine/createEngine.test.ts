// Tests for the composition root against a real sample lakehouse on disk and real DuckDB.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSampleLakehouse } from '../samples/index'
import { EngineError } from './api/errors'
import type { EngineEvent } from './api/events'
import { type Engine, createEngine } from './createEngine'

let dir: string
let engine: Engine
const events: EngineEvent[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-engine-'))
  await createSampleLakehouse(join(dir, 'sbit'), 'sbit')
  engine = await createEngine({ lakehouseDir: join(dir, 'sbit') })
  engine.onEvent((e) => events.push(e))
})
afterAll(async () => {
  await engine?.close()
  await rm(dir, { recursive: true, force: true })
})

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(EngineError)
  return error as EngineError
}

describe('createEngine over the sbit sample', () => {
  it('reports the lakehouse and lists its schemas and tables', async () => {
    expect(await engine.lakehouse.info()).toEqual({ root: join(dir, 'sbit'), name: 'sbit', formatVersion: 1 })
    const schemas = await engine.tables.listSchemas()
    expect(schemas).toEqual(expect.arrayContaining(['bronze', 'silver', 'gold']))
    const silver = await engine.tables.listTables({ schema: 'silver' })
    expect(silver.length).toBeGreaterThan(0)
    expect(silver.every((t) => t.schema === 'silver' && t.path === join(dir, 'sbit', 'tables', 'silver', t.name))).toBe(true)
    const all = await engine.tables.listTables()
    expect(all.length).toBeGreaterThan(silver.length)
  })

  it('runs SQL with time travel and returns Arrow that decodes to the reported row count', async () => {
    const [table] = await engine.tables.listTables({ schema: 'silver' })
    const name = `silver.${table!.name}`
    const history = await engine.tables.history({ table: name })
    expect(history.length).toBeGreaterThan(1)
    expect(history.map((h) => h.version)).toEqual([...history.map((h) => h.version)].sort((a, b) => b - a))
    const oldest = history[history.length - 1]!.version
    const [countNow, rowsNow, countOld, rowsOld] = await engine.sql.execute({
      sql: `SELECT count(*) AS n FROM ${name}; SELECT * FROM ${name}; SELECT count(*) AS n FROM ${name} VERSION AS OF ${oldest}; SELECT * FROM ${name} VERSION AS OF ${oldest}`
    })
    expect(Number(tableFromIPC(countNow!.arrow).getChild('n')!.get(0))).toBe(tableFromIPC(rowsNow!.arrow).numRows)
    expect(rowsNow!.rowCount).toBe(tableFromIPC(rowsNow!.arrow).numRows)
    expect(Number(tableFromIPC(countOld!.arrow).getChild('n')!.get(0))).toBe(tableFromIPC(rowsOld!.arrow).numRows)
    expect(await engine.tables.history({ table: name, limit: 1 })).toEqual([history[0]])
  })

  it('passes SQL errors through with their code and location', async () => {
    const missing = await failure(engine.sql.execute({ sql: 'SELECT 1;\nSELECT * FROM silver.no_such_table' }))
    expect(missing.code).toBe('TABLE_NOT_FOUND')
    expect(missing.detail).toMatchObject({ source: 'sql', statementIndex: 1 })
    const history = await failure(engine.tables.history({ table: 'silver.no_such_table' }))
    expect(history).toMatchObject({ code: 'TABLE_NOT_FOUND', detail: { table: 'silver.no_such_table' } })
  })

  it('announces statements that change tables', async () => {
    events.length = 0
    await engine.sql.execute({ sql: 'CREATE TABLE gold.engine_test AS SELECT 1 AS x' })
    expect(events).toEqual([{ type: 'tables.changed', statements: ['CREATE TABLE gold.engine_test AS SELECT 1 AS x'] }])
    expect((await engine.tables.listTables({ schema: 'gold' })).map((t) => t.name)).toContain('engine_test')
  })

  it('keeps the current lakehouse when opening another fails, and switches on create', async () => {
    const bad = await failure(engine.lakehouse.open({ dir: join(dir, 'missing') }))
    expect(bad.code).toBe('NOT_A_LAKEHOUSE')
    expect((await engine.lakehouse.info()).name).toBe('sbit')
    events.length = 0
    const info = await engine.lakehouse.create({ dir: join(dir, 'fresh'), name: 'fresh' })
    expect(info).toEqual({ root: join(dir, 'fresh'), name: 'fresh', formatVersion: 1 })
    expect(events).toEqual([{ type: 'lakehouse.opened', info }])
    expect(await engine.tables.listTables()).toEqual([])
  })
})
