// Tests for the quality page's store against the in-memory engine: overview, browsing quarantined rows, filters, paging, errors.
import { tableFromIPC } from 'apache-arrow'
import { beforeEach, describe, expect, it } from 'vitest'
import { EngineError } from '../../../engine/api/errors'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { fakeQuarantineTables } from '../../../engine/testing/fakeQuality'
import { useQualityStore } from './qualityStore'

const initial = useQualityStore.getState()

function ready<T>(load: { status: string; value?: T }): T {
  expect(load.status).toBe('ready')
  return load.value as T
}

/** The `column` values of the loaded page, as strings. */
const columnOf = (column: string) => {
  const rows = ready(useQualityStore.getState().rows)
  return tableFromIPC(rows.rows).toArray().map((r) => String((r.toJSON() as Record<string, unknown>)[column]))
}

describe('qualityStore', () => {
  beforeEach(() => useQualityStore.setState(initial, true))

  it('loads the overview, reconciliation and watermarks, and browses the first quarantine table with rows', async () => {
    const engine = createFakeEngine()
    await useQualityStore.getState().load(engine)
    const s = useQualityStore.getState()
    const tables = fakeQuarantineTables()
    expect(ready(s.overview).quarantineTables.map((t) => [t.table, t.rowCount])).toEqual(tables.map((t) => [t.table, t.rows.length]))
    expect(ready(s.reconciliation).map((r) => r.status)).toEqual(['FAIL', 'WARN', 'PASS'])
    expect(ready(s.watermarks)).toHaveLength(2)
    expect(s.table).toBe(tables[0]!.table)
    expect(ready(s.rows).totalCount).toBe(tables[0]!.rows.length)
    expect(s.activeRow).toBeNull()
  })

  it('opens the focused table and filters it by one expectation', async () => {
    const engine = createFakeEngine()
    await useQualityStore.getState().load(engine, 'silver.orders_quarantine')
    expect(useQualityStore.getState().table).toBe('silver.orders_quarantine')
    expect(ready(useQualityStore.getState().rows).totalCount).toBe(4)
    await useQualityStore.getState().filterExpectation(engine, 'valid_customer')
    const s = useQualityStore.getState()
    expect(s.expectation).toBe('valid_customer')
    expect(ready(s.rows).totalCount).toBe(2)
    for (const failed of columnOf('_expectation')) expect(failed.split(', ')).toContain('valid_customer')
    expect(engine.calls.filter((c) => c.method === 'quality.quarantine').at(-1)!.arg).toMatchObject({ table: 'silver.orders_quarantine', expectation: 'valid_customer', offset: 0 })
    await useQualityStore.getState().filterExpectation(engine, null)
    expect(ready(useQualityStore.getState().rows).totalCount).toBe(4)
  })

  it('opens a row only when it exists in the loaded page, and a new page closes it', async () => {
    const engine = createFakeEngine()
    await useQualityStore.getState().load(engine, 'silver.orders_quarantine')
    useQualityStore.getState().openRow(2)
    expect(useQualityStore.getState().activeRow).toBe(2)
    useQualityStore.getState().openRow(99)
    expect(useQualityStore.getState().activeRow).toBe(2)
    await useQualityStore.getState().showPage(engine, 1)
    const s = useQualityStore.getState()
    expect(s.activeRow).toBeNull()
    expect(ready(s.rows).offset).toBe(1)
    expect(ready(s.rows).rowCount).toBe(3)
  })

  it('keeps the browsed table, filter and page on reload (after a pipeline run)', async () => {
    const engine = createFakeEngine()
    await useQualityStore.getState().load(engine, 'silver.orders_quarantine')
    await useQualityStore.getState().filterExpectation(engine, 'valid_amount')
    await useQualityStore.getState().load(engine)
    const s = useQualityStore.getState()
    expect(s.table).toBe('silver.orders_quarantine')
    expect(s.expectation).toBe('valid_amount')
    expect(ready(s.rows).totalCount).toBe(3)
  })

  it('shows a failure as a readable sentence with its facts, and an older answer never replaces a newer one', async () => {
    const engine = createFakeEngine()
    await useQualityStore.getState().openTable(engine, 'silver.missing_quarantine')
    const rows = useQualityStore.getState().rows
    expect(rows.status).toBe('error')
    if (rows.status === 'error') {
      expect(rows.error.code).toBe('TABLE_NOT_FOUND')
      expect(rows.error.sentence).toBe('Table silver.missing_quarantine does not exist.')
      expect(rows.error.facts).toEqual(['table silver.missing_quarantine'])
    }

    // The first request answers last: its rows must not replace the second table's.
    let release!: () => void
    const slow = engine.quality.quarantine.bind(engine.quality)
    engine.quality.quarantine = async (arg) => {
      if (arg.table === 'silver.events_quarantine') await new Promise<void>((r) => (release = r))
      return slow(arg)
    }
    const first = useQualityStore.getState().openTable(engine, 'silver.events_quarantine')
    await useQualityStore.getState().openTable(engine, 'silver.orders_quarantine')
    release()
    await first
    expect(useQualityStore.getState().table).toBe('silver.orders_quarantine')
    expect(ready(useQualityStore.getState().rows).table).toBe('silver.orders_quarantine')
  })

  it('reports an overview failure without losing the other sections', async () => {
    const engine = createFakeEngine()
    engine.quality.overview = async () => {
      throw new EngineError('CORRUPT_LOG', 'system.quality_results: commit 3 is not valid JSON', { table: 'system.quality_results', version: 3 })
    }
    await useQualityStore.getState().load(engine)
    const s = useQualityStore.getState()
    expect(s.overview.status).toBe('error')
    expect(ready(s.reconciliation)).toHaveLength(3)
    expect(s.table).toBeNull()
  })
})
