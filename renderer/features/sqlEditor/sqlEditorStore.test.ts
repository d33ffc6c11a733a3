// Tests for the SQL editor store against the fake engine: results, errors, tabs, and a newer run superseding an older one.
import { tableFromIPC } from 'apache-arrow'
import { beforeEach, describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { activeTab, initialEditorState, useSqlEditorStore } from './sqlEditorStore'

beforeEach(() => useSqlEditorStore.setState(initialEditorState()))
const current = () => activeTab(useSqlEditorStore.getState())

describe('sqlEditorStore', () => {
  it('keeps every statement result of a run and where the run started', async () => {
    await useSqlEditorStore.getState().execute(createFakeEngine(), 'SHOW SCHEMAS; SELECT * FROM silver.workouts VERSION AS OF 0', 'all', 7)
    const run = current().run
    expect(run.status).toBe('done')
    if (run.status !== 'done') return
    expect(run.results).toHaveLength(2)
    expect(run.offset).toBe(7)
    expect(tableFromIPC(run.results[1]!.arrow).numRows).toBe(3)
    useSqlEditorStore.getState().showResult(1)
    expect(current().run).toMatchObject({ shown: 1 })
  })

  it('keeps the engine error code, message and detail', async () => {
    await useSqlEditorStore.getState().execute(createFakeEngine(), 'SELECT * FROM silver.nope', 'statement')
    expect(current().run).toMatchObject({
      status: 'error',
      scope: 'statement',
      error: { code: 'TABLE_NOT_FOUND', detail: { table: 'silver.nope' } }
    })
  })

  it('shows only the newest run when an older one finishes later', async () => {
    const engine = createFakeEngine()
    const slow = useSqlEditorStore.getState().execute(engine, 'SELECT wait()', 'all')
    await useSqlEditorStore.getState().execute(engine, 'SHOW SCHEMAS', 'all')
    await engine.sql.cancel()
    await slow
    const run = current().run
    expect(run.status === 'done' && run.sql).toBe('SHOW SCHEMAS')
  })

  it('keeps a run in the tab that started it when another tab becomes active', async () => {
    const engine = createFakeEngine()
    const first = current().id
    const pending = useSqlEditorStore.getState().execute(engine, 'SHOW SCHEMAS', 'all')
    useSqlEditorStore.getState().newTab('SELECT 2')
    await pending
    expect(current().run.status).toBe('idle')
    expect(useSqlEditorStore.getState().tabs.find((t) => t.id === first)!.run.status).toBe('done')
  })

  it('opens a file once, tracks unsaved edits and never closes the last tab', () => {
    const store = useSqlEditorStore.getState()
    store.openFile('a.sql', 'SELECT 1')
    store.openFile('a.sql', 'SELECT 1')
    expect(useSqlEditorStore.getState().tabs.map((t) => t.file)).toEqual([undefined, 'a.sql'])
    store.setText('SELECT 2')
    expect(current()).toMatchObject({ text: 'SELECT 2', savedText: 'SELECT 1' })
    store.markSaved('a.sql', 'SELECT 2')
    expect(current().savedText).toBe('SELECT 2')
    for (const tab of useSqlEditorStore.getState().tabs) store.closeTab(tab.id)
    expect(useSqlEditorStore.getState().tabs).toHaveLength(1)
    expect(current().text).toBe('')
  })

  it('numbers insert requests so the same text can be inserted twice', () => {
    useSqlEditorStore.getState().requestInsert('silver.users')
    const first = useSqlEditorStore.getState().insertRequest
    useSqlEditorStore.getState().requestInsert('silver.users')
    expect(useSqlEditorStore.getState().insertRequest).toEqual({ text: 'silver.users', seq: first!.seq + 1 })
  })
})
