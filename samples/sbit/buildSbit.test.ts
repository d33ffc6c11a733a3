// Tests for the SBIT sample: determinism, real history, messy bronze data, and runnable saved queries.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../engine/lakehouse/folder'
import { arrowRows } from '../../engine/sql/arrow'
import { SqlEngine } from '../../engine/sql/queryRunner'
import { createSampleLakehouse } from '../index'
import { DEFAULT_GYM_OPTIONS, generateGymEvents } from './gymEvents'

describe('sbit sample lakehouse', () => {
  let dir: string
  let first: Lakehouse
  let second: Lakehouse
  let engine: SqlEngine
  const rows = async (sql: string, on: SqlEngine = engine): Promise<Record<string, unknown>[]> => {
    const results = await on.execute(sql)
    return arrowRows(results[results.length - 1]!.arrow)
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sbit-'))
    first = await createSampleLakehouse(path.join(dir, 'a'), 'sbit')
    second = await createSampleLakehouse(path.join(dir, 'b'), 'sbit')
    engine = await SqlEngine.open(first)
  })

  afterAll(async () => {
    engine.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('generates the same events for the same seed and different ones for another', () => {
    expect(generateGymEvents()).toEqual(generateGymEvents())
    expect(generateGymEvents({ ...DEFAULT_GYM_OPTIONS, seed: 7 })).not.toEqual(generateGymEvents())
  })

  it('creates bronze, silver and gold tables with identical contents and histories on every run', async () => {
    const tables = await first.listTables()
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'bronze.gym_logins', 'bronze.kafka_multiplex', 'bronze.registered_users', 'gold.gym_summary', 'gold.workout_bpm_summary',
      'silver.completed_workouts', 'silver.gym_logs', 'silver.heart_rate', 'silver.user_profile', 'silver.users', 'silver.workouts'
    ])
    const other = await SqlEngine.open(second)
    try {
      for (const t of tables) {
        const name = `${t.schema}.${t.name}`
        const a = await rows(`SELECT * FROM ${name} ORDER BY ALL`)
        expect(a.length, name).toBeGreaterThan(0)
        expect(await rows(`SELECT * FROM ${name} ORDER BY ALL`, other), name).toEqual(a)
        const history = (h: Record<string, unknown>[]): unknown[] => h.map((e) => [e.version, e.timestamp, e.operation])
        expect(history(await rows(`DESCRIBE HISTORY ${name}`, other)), name).toEqual(history(await rows(`DESCRIBE HISTORY ${name}`)))
      }
    } finally {
      other.close()
    }
  })

  it('has a real history: appends, overwrites, REPLACE WHERE, a GDPR delete and a checkpoint', async () => {
    const kafka = await rows('DESCRIBE HISTORY bronze.kafka_multiplex')
    expect(kafka.length).toBeGreaterThan(10)
    const log = await fs.readdir(path.join(first.tablePath('bronze', 'kafka_multiplex'), '_delta_log'))
    expect(log).toContain('00000000000000000010.checkpoint.parquet')
    const heartRate = await rows('DESCRIBE HISTORY silver.heart_rate LIMIT 1')
    expect((heartRate[0]!.operationParameters as Record<string, string>).predicate).toContain('2024-03-14')
    expect((await rows('DESCRIBE DETAIL silver.heart_rate'))[0]!.partitionColumns).toEqual(['date'])
    expect((await rows('DESCRIBE HISTORY silver.users')).some((h) => (h.operationParameters as Record<string, string>).mode === 'Overwrite')).toBe(true)
    expect((await rows('DESCRIBE HISTORY bronze.registered_users')).map((h) => h.operation)).toContain('DELETE')
    expect(await rows('SELECT count(*) AS n FROM bronze.registered_users WHERE user_id = 3')).toEqual([{ n: 0 }])
  })

  it('keeps bad rows, duplicates and late events in bronze and cleans them in silver', async () => {
    const [dupes] = await rows('SELECT count(*) AS n FROM (SELECT topic, `offset` FROM bronze.kafka_multiplex GROUP BY ALL HAVING count(*) > 1)')
    expect(dupes!.n).toBeGreaterThan(0)
    const [late] = await rows("SELECT count(*) AS n FROM bronze.kafka_multiplex WHERE topic = 'bpm' AND `date` < CAST(load_time AS DATE)")
    expect(late!.n).toBeGreaterThan(0)
    expect((await rows('SELECT count(*) AS n FROM bronze.registered_users WHERE user_id IS NULL'))[0]!.n).toBe(1)
    const [silverDupes] = await rows('SELECT count(*) AS n FROM (SELECT device_id, time, heartrate FROM silver.heart_rate GROUP BY ALL HAVING count(*) > 1)')
    expect(silverDupes!.n).toBe(0)
    expect((await rows('SELECT count(*) AS n FROM silver.heart_rate WHERE NOT valid'))[0]!.n).toBeGreaterThan(0)
  })

  it('ships saved queries that run against the sample', async () => {
    const queries = (await fs.readdir(path.join(first.root, 'queries'))).filter((f) => f.endsWith('.sql'))
    expect(queries.length).toBeGreaterThanOrEqual(5)
    for (const q of queries) {
      const results = await engine.execute(await fs.readFile(path.join(first.root, 'queries', q), 'utf8'))
      expect(results.at(-1)!.rowCount, q).toBeGreaterThan(0)
    }
  })
})
