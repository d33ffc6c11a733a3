// Tests for the explorer store: tables grouped under their schemas, empty schemas kept, failures reported.
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { useExplorerStore } from './explorerStore'

describe('explorerStore', () => {
  it('groups tables by schema, in the order the engine lists schemas', async () => {
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
