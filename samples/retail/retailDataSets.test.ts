// Tests for the retail data-set generator: determinism, and manifests checked against the written files with DuckDB.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../engine/sql/duckdbSession'
import { installSamplePipeline, produceDataSet } from '../dataSets'
import type { DataSetManifest, RowCounts } from '../landingManifest'
import { retailExpectedCounts, valueTier } from './expectedCounts'
import { generateRetailDataSets, LARGE_ORDER_CENTS, RETAIL_DAYS_PER_SET, RETAIL_START_MS } from './retailDataSets'

let dir: string
let duck: DuckdbSession
const manifests: DataSetManifest[] = []

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-retail-sets-'))
  duck = await DuckdbSession.create({ threads: 1 })
  for (const k of [1, 2]) manifests.push(await produceDataSet(dir, 'retail', k))
})

afterAll(async () => {
  duck?.close()
  await fs.rm(dir, { recursive: true, force: true })
})

/** Counts rows by kind with SQL over the file: `bad` marks malformed rows, `ts` the event time, `warned` warn-only hits. */
async function classify(from: string, bad: string, ts: string, start: string, warned = 'false'): Promise<RowCounts> {
  const [row] = await duck.query(`
    WITH rows AS (SELECT *, (${bad}) AS is_bad FROM ${from}),
         kept AS (SELECT * EXCLUDE (is_bad) FROM rows WHERE NOT is_bad)
    SELECT
      (SELECT count(*) FROM rows WHERE is_bad) AS malformed,
      (SELECT count(*) FROM kept) - (SELECT count(*) FROM (SELECT DISTINCT * FROM kept)) AS duplicate,
      (SELECT count(*) FROM (SELECT DISTINCT * FROM kept) WHERE ${ts} < TIMESTAMP '${start}') AS late,
      (SELECT count(*) FROM kept WHERE ${warned}) AS warned,
      (SELECT count(*) FROM rows) AS total`)
  const n = (v: unknown): number => Number(v)
  const [malformed, duplicate, late] = [n(row!.malformed), n(row!.duplicate), n(row!.late)]
  return { good: n(row!.total) - malformed - duplicate - late, late, duplicate, malformed, warned: n(row!.warned) }
}

describe('retail data sets', () => {
  it('are identical for the same seed, differ for another, and do not depend on how many sets are generated', () => {
    const two = generateRetailDataSets(2)
    expect(generateRetailDataSets(2)).toEqual(two)
    expect(generateRetailDataSets(2, 99)[0]!.files.map((f) => f.text)).not.toEqual(two[0]!.files.map((f) => f.text))
    expect(generateRetailDataSets(1)[0]).toEqual(two[0])
    expect(generateRetailDataSets(3)[1]).toEqual(two[1])
  })

  it('writes exactly the rows its manifest counts, by kind', async () => {
    for (const manifest of manifests) {
      const k = manifest.setNumber
      const start = new Date(RETAIL_START_MS + (k - 1) * RETAIL_DAYS_PER_SET * 86_400_000).toISOString().slice(0, 19).replace('T', ' ')
      for (const file of manifest.files) {
        const abs = path.join(dir, file.path).replace(/'/g, "''")
        let counts: RowCounts
        if (file.path.includes('customers')) {
          // A late customer row is one whose change happened before the window (a late sign-up or an out-of-order change).
          counts = await classify(`read_csv('${abs}', header = true, all_varchar = true)`,
            "customer_id IS NULL OR try_cast(updated_at AS TIMESTAMP) IS NULL", 'CAST(updated_at AS TIMESTAMP)', start, "email NOT LIKE '%@%'")
        } else if (file.path.includes('products')) {
          counts = await classify(`read_csv('${abs}', header = true, all_varchar = true)`,
            'try_cast(unit_price AS DECIMAL(10,2)) IS NULL', 'CAST(updated_at AS TIMESTAMP)', start)
        } else {
          counts = await classify(`read_json('${abs}', format = 'newline_delimited', columns = {'transaction_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR', 'quantity': 'INTEGER', 'amount': 'VARCHAR', 'transaction_ts': 'TIMESTAMP', 'status': 'VARCHAR'})`,
            'transaction_id IS NULL OR customer_id IS NULL OR coalesce(quantity <= 0, true) OR try_cast(amount AS DECIMAL(12,2)) IS NULL',
            'transaction_ts', start, `try_cast(amount AS DECIMAL(12,2)) >= ${LARGE_ORDER_CENTS / 100}`)
        }
        expect(counts, file.path).toEqual(file.rows)
      }
    }
  })

  it('has late, duplicate and malformed rows in every set and quarantines only in stage', () => {
    for (const manifest of manifests) {
      const sum = (key: keyof RowCounts): number => manifest.files.reduce((n, f) => n + f.rows[key], 0)
      expect([sum('late'), sum('duplicate'), sum('malformed')].every((n) => n > 0), `set ${manifest.setNumber}`).toBe(true)
    }
    const after = (n: number, table: string, where?: string): number => retailExpectedCounts(n).find((c) => c.table === table && c.where === where)!.rows
    const malformed = (n: number): number => manifests.slice(0, n).reduce((s, m) => s + m.files.reduce((t, f) => t + f.rows.malformed, 0), 0)
    for (const n of [1, 2]) {
      const quarantined = ['silver.stg_customers_quarantine', 'silver.stg_products_quarantine', 'silver.stg_transactions_quarantine'].reduce((s, t) => s + after(n, t), 0)
      expect(quarantined).toBe(malformed(n))
    }
    // Set 2 changes customers: more versions than current customers.
    expect(after(2, 'silver.customers')).toBeGreaterThan(after(2, 'silver.customers', '__END_AT IS NULL'))
  })

  it('spreads customers over several value tiers', () => {
    expect(valueTier(0)).toBe('prospect')
    expect(retailExpectedCounts(2).find((c) => c.table === 'gold.value_tiers')!.rows).toBeGreaterThan(1)
  })

  it('installs the pipeline folder with its SQL files and pipeline.json', async () => {
    const names = await installSamplePipeline(dir, 'retail')
    expect(names).toContain('pipeline.json')
    expect(names.filter((n) => n.endsWith('.sql')).length).toBeGreaterThanOrEqual(4)
    const config = JSON.parse(await fs.readFile(path.join(dir, 'pipelines', 'retail', 'pipeline.json'), 'utf8')) as { reconciliation: unknown[]; watermarkControl: unknown[] }
    expect(config.reconciliation.length).toBeGreaterThan(0)
    expect(config.watermarkControl.length).toBeGreaterThan(0)
  })

  it('refuses to produce a set before the previous one', async () => {
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-retail-order-'))
    try {
      await expect(produceDataSet(other, 'retail', 2)).rejects.toThrow(/data set 1 is missing/)
      await expect(produceDataSet(other, 'retail', 0)).rejects.toThrow(RangeError)
    } finally {
      await fs.rm(other, { recursive: true, force: true })
    }
  })
})
