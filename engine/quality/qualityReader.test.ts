// Tests the quality domain through the composed engine over real sample lakehouses (sbit, retail) and an empty one.
import { readdir, readFile } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSampleLakehouse } from '../../samples'
import { sbitExpectedCounts } from '../../samples/sbit/expectedCounts'
import { EngineError } from '../api/errors'
import { methodSpec } from '../api/methods'
import { type Engine, createEngine } from '../createEngine'
import { Lakehouse } from '../lakehouse/folder'

let dir: string
let sbit: Engine
let retail: Engine
let empty: Engine

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-quality-'))
  await createSampleLakehouse(join(dir, 'sbit'), 'sbit')
  await createSampleLakehouse(join(dir, 'retail'), 'retail')
  await Lakehouse.create(join(dir, 'empty'))
  sbit = await createEngine({ lakehouseDir: join(dir, 'sbit') })
  retail = await createEngine({ lakehouseDir: join(dir, 'retail') })
  empty = await createEngine({ lakehouseDir: join(dir, 'empty') })
}, 120_000)

afterAll(async () => {
  await Promise.all([sbit?.close(), retail?.close(), empty?.close()])
  await rm(dir, { recursive: true, force: true })
})

/** Rows of a Spark SQL query run through the engine's own SQL domain, as plain objects. */
async function sqlRows(engine: Engine, sql: string): Promise<Record<string, unknown>[]> {
  const [result] = await engine.sql.execute({ sql })
  return tableFromIPC(result!.arrow).toArray().map((row) => row.toJSON() as Record<string, unknown>)
}

const valid = (path: string, value: unknown) => {
  const parsed = methodSpec(path)!.result.safeParse(value)
  expect(parsed.success, `${path}: ${parsed.error?.message}`).toBe(true)
}

/** Every `EXPECT (condition)` declared in the sample's pipeline files, by expectation name. */
async function declaredConditions(lakehouseDir: string, pipeline: string): Promise<Map<string, string>> {
  const folder = join(lakehouseDir, 'pipelines', pipeline)
  const declared = new Map<string, string>()
  for (const file of (await readdir(folder)).filter((f) => f.endsWith('.sql'))) {
    for (const m of (await readFile(join(folder, file), 'utf8')).matchAll(/CONSTRAINT\s+(\w+)\s+EXPECT\s+\((.*)\)\s+ON VIOLATION DROP ROW/g)) declared.set(m[1]!, m[2]!)
  }
  return declared
}

describe('quality.overview on the sbit sample', () => {
  it('lists every quarantine table with the row count the sample generator predicts and SQL counts', async () => {
    const overview = await sbit.quality.overview()
    valid('quality.overview', overview)
    const expected = sbitExpectedCounts(2).filter((c) => c.table.endsWith('_quarantine') && !c.where)
    expect(overview.quarantineTables.map((t) => t.table)).toEqual(expected.map((c) => c.table).sort())
    for (const table of overview.quarantineTables) {
      expect(table.rowCount, table.table).toBe(expected.find((c) => c.table === table.table)!.rows)
      const [counted] = await sqlRows(sbit, `SELECT count(*) AS n FROM ${table.table}`)
      expect(table.rowCount, table.table).toBe(Number(counted!.n))
      expect(table.guards).toBe(table.table.replace(/_quarantine$/, ''))
      expect(table.lastQuarantinedAt).not.toBeNull()
    }
  })

  it('counts failed rows per expectation and carries each declared condition', async () => {
    const declared = await declaredConditions(join(dir, 'sbit'), 'sbit')
    const { quarantineTables } = await sbit.quality.overview()
    for (const table of quarantineTables) {
      const byName = await sqlRows(sbit, `SELECT e AS name, count(*) AS n FROM (SELECT explode(_expectations) AS e FROM ${table.table}) GROUP BY e`)
      expect(table.expectations.map((e) => e.name).sort(), table.table).toEqual(byName.map((r) => String(r.name)).sort())
      for (const e of table.expectations) {
        expect(e.failedRows, `${table.table} ${e.name}`).toBe(Number(byName.find((r) => r.name === e.name)!.n))
        expect(e.condition, e.name).toBe(declared.get(e.name))
      }
      const failed = table.expectations.map((e) => e.failedRows)
      expect(failed).toEqual([...failed].sort((a, b) => b - a))
    }
    // A row failing two expectations (the sample has one per set in bronze.registered_users) counts under both.
    const registered = quarantineTables.find((t) => t.table === 'bronze.registered_users_quarantine')!
    expect(registered.expectations.reduce((n, e) => n + e.failedRows, 0)).toBeGreaterThan(registered.rowCount)
  })

  it('reports the latest run per expectation and totals over all runs from system.quality_results', async () => {
    const { expectations } = await sbit.quality.overview()
    const records = await sqlRows(sbit, 'SELECT run_id, dataset, expectation, action, passed, failed, evaluated_at FROM system.quality_results')
    const keys = new Set(records.map((r) => `${r.dataset}/${r.expectation}`))
    expect(expectations.map((e) => `${e.dataset}/${e.expectation}`).sort()).toEqual([...keys].sort())
    for (const e of expectations) {
      const mine = records.filter((r) => r.dataset === e.dataset && r.expectation === e.expectation)
      const latest = Math.max(...mine.map((r) => Number(r.evaluated_at)))
      const ofLatest = mine.filter((r) => Number(r.evaluated_at) === latest)
      expect(e.evaluatedAt).toBe(latest)
      expect(e.runId).toBe(String(ofLatest[0]!.run_id))
      expect(e.passed).toBe(ofLatest.reduce((n, r) => n + Number(r.passed), 0))
      expect(e.failed).toBe(ofLatest.reduce((n, r) => n + Number(r.failed), 0))
      expect(e.totalPassed).toBe(mine.reduce((n, r) => n + Number(r.passed), 0))
      expect(e.totalFailed).toBe(mine.reduce((n, r) => n + Number(r.failed), 0))
      expect(e.action).toBe(String(ofLatest[0]!.action))
    }
    expect(expectations.some((e) => e.failed > 0) && expectations.some((e) => e.failed === 0)).toBe(true)
  })
})

