// Tests the fake engine's browser methods behave like the real ones on its in-memory versions.
import { describe, expect, it } from 'vitest'
import { arrowRows } from '../sql/arrow'
import { createFakeEngine } from './fakeEngine'

describe('fake table browser', () => {
  it('diffs silver.workouts v1 -> v2 by the inferred id: one row removed', async () => {
    const diff = await createFakeEngine().tables.diff({ table: 'silver.workouts', from: 1, to: 2 })
    expect(diff).toMatchObject({ key: ['id'], keyInferred: true, added: 0, removed: 1, changed: 0, unchanged: 4 })
    expect(arrowRows(diff.rows)).toEqual([{ _change: 'removed', id: 4, minutes: null, minutes__from: 60, sport: null, sport__from: 'run' }])
  })

  it('restore appends a version with the old rows, shown as RESTORE in history', async () => {
    const engine = createFakeEngine()
    expect(await engine.tables.restore({ table: 'silver.workouts', version: 0 })).toEqual({ version: 3 })
    expect((await engine.tables.preview({ table: 'silver.workouts', version: 3 })).rowCount).toBe(3)
    expect((await engine.tables.history({ table: 'silver.workouts', limit: 1 }))[0]).toMatchObject({ version: 3, operation: 'RESTORE' })
    expect((await engine.tables.versionInfo({ table: 'silver.workouts', version: 3 })).operation).toBe('RESTORE')
  })

  it('vacuum refuses under 168 hours; errors name the table or version', async () => {
    const engine = createFakeEngine()
    await expect(engine.tables.vacuum({ table: 'silver.workouts', retentionHours: 0, dryRun: true })).rejects.toMatchObject({ code: 'VACUUM_RETENTION_TOO_SHORT' })
    await expect(engine.tables.versionInfo({ table: 'silver.workouts', version: 9 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' })
    await expect(engine.tables.diff({ table: 'bronze.raw_workouts', from: 0, to: 0, key: ['nope'] })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' })
  })
})
