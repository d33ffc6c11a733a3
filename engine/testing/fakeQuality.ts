// fakeQuality: the in-memory quality domain of the fake engine: two quarantine tables, pass rates, reconciliation and watermarks.
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { EngineError } from '../api/errors'
import type { ExpectationPassRate, QualityApi, QuarantineTableInfo, ReconciliationEntry, WatermarkEntry } from '../api/qualityApi'

/** One quarantined row: the expectations it failed and its own columns. */
interface FakeQuarantinedRow {
  failed: string[]
  values: Record<string, string | number | null>
  batchId: number
  quarantinedAt: number
}

interface FakeQuarantineTable {
  table: string
  conditions: Record<string, string>
  columns: string[]
  rows: FakeQuarantinedRow[]
}

const day = (d: number, h = 0) => Date.UTC(2026, 0, d, h)

/** silver.events_quarantine matches the fake pipeline's `valid_id` DROP ROW; silver.orders_quarantine has two expectations. */
export function fakeQuarantineTables(): FakeQuarantineTable[] {
  return [
    {
      table: 'silver.events_quarantine',
      conditions: { valid_id: 'id IS NOT NULL' },
      columns: ['id', 'kind'],
      rows: [
        { failed: ['valid_id'], values: { id: null, kind: 'click' }, batchId: 0, quarantinedAt: day(1) },
        { failed: ['valid_id'], values: { id: null, kind: 'view' }, batchId: 1, quarantinedAt: day(2) }
      ]
    },
    {
      table: 'silver.orders_quarantine',
      conditions: { valid_amount: 'amount > 0', valid_customer: 'customer_id IS NOT NULL' },
      columns: ['order_id', 'customer_id', 'amount'],
      rows: [
        { failed: ['valid_amount'], values: { order_id: 1, customer_id: 'c1', amount: -5 }, batchId: 0, quarantinedAt: day(1) },
        { failed: ['valid_customer'], values: { order_id: 2, customer_id: null, amount: 12 }, batchId: 0, quarantinedAt: day(1) },
        { failed: ['valid_amount', 'valid_customer'], values: { order_id: 3, customer_id: null, amount: 0 }, batchId: 1, quarantinedAt: day(2) },
        { failed: ['valid_amount'], values: { order_id: 4, customer_id: 'c4', amount: -1 }, batchId: 1, quarantinedAt: day(2) }
      ]
    }
  ]
}

const reasonOf = (t: FakeQuarantineTable, failed: string[]) => failed.map((n) => `${n}: EXPECT (${t.conditions[n]}) ON VIOLATION DROP ROW`).join('; ')

function describe(t: FakeQuarantineTable): QuarantineTableInfo {
  const counts = new Map<string, number>()
  for (const row of t.rows) for (const name of row.failed) counts.set(name, (counts.get(name) ?? 0) + 1)
  return {
    table: t.table,
    guards: t.table.replace(/_quarantine$/, ''),
    rowCount: t.rows.length,
    expectations: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, failedRows]) => ({ name, condition: t.conditions[name] ?? null, failedRows })),
    lastQuarantinedAt: t.rows.length === 0 ? null : Math.max(...t.rows.map((r) => r.quarantinedAt))
  }
}

/** Two runs of the fake pipeline: the latest one evaluated 4 events and 10 orders. */
function fakePassRates(): ExpectationPassRate[] {
  const rate = (dataset: string, expectation: string, action: string, passed: number, failed: number, totalPassed: number, totalFailed: number): ExpectationPassRate => ({
    pipeline: 'demo', dataset, expectation, action, passed, failed, evaluatedAt: day(2, 6), runId: 'run-2', totalPassed, totalFailed
  })
  return [
    rate('silver.events', 'valid_id', 'drop', 3, 1, 7, 2),
    rate('silver.orders', 'valid_amount', 'drop', 8, 2, 15, 3),
    rate('silver.orders', 'valid_customer', 'drop', 9, 1, 16, 2),
    rate('silver.orders', 'plausible_total', 'warn', 10, 0, 18, 0)
  ]
}