describe('quality.quarantine on the sbit sample', () => {
  const table = 'silver.heart_rate_quarantine'

  it('returns the rows with expectation, condition and reason first, newest first', async () => {
    const page = await sbit.quality.quarantine({ table })
    valid('quality.quarantine', page)
    const rows = tableFromIPC(page.rows)
    const [counted] = await sqlRows(sbit, `SELECT count(*) AS n FROM ${table}`)
    expect(page.totalCount).toBe(Number(counted!.n))
    expect(page.rowCount).toBe(page.totalCount)
    expect(rows.numRows).toBe(page.rowCount)
    const names = rows.schema.fields.map((f) => f.name)
    expect(names.slice(0, 3)).toEqual(['_expectation', '_condition', '_reason'])
    expect(names.slice(-2)).toEqual(['_batch_id', '_quarantined_at'])
    expect(names).toContain('heartrate')
    expect(names).not.toContain('_expectations')
    const declared = await declaredConditions(join(dir, 'sbit'), 'sbit')
    const times: number[] = []
    for (const row of rows.toArray().map((r) => r.toJSON() as Record<string, unknown>)) {
      const failed = String(row._expectation).split(', ')
      expect(String(row._condition)).toBe(failed.map((n) => declared.get(n)).join('; '))
      for (const n of failed) expect(String(row._reason)).toContain(`${n}: EXPECT (${declared.get(n)}) ON VIOLATION DROP ROW`)
      times.push(Number(row._quarantined_at))
    }
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('filters by expectation and pages without gaps or overlaps', async () => {
    const filtered = await sbit.quality.quarantine({ table, expectation: 'valid_device' })
    const [counted] = await sqlRows(sbit, `SELECT count(*) AS n FROM ${table} WHERE array_contains(_expectations, 'valid_device')`)
    expect(filtered.totalCount).toBe(Number(counted!.n))
    expect(filtered.expectation).toBe('valid_device')
    const rows = tableFromIPC(filtered.rows).toArray().map((r) => r.toJSON() as Record<string, unknown>)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(String(row._expectation).split(', ')).toContain('valid_device')

    const all = tableFromIPC((await sbit.quality.quarantine({ table })).rows).toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? String(v) : v)))
    const paged: string[] = []
    for (let offset = 0; offset < all.length; offset += 2) {
      const page = await sbit.quality.quarantine({ table, limit: 2, offset })
      expect(page.offset).toBe(offset)
      expect(page.totalCount).toBe(all.length)
      paged.push(...tableFromIPC(page.rows).toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? String(v) : v))))
    }
    expect(paged).toEqual(all)
    const beyond = await sbit.quality.quarantine({ table, offset: all.length + 5 })
    expect(beyond.rowCount).toBe(0)
    expect(tableFromIPC(beyond.rows).schema.fields[0]!.name).toBe('_expectation')
  })

  it('fails readably for a missing table and for a table that is not a quarantine table', async () => {
    const missing = await sbit.quality.quarantine({ table: 'silver.nothing_quarantine' }).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(EngineError)
    expect(missing).toMatchObject({ code: 'TABLE_NOT_FOUND', detail: { table: 'silver.nothing_quarantine' } })
    const plain = await sbit.quality.quarantine({ table: 'silver.heart_rate' }).catch((e: unknown) => e)
    expect(plain).toMatchObject({ code: 'NOT_A_QUARANTINE_TABLE', detail: { table: 'silver.heart_rate' } })
    expect((plain as Error).message).toContain('silver.heart_rate')
  })

  it('gives empty reconciliation and watermark results when the pipeline configures none', async () => {
    expect(await sbit.quality.reconciliation()).toEqual([])
    expect(await sbit.quality.watermarks()).toEqual([])
  })
})

