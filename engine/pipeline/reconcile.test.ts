import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { reconcile, type ReconcileContext, type ReconciliationConfig } from './reconcile'

describe('reconcile', () => {
  let port: DuckdbSession
  let dir: string
  let ctx: ReconcileContext

  const source = `SELECT * FROM (VALUES (1, 10.25::DECIMAL(10,2)), (2, 20.50::DECIMAL(10,2)), (3, 30.00::DECIMAL(10,2)), (4, 39.25::DECIMAL(10,2))) AS s(id, amount)`
  const config = (o: Partial<ReconciliationConfig> = {}): ReconciliationConfig =>
    ({ source: 'bronze.tx', target: 'silver.tx', keyColumns: ['id'], sumColumns: ['amount'], warnThreshold: 0, failThreshold: 0.3, ...o })

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-reconcile-'))
    ctx = { port, clock: { now: () => Date.UTC(2024, 0, 5, 12) }, lakehouse: { tablePath: (s, t) => path.join(dir, 'tables', s, t) } }
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const cases: { name: string; target: string; config?: Partial<ReconciliationConfig>; status: string; variance: number | null; remarks: RegExp }[] = [
    { name: 'identical sides pass', target: source, status: 'PASS', variance: 0, remarks: /^all 3 check\(s\) within 0\.00%$/ },
    {
      name: 'one missing row of four: count and keys warn, the sum fails, so the batch fails',
      target: `${source} WHERE id <> 4`, status: 'FAIL', variance: -0.25,
      remarks: /WARN count: source 4, target 3, variance -25\.00% above warn threshold 0\.00%; FAIL sum \(amount\): source 100\.00, target 60\.75, variance -39\.25% beyond fail threshold 30\.00%; WARN distinct_keys \(id\): source 4, target 3/
    },
    { name: 'a duplicated row fails only the count and sum when keys are not configured', target: `${source} UNION ALL ${source}`, config: { keyColumns: [] }, status: 'FAIL', variance: 1, remarks: /FAIL count: source 4, target 8, variance 100\.00% beyond fail threshold 30\.00%/ },
    { name: 'an empty source with target rows fails (variance undefined)', target: source, config: { sourceFilter: 'id > 100' }, status: 'FAIL', variance: null, remarks: /variance undefined \(source is 0\)/ },
    { name: 'filters narrow each side', target: `${source} WHERE id <= 2`, config: { sourceFilter: 'id <= 2' }, status: 'PASS', variance: 0, remarks: /^all/ },
    { name: 'a sum-only change passes counts and keys but not the sum', target: `SELECT id, CASE WHEN id = 1 THEN amount + 0.01 ELSE amount END AS amount FROM (${source})`, config: { warnThreshold: 0, failThreshold: 0.001 }, status: 'WARN', variance: 0, remarks: /^WARN sum \(amount\): source 100\.00, target 100\.01, variance 0\.01%/ }
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const result = await reconcile(ctx, config(c.config), { sourceSql: source, targetSql: c.target }, `batch-${c.name.length}`)
      expect(result.status).toBe(c.status)
      expect(result.variance === null ? null : Number(result.variance.toFixed(6))).toBe(c.variance)
      expect(result.remarks).toMatch(c.remarks)
    })
  }

  it('sums exactly and appends one row per call to system.reconciliation_log', async () => {
    const exact = `SELECT * FROM (VALUES (1, 0.1::DECIMAL(38,18)), (2, 0.2::DECIMAL(38,18))) AS s(id, amount)`
    const result = await reconcile(ctx, config(), { sourceSql: exact, targetSql: exact }, 'exact-1')
    expect(result.sourceSums).toEqual({ amount: '0.300000000000000000' })
    expect(result).toMatchObject({ sourceCount: 2, targetCount: 2, sourceDistinctKeys: 2, targetDistinctKeys: 2, status: 'PASS' })
    const log = await DeltaTable.open(path.join(dir, 'tables', 'system', 'reconciliation_log'), port)
    const rows = await port.query(`SELECT * FROM (${await scanSql(await log.snapshot(), port)}) WHERE batch_id = 'exact-1'`)
    expect(rows).toEqual([{
      batch_id: 'exact-1', source_table: 'bronze.tx', target_table: 'silver.tx', source_count: 2n, target_count: 2n, variance: 0,
      source_sums: '{"amount":"0.300000000000000000"}', target_sums: '{"amount":"0.300000000000000000"}', source_distinct_keys: 2n, target_distinct_keys: 2n,
      status: 'PASS', remarks: 'all 3 check(s) within 0.00%', process_timestamp: new Date(Date.UTC(2024, 0, 5, 12))
    }])
  })

  it('rejects inverted thresholds and names the failing side query', async () => {
    await expect(reconcile(ctx, config({ warnThreshold: 0.5, failThreshold: 0.1 }), { sourceSql: source, targetSql: source }, 'b')).rejects.toThrow(/warnThreshold <= failThreshold/)
    await expect(reconcile(ctx, config({ sumColumns: ['price'] }), { sourceSql: source, targetSql: source }, 'b')).rejects.toThrow(/bronze\.tx -> silver\.tx: .*price/)
  })
})
