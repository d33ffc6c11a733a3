import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../lakehouse/folder'
import { runPipeline } from './runner'
import { createTestLakehouse, FIXED_NOW, fixedClock, queryRows, removeTestLakehouses, shopLakehouse, tableVersion, writeFiles } from './run/testPipelineLakehouse'

const TABLES = ['bronze.users', 'bronze.events', 'silver.users', 'silver.events', 'gold.user_activity', 'silver.users_quarantine', 'silver.events_quarantine']

async function versions(lakehouse: Lakehouse): Promise<Record<string, number | null>> {
  return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await tableVersion(lakehouse, t)] as const)))
}

afterAll(removeTestLakehouses)

describe('runPipeline: bronze -> silver -> gold', () => {
  it('ingests files with bronze columns and rescued data, applies expectations, quarantines and records the run', async () => {
    const lakehouse = await shopLakehouse()
    const result = await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('completed')
    expect(result.flows.map((f) => [f.flow, f.status, f.rowsIn, f.rowsWritten, f.rowsQuarantined])).toEqual([
      ['bronze.users', 'completed', 4, 4, 0],
      ['bronze.events', 'completed', 4, 4, 0],
      ['silver.users', 'completed', 4, 3, 1],
      ['silver.events', 'completed', 4, 3, 1],
      ['gold.user_activity', 'completed', 3, 3, 0]
    ])

    const users = await queryRows(lakehouse, 'SELECT id, name, age, epoch_ms(signup) AS signup, _rescued_data, _source_file, CAST(_load_time AS STRING) AS load_time, _batch_id FROM bronze.users ORDER BY id')
    expect(users.map((u) => [u.id, u.age, u.signup])).toEqual([[1, 30, Date.UTC(2024, 0, 1, 10)], [2, null, Date.UTC(2024, 0, 2, 11)], [3, 40, Date.UTC(2024, 0, 3, 12)], [4, 12, null]])
    expect(JSON.parse(String(users[1]!._rescued_data))).toEqual({ age: 'x', _file_path: 'landing/users/u1.csv', _line: '3' })
    expect(JSON.parse(String(users[3]!._rescued_data))).toEqual({ signup: 'bad-date', _file_path: 'landing/users/u1.csv', _line: '5' })
    expect(users[0]!._rescued_data).toBeNull()
    expect(new Set(users.map((u) => u._source_file))).toEqual(new Set(['landing/users/u1.csv']))
    expect(new Set(users.map((u) => u._batch_id))).toEqual(new Set([0]))
    const loadTimes = await queryRows(lakehouse, 'SELECT DISTINCT epoch_ms(_load_time) AS ms FROM bronze.users')
    expect(loadTimes).toEqual([{ ms: FIXED_NOW }])

    const events = await queryRows(lakehouse, 'SELECT user_id, kind, amount, _rescued_data, file_name FROM bronze.events')
    const corrupt = events.find((e) => e.user_id === null)!
    expect([corrupt.kind, corrupt.amount]).toEqual([null, null])
    expect(JSON.parse(String(corrupt._rescued_data))).toMatchObject({ _corrupt_record: 'not json at all', _line: '3' })
    const badAmount = events.find((e) => e.kind === 'logout')!
    expect(badAmount.amount).toBeNull()
    expect(JSON.parse(String(badAmount._rescued_data))).toMatchObject({ amount: 'abc' })
    expect(new Set(events.map((e) => e.file_name))).toEqual(new Set(['e1.json']))

    const quarantine = await queryRows(lakehouse, 'SELECT id, name, _expectations, _reason, _batch_id, epoch_ms(_quarantined_at) AS at FROM silver.users_quarantine')
    expect(quarantine).toEqual([{ id: 3, name: null, _expectations: ['has_name'], _reason: 'has_name: EXPECT (name IS NOT NULL) ON VIOLATION DROP ROW', _batch_id: 0, at: FIXED_NOW }])
    expect(await queryRows(lakehouse, 'SELECT id FROM silver.users ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }])

    expect(await queryRows(lakehouse, 'SELECT id, name, events, amount FROM gold.user_activity ORDER BY id')).toEqual([
      { id: 1, name: 'ann', events: 2, amount: 4 },
      { id: 2, name: 'bob', events: 1, amount: 0 },
      { id: 4, name: 'dan', events: 0, amount: 0 }
    ])

    // A NULL expectation result fails the expectation: bob's age did not parse, so 'adult' fails for him and for dan.
    const quality = await queryRows(lakehouse, `SELECT dataset, expectation, action, passed, failed FROM system.quality_results WHERE run_id = '${result.runId}' ORDER BY dataset, expectation`)
    expect(quality).toEqual([
      { dataset: 'silver.events', expectation: 'known_user', action: 'drop', passed: 3, failed: 1 },
      { dataset: 'silver.users', expectation: 'adult', action: 'warn', passed: 2, failed: 2 },
      { dataset: 'silver.users', expectation: 'has_name', action: 'drop', passed: 3, failed: 1 }
    ])
    const events2 = await queryRows(lakehouse, `SELECT flow, event_type, status, rows_in, rows_written, rows_quarantined FROM system.pipeline_events WHERE run_id = '${result.runId}' ORDER BY event_type, flow`)
    expect(events2).toContainEqual({ flow: 'silver.users', event_type: 'flow_progress', status: 'completed', rows_in: 4, rows_written: 3, rows_quarantined: 1 })
    expect(events2).toContainEqual({ flow: null, event_type: 'update', status: 'completed', rows_in: 19, rows_written: 17, rows_quarantined: 2 })
  })

  it('commits nothing on a second run without new data, and processes a new landing file exactly once', async () => {
    const lakehouse = await shopLakehouse()
    await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    const before = await versions(lakehouse)
    const second = await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    expect(second.flows.map((f) => f.status)).toEqual(['no_new_data', 'no_new_data', 'no_new_data', 'no_new_data', 'unchanged'])
    expect(await versions(lakehouse)).toEqual(before)

    await writeFiles(lakehouse, {
      'landing/users/u2.csv': 'id,name,age,signup\n5,eve,22,2024-02-01 09:00:00\n',
      'landing/events/e2.json': '{"user_id":5,"kind":"login","amount":3,"coupon":"X1"}\n'
    })
    const later = { now: () => FIXED_NOW + 60_000 }
    const third = await runPipeline(lakehouse, 'shop', { clock: later })
    expect(third.flows.map((f) => [f.flow, f.status, f.rowsIn])).toEqual([
      ['bronze.users', 'completed', 1], ['bronze.events', 'completed', 1], ['silver.users', 'completed', 1], ['silver.events', 'completed', 1], ['gold.user_activity', 'completed', 4]
    ])
    expect(await queryRows(lakehouse, 'SELECT _batch_id, count(*) AS n, min(_source_file) AS f FROM bronze.users GROUP BY 1 ORDER BY 1')).toEqual([
      { _batch_id: 0, n: 4, f: 'landing/users/u1.csv' }, { _batch_id: 1, n: 1, f: 'landing/users/u2.csv' }
    ])
    // The schema inferred from the first batch stays: a key it did not have is rescued, not added.
    const [coupon] = await queryRows(lakehouse, 'SELECT _rescued_data FROM bronze.events WHERE _batch_id = 1')
    expect(JSON.parse(String(coupon!._rescued_data))).toMatchObject({ coupon: 'X1', _file_path: 'landing/events/e2.json' })
    expect(await queryRows(lakehouse, 'SELECT events, amount FROM gold.user_activity WHERE id = 5')).toEqual([{ events: 1, amount: 3 }])
    const afterThird = await versions(lakehouse)
    const fourth = await runPipeline(lakehouse, 'shop', { clock: later })
    expect(fourth.status).toBe('completed')
    expect(await versions(lakehouse)).toEqual(afterThird)
    expect(await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.users')).toEqual([{ n: 4 }])
  })

  it('full refresh recomputes from scratch without duplicating; a list refreshes only those tables', async () => {
    const lakehouse = await shopLakehouse()
    await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    const full = await runPipeline(lakehouse, 'shop', { clock: fixedClock, fullRefresh: true })
    expect(full.status).toBe('completed')
    expect(full.flows.map((f) => [f.flow, f.rowsIn, f.rowsWritten])).toEqual([
      ['bronze.users', 4, 4], ['bronze.events', 4, 4], ['silver.users', 4, 3], ['silver.events', 4, 3], ['gold.user_activity', 3, 3]
    ])
    expect(await queryRows(lakehouse, 'SELECT count(*) AS n FROM bronze.users')).toEqual([{ n: 4 }])
    expect(await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.users')).toEqual([{ n: 3 }])
    expect(await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.users_quarantine')).toEqual([{ n: 1 }])

    const before = await versions(lakehouse)
    const partial = await runPipeline(lakehouse, 'shop', { clock: fixedClock, fullRefresh: ['silver.events'] })
    expect(partial.flows.map((f) => [f.flow, f.status])).toEqual([
      ['bronze.users', 'no_new_data'], ['bronze.events', 'no_new_data'], ['silver.users', 'no_new_data'], ['silver.events', 'completed'], ['gold.user_activity', 'unchanged']
    ])
    const after = await versions(lakehouse)
    expect(after['silver.events']).toBe(before['silver.events']! + 1)
    expect(after['silver.users']).toBe(before['silver.users'])
    expect(await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.events')).toEqual([{ n: 3 }])
  })

  it('select runs the named table and what it reads, nothing else', async () => {
    const lakehouse = await shopLakehouse()
    const result = await runPipeline(lakehouse, 'shop', { clock: fixedClock, select: ['silver.users'] })
    expect(result.flows.map((f) => f.flow)).toEqual(['bronze.users', 'silver.users'])
    expect(await tableVersion(lakehouse, 'silver.users')).not.toBeNull()
    expect(await tableVersion(lakehouse, 'bronze.events')).toBeNull()
    expect(await tableVersion(lakehouse, 'gold.user_activity')).toBeNull()
    const unknown = await runPipeline(lakehouse, 'shop', { clock: fixedClock, select: ['silver.nope'] })
    expect(unknown.status).toBe('invalid')
    expect(unknown.error).toMatch(/silver\.nope/)
  })

  it('validate-only parses and plans but writes nothing; an invalid pipeline stops before anything runs', async () => {
    const lakehouse = await shopLakehouse()
    const validated = await runPipeline(lakehouse, 'shop', { clock: fixedClock, validateOnly: true })
    expect(validated.status).toBe('completed')
    expect(validated.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(await lakehouse.listTables()).toEqual([])
    expect(await fs.readdir(path.join(lakehouse.root, 'checkpoints'))).toEqual([])

    await writeFiles(lakehouse, { 'pipelines/shop/04_bad.sql': 'CREATE OR REFRESH MATERIALIZED VIEW gold.bad AS\nSELECT * FROM LIVE.missing_table;\n' })
    const invalid = await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    expect(invalid.status).toBe('invalid')
    const unknown = invalid.diagnostics.find((d) => d.code === 'UNKNOWN_DATASET')!
    expect(unknown.location).toMatchObject({ file: path.join(lakehouse.root, 'pipelines/shop/04_bad.sql'), line: 2 })
    expect(invalid.error).toMatch(/04_bad\.sql:2:\d+: UNKNOWN_DATASET/)
    expect(await lakehouse.listTables()).toEqual([])
  })
})

describe('runPipeline: FAIL UPDATE', () => {
  it('aborts the table update naming the expectation and a sample row; the table keeps its version and downstream is skipped', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/orders/o1.csv': 'order_id,qty\n1,2\n2,3\n',
      'pipelines/orders/orders.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.orders AS SELECT * FROM STREAM read_files('landing/orders', format => 'csv', header => true);
CREATE OR REFRESH STREAMING TABLE silver.orders (CONSTRAINT positive_qty EXPECT (qty > 0) ON VIOLATION FAIL UPDATE)
AS SELECT order_id, qty FROM STREAM(bronze.orders);
CREATE OR REFRESH MATERIALIZED VIEW gold.order_total AS SELECT sum(qty) AS qty FROM silver.orders;
`
    })
    expect((await runPipeline(lakehouse, 'orders', { clock: fixedClock })).status).toBe('completed')
    const silverBefore = await tableVersion(lakehouse, 'silver.orders')
    const goldBefore = await tableVersion(lakehouse, 'gold.order_total')
    await writeFiles(lakehouse, { 'landing/orders/o2.csv': 'order_id,qty\n3,5\n4,-1\n' })
    const failed = await runPipeline(lakehouse, 'orders', { clock: fixedClock })
    expect(failed.status).toBe('failed')
    const silver = failed.flows.find((f) => f.flow === 'silver.orders')!
    expect(silver.status).toBe('failed')
    expect(silver.error).toMatch(/positive_qty/)
    expect(silver.error).toMatch(/"order_id":4/)
    expect(failed.error).toMatch(/silver\.orders.*positive_qty/)
    expect(failed.flows.find((f) => f.flow === 'gold.order_total')).toMatchObject({ status: 'skipped', reason: 'upstream silver.orders failed' })
    expect(await tableVersion(lakehouse, 'silver.orders')).toBe(silverBefore)
    expect(await tableVersion(lakehouse, 'gold.order_total')).toBe(goldBefore)
    expect(await queryRows(lakehouse, 'SELECT CAST(sum(qty) AS INT) AS q FROM silver.orders')).toEqual([{ q: 5 }])
    const [event] = await queryRows(lakehouse, `SELECT status, error FROM system.pipeline_events WHERE run_id = '${failed.runId}' AND flow = 'silver.orders'`)
    expect(event!.status).toBe('failed')
    expect(String(event!.error)).toMatch(/positive_qty/)
  })
})