describe('quality.reconciliation and quality.watermarks on the retail sample', () => {
  it('returns system.reconciliation_log newest first with its counts, sums and statuses', async () => {
    const entries = await retail.quality.reconciliation()
    valid('quality.reconciliation', entries)
    const logged = await sqlRows(retail, 'SELECT * FROM system.reconciliation_log')
    expect(entries).toHaveLength(logged.length)
    expect(entries.length).toBeGreaterThan(0)
    const times = entries.map((e) => e.processedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    for (const e of entries) {
      const row = logged.find((r) => r.batch_id === e.batchId && r.source_table === e.sourceTable && r.target_table === e.targetTable)!
      expect(row, `${e.batchId} ${e.sourceTable}`).toBeDefined()
      expect(e.sourceCount).toBe(Number(row.source_count))
      expect(e.targetCount).toBe(Number(row.target_count))
      expect(e.variance).toBeCloseTo(Number(row.variance), 12)
      expect(e.status).toBe(row.status)
      expect(['PASS', 'WARN', 'FAIL']).toContain(e.status)
      expect(e.remarks).toBe(row.remarks)
      expect(e.processedAt).toBe(Number(row.process_timestamp))
      expect(e.sourceSums).toEqual(row.source_sums === null ? null : JSON.parse(String(row.source_sums)))
      expect(e.targetDistinctKeys).toBe(row.target_distinct_keys === null ? null : Number(row.target_distinct_keys))
    }
    const limited = await retail.quality.reconciliation({ limit: 2 })
    expect(limited).toEqual(entries.slice(0, 2))
  })

  it('returns every system.watermark_control row', async () => {
    const marks = await retail.quality.watermarks()
    valid('quality.watermarks', marks)
    const rows = await sqlRows(retail, 'SELECT * FROM system.watermark_control')
    expect(marks).toHaveLength(rows.length)
    expect(marks.length).toBeGreaterThan(0)
    for (const m of marks) {
      const row = rows.find((r) => r.source_system === m.sourceSystem && r.table_name === m.tableName)!
      expect(row).toBeDefined()
      expect(m.watermarkColumn).toBe(row.watermark_column)
      expect(m.lastProcessedTimestamp).toBe(row.last_processed_timestamp === null ? null : Number(row.last_processed_timestamp))
      expect(m.status).toBe(row.status)
      expect(m.updatedAt).toBe(Number(row.updated_at))
      expect(m.processDate).toBe(new Date(Number(row.process_date)).toISOString().slice(0, 10))
    }
    const order = marks.map((m) => `${m.sourceSystem}/${m.tableName}`)
    expect(order).toEqual([...order].sort())
  })

  it('lists the retail quarantine tables too', async () => {
    const { quarantineTables, expectations } = await retail.quality.overview()
    const onDisk = (await readdir(join(dir, 'retail', 'tables', 'silver'))).filter((n) => n.endsWith('_quarantine')).map((n) => `silver.${n}`)
    expect(quarantineTables.map((t) => t.table)).toEqual(onDisk.sort())
    expect(expectations.length).toBeGreaterThan(0)
  })
})

describe('quality on a lakehouse where nothing ran', () => {
  it('answers every method with empty results', async () => {
    const overview = await empty.quality.overview()
    expect(overview).toEqual({ quarantineTables: [], expectations: [] })
    expect(await empty.quality.reconciliation()).toEqual([])
    expect(await empty.quality.watermarks()).toEqual([])
    await expect(empty.quality.quarantine({ table: 'silver.users_quarantine' })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
  })
})
