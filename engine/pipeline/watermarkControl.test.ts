import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { WatermarkControl } from './watermarkControl'

describe('WatermarkControl', () => {
  let port: DuckdbSession
  let dir: string
  let now = Date.UTC(2024, 2, 10, 8, 0, 0)
  const clock = { now: () => now }
  let n = 0
  const lakehouse = () => {
    const root = path.join(dir, `lh${n++}`)
    return { root, tablePath: (schema: string, name: string) => path.join(root, 'tables', schema, name) }
  }

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-watermark-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('creates the table on first use and inserts the row on the first run', async () => {
    const lh = lakehouse()
    const control = await WatermarkControl.open(lh, port, clock)
    expect(await DeltaTable.exists(lh.tablePath('system', 'watermark_control'))).toBe(true)
    expect(await control.current('retail_pos', 'bronze.transactions')).toBeNull()
    expect(await control.begin('retail_pos', 'bronze.transactions', 'transaction_ts')).toBeNull()
    expect(await control.row('retail_pos', 'bronze.transactions')).toMatchObject({
      sourceSystem: 'retail_pos', tableName: 'bronze.transactions', watermarkColumn: 'transaction_ts', lastProcessedTimestamp: null,
      status: 'RUNNING', processDate: '2024-03-10', createdAt: new Date(now), updatedAt: new Date(now)
    })
  })

  it('advances after success, keeps the watermark on failure, and never moves it backwards', async () => {
    const lh = lakehouse()
    const control = await WatermarkControl.open(lh, port, clock)
    const created = now
    await control.begin('pos', 't', 'ts')
    await control.advance('pos', 't', 'ts', new Date('2024-03-09T23:59:59.123Z'), 'SUCCESS')
    expect(await control.current('pos', 't')).toEqual(new Date('2024-03-09T23:59:59.123Z'))

    now += 86_400_000
    expect(await control.begin('pos', 't', 'ts')).toEqual(new Date('2024-03-09T23:59:59.123Z'))
    await control.markFailed('pos', 't', 'ts')
    expect(await control.row('pos', 't')).toMatchObject({
      lastProcessedTimestamp: new Date('2024-03-09T23:59:59.123Z'), status: 'FAILED', processDate: '2024-03-11', createdAt: new Date(created), updatedAt: new Date(now)
    })

    await control.advance('pos', 't', 'ts', new Date('2024-03-01T00:00:00Z'))
    expect(await control.row('pos', 't')).toMatchObject({ lastProcessedTimestamp: new Date('2024-03-09T23:59:59.123Z'), status: 'SUCCESS' })
  })

  it('keeps one row per (source_system, table_name), also across reopen', async () => {
    const lh = lakehouse()
    const first = await WatermarkControl.open(lh, port, clock)
    await first.advance('pos', 'a', 'ts', new Date('2024-01-01T00:00:00Z'))
    await first.advance('crm', 'a', 'ts', new Date('2024-02-01T00:00:00Z'))
    await first.advance('pos', 'a', 'ts', new Date('2024-01-02T00:00:00Z'))
    const reopened = await WatermarkControl.open(lh, port, clock)
    expect(await reopened.current('pos', 'a')).toEqual(new Date('2024-01-02T00:00:00Z'))
    expect(await reopened.current('crm', 'a')).toEqual(new Date('2024-02-01T00:00:00Z'))
    const table = await DeltaTable.open(lh.tablePath('system', 'watermark_control'), port)
    const rows = await port.query(`SELECT source_system, table_name FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY source_system`)
    expect(rows).toEqual([{ source_system: 'crm', table_name: 'a' }, { source_system: 'pos', table_name: 'a' }])
  })
})
