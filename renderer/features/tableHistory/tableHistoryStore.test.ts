// Tests for the table page's store against the in-memory engine: history, a version's facts and rows, diff, restore, errors.
import { tableFromIPC } from 'apache-arrow'
import { beforeEach, describe, expect, it } from 'vitest'
import { createFakeEngine, defaultFakeTables } from '../../../engine/testing/fakeEngine'
import { useTableHistoryStore } from './tableHistoryStore'

const table = 'silver.workouts'
const fakeWorkouts = defaultFakeTables().find((t) => `${t.schema}.${t.name}` === table)!
const rowsAt = (version: number) => fakeWorkouts.versions[version]!.id!.length

function ready<T>(load: { status: string; value?: T }): T {
  expect(load.status).toBe('ready')
  return load.value as T
}

describe('tableHistoryStore', () => {
  beforeEach(() => {
    // A fresh page per test: a table name no test opens resets the store's last table.
    useTableHistoryStore.setState({ table: null })
  })

  it('opens a table on its newest version, with that version facts and preview rows', async () => {
    const engine = createFakeEngine()
    await useTableHistoryStore.getState().open(engine, table)
    const s = useTableHistoryStore.getState()
    const entries = ready(s.history)
    const newest = fakeWorkouts.versions.length - 1
    expect(entries.map((e) => e.version)).toEqual([...fakeWorkouts.versions.keys()].reverse())
    expect(s.selected).toBe(newest)
    expect(ready(s.version).version).toBe(newest)
    expect(ready(s.version).numRecords).toBe(rowsAt(newest))
    const preview = ready(s.preview)
    expect(preview.rowCount).toBe(rowsAt(newest))
    expect(tableFromIPC(preview.rows).numRows).toBe(rowsAt(newest))
    expect(s.diffRequest).toEqual({ from: newest - 1, to: newest, key: [] })
  })

  it('selecting an older version loads that version, not the newest', async () => {
    const engine = createFakeEngine()
    await useTableHistoryStore.getState().open(engine, table)
    await useTableHistoryStore.getState().select(engine, 1)
    const s = useTableHistoryStore.getState()
    expect(s.selected).toBe(1)
    expect(ready(s.version).version).toBe(1)
    expect(ready(s.preview).rowCount).toBe(rowsAt(1))
  })

  it('diffs two versions by the chosen key and reports the engine counts', async () => {
    const engine = createFakeEngine()
    await useTableHistoryStore.getState().open(engine, table)
    useTableHistoryStore.getState().setDiffRequest({ from: 0, to: 2, key: ['id'] })
    await useTableHistoryStore.getState().runDiff(engine)
    const diff = ready(useTableHistoryStore.getState().diff)
    // v0 ids 1..3, v2 ids 1,2,3,5: one added, none removed.
    expect(diff).toMatchObject({ from: 0, to: 2, key: ['id'], added: 1, removed: 0 })
    expect(engine.calls.find((c) => c.method === 'tables.diff')?.arg).toMatchObject({ table, from: 0, to: 2, key: ['id'] })
  })

  it('restores only after the preview is confirmed, then selects the new version', async () => {
    const engine = createFakeEngine()
    const store = useTableHistoryStore.getState()
    await store.open(engine, table)
    await store.planRestore(engine, 0)
    const plan = useTableHistoryStore.getState().restore
    expect(plan.status).toBe('confirm')
    expect(engine.calls.some((c) => c.method === 'tables.restore')).toBe(false)
    if (plan.status === 'confirm') expect(plan.plan).toMatchObject({ toVersion: 0, rowsNow: rowsAt(2), rowsAfter: rowsAt(0) })
    await store.confirmRestore(engine)
    const s = useTableHistoryStore.getState()
    const entries = ready(s.history)
    expect(entries[0]!.version).toBe(3)
    expect(s.selected).toBe(3)
    expect(ready(s.version).numRecords).toBe(rowsAt(0))
    expect(s.restore.status).toBe('done')
  })

  it('shows a failed load as a readable sentence with its code', async () => {
    const engine = createFakeEngine()
    await useTableHistoryStore.getState().open(engine, 'silver.nope')
    const history = useTableHistoryStore.getState().history
    expect(history.status).toBe('error')
    if (history.status === 'error') {
      expect(history.error.code).toBe('TABLE_NOT_FOUND')
      expect(history.error.sentence).toMatch(/silver\.nope.*\.$/)
    }
  })

  it('runs VACUUM as a dry run first and deletes only on confirmation', async () => {
    const engine = createFakeEngine()
    const store = useTableHistoryStore.getState()
    await store.open(engine, table)
    await store.planVacuum(engine)
    const vacuumCalls = () => engine.calls.filter((c) => c.method === 'tables.vacuum').map((c) => (c.arg as { dryRun: boolean }).dryRun)
    expect(vacuumCalls()).toEqual([true])
    expect(useTableHistoryStore.getState().vacuum.status).toBe('confirm')
    await store.confirmVacuum(engine)
    expect(vacuumCalls()).toEqual([true, false])
    expect(useTableHistoryStore.getState().vacuum.status).toBe('done')
  })
})
