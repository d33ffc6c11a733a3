// Tests for the explorer store: tables grouped under their schemas, empty schemas kept, failures reported.
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { orderSchemas, useExplorerStore } from './explorerStore'

describe('explorerStore', () => {
  it('orders schemas as data flows: bronze, silver, gold, system, then the rest alphabetically', () => {
    expect(orderSchemas(['audit', 'gold', 'system', 'bronze', 'Silver', 'archive'])).toEqual(['bronze', 'Silver', 'gold', 'system', 'archive', 'audit'])
  })

  it('keeps each table\'s summary by qualified name, and still lists tables when summaries fail', async () => {
    const engine = createFakeEngine()
    await useExplorerStore.getState().load(engine)
    expect(useExplorerStore.getState().summaries['silver.workouts']).toMatchObject({ rows: 4, version: 2, numFiles: 1 })
    engine.tables.summaries = () => Promise.reject(new Error('log unreadable'))
    await useExplorerStore.getState().load(engine)
    expect(useExplorerStore.getState()).toMatchObject({ status: 'ready', summariesError: 'log unreadable' })
  })

  it('groups tables by schema, in explorer order', async () => {
    const engine = createFakeEngine([
      { schema: 'silver', name: 'workouts', versions: [{ id: [1] }] },
      { schema: 'bronze', name: 'raw', versions: [{ id: [1] }] },
      { schema: 'silver', name: 'users', versions: [{ id: [1] }] }
    ])
    await useExplorerStore.getState().load(engine)
    const { status, schemas } = useExplorerStore.getState()
    expect(status).toBe('ready')
    expect(schemas.map((s) => [s.name, s.tables.map((t) => t.name)])).toEqual([
      ['bronze', ['raw']],
      ['silver', ['workouts', 'users']]
    ])
  })

  it('reports a failure to list tables', async () => {
    const engine = createFakeEngine()
    engine.tables.listTables = () => Promise.reject(new Error('disk on fire'))
    await useExplorerStore.getState().load(engine)
    expect(useExplorerStore.getState()).toMatchObject({ status: 'error', error: 'disk on fire' })
  })
})