function fakeReconciliation(): ReconciliationEntry[] {
  const entry = (sourceTable: string, targetTable: string, sourceCount: number, targetCount: number, status: string, remarks: string, processedAt: number): ReconciliationEntry => ({
    batchId: processedAt === day(2, 6) ? 'run-2' : 'run-1', sourceTable, targetTable, sourceCount, targetCount,
    variance: sourceCount === 0 ? null : (targetCount - sourceCount) / sourceCount, sourceSums: null, targetSums: null,
    sourceDistinctKeys: sourceCount, targetDistinctKeys: targetCount, status, remarks, processedAt
  })
  return [
    entry('bronze.events', 'silver.events', 4, 3, 'FAIL', 'FAIL count: source 4, target 3, variance -25.00% beyond fail threshold 5.00%', day(2, 6)),
    { ...entry('bronze.orders', 'silver.orders', 100, 98, 'WARN', 'WARN count: source 100, target 98, variance -2.00% above warn threshold 0.00%', day(2, 6)), sourceSums: { amount: '1200.50' }, targetSums: { amount: '1180.50' } },
    entry('bronze.events', 'silver.events', 5, 5, 'PASS', 'all 2 check(s) within 0.00%', day(1, 6))
  ]
}

function fakeWatermarks(): WatermarkEntry[] {
  return [
    { sourceSystem: 'crm', tableName: 'bronze.orders', watermarkColumn: 'updated_at', lastProcessedTimestamp: day(2, 5), processDate: '2026-01-02', status: 'SUCCESS', createdAt: day(1, 6), updatedAt: day(2, 6) },
    { sourceSystem: 'web', tableName: 'bronze.events', watermarkColumn: 'event_time', lastProcessedTimestamp: null, processDate: '2026-01-02', status: 'FAILED', createdAt: day(1, 6), updatedAt: day(2, 6) }
  ]
}

/**
 * The quality domain over fakeQuarantineTables(): overview counts are computed from the rows, quarantine() filters and
 * pages them (newest first) into Arrow IPC shaped like the real engine's, and fails with TABLE_NOT_FOUND for any other table.
 */
export function fakeQuality(record: (method: string, arg: unknown) => void): QualityApi {
  const tables = fakeQuarantineTables()
  return {
    async overview() {
      record('quality.overview', undefined)
      return { quarantineTables: tables.map(describe), expectations: fakePassRates() }
    },
    async quarantine(arg) {
      record('quality.quarantine', arg)
      const t = tables.find((x) => x.table === arg.table.toLowerCase())
      if (!t) throw new EngineError('TABLE_NOT_FOUND', `Table ${arg.table} does not exist`, { table: arg.table })
      const matching = t.rows.filter((r) => arg.expectation === undefined || r.failed.includes(arg.expectation)).sort((a, b) => b.quarantinedAt - a.quarantinedAt)
      const offset = arg.offset ?? 0
      const page = matching.slice(offset, offset + (arg.limit ?? 500))
      const arrow = tableFromArrays({
        _expectation: page.map((r) => r.failed.join(', ')),
        _condition: page.map((r) => r.failed.map((n) => t.conditions[n]).join('; ')),
        _reason: page.map((r) => reasonOf(t, r.failed)),
        ...Object.fromEntries(t.columns.map((c) => [c, page.map((r) => (r.values[c] === null ? null : String(r.values[c])))])),
        _batch_id: page.map((r) => r.batchId),
        _quarantined_at: page.map((r) => r.quarantinedAt)
      } as Parameters<typeof tableFromArrays>[0])
      return { table: t.table, expectation: arg.expectation ?? null, rows: tableToIPC(arrow, 'stream'), rowCount: page.length, totalCount: matching.length, offset }
    },
    async reconciliation(arg) {
      record('quality.reconciliation', arg)
      return fakeReconciliation().slice(0, arg?.limit ?? 200)
    },
    async watermarks() {
      record('quality.watermarks', undefined)
      return fakeWatermarks()
    }
  }
}
