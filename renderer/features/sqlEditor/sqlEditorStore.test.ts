// Tests for the SQL editor store against the fake engine: results, errors, and a newer run superseding an older one.
import { tableFromIPC } from 'apache-arrow'
import { beforeEach, describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { initialSql, useSqlEditorStore } from './sqlEditorStore'

beforeEach(() => useSqlEditorStore.setState({ text: initialSql, run: { status: 'idle' }, insertRequest: null }))

describe('sqlEditorStore', () => {
  it('keeps every statement result of a run', async () => {
    await useSqlEditorStore.getState().execute(createFakeEngine(), 'SHOW SCHEMAS; SELECT * FROM silver.workouts VERSION AS OF 0', 'all')
    const run = useSqlEditorStore.getState().run
    expect(run.status).toBe('done')
    if (run.status !== 'done') return
    expect(run.results).toHaveLength(2)
    expect(tableFromIPC(run.results[1]!.arrow).numRows).toBe(3)
  })

  it('keeps the engine error code, message and detail', async () => {
    await useSqlEditorStore.getState().execute(createFakeEngine(), 'SELECT * FROM silver.nope', 'statement')
    expect(useSqlEditorStore.getState().run).toMatchObject({
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
    const run = useSqlEditorStore.getState().run
    expect(run.status === 'done' && run.sql).toBe('SHOW SCHEMAS')
  })

  it('numbers insert requests so the same text can be inserted twice', () => {
    useSqlEditorStore.getState().requestInsert('silver.users')
    const first = useSqlEditorStore.getState().insertRequest
    useSqlEditorStore.getState().requestInsert('silver.users')
    expect(useSqlEditorStore.getState().insertRequest).toEqual({ text: 'silver.users', seq: first!.seq + 1 })
  })
})
