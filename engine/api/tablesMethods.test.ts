// Tests the argument and result schemas of the table-version browser methods (what the RPC boundary accepts and returns).
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../testing/fakeEngine'
import { methodSpec } from './methods'

const accepts = (path: string, arg: unknown) => methodSpec(path)!.arg.safeParse(arg).success

describe('tables browser method schemas', () => {
  it('versionInfo / restorePreview / restore take a qualified table and a non-negative integer version, nothing else', () => {
    for (const path of ['tables.versionInfo', 'tables.restorePreview', 'tables.restore']) {
      expect(accepts(path, { table: 'silver.workouts', version: 0 })).toBe(true)
      expect(accepts(path, { table: 'workouts', version: 1 })).toBe(false)
      expect(accepts(path, { table: 'silver.workouts', version: -1 })).toBe(false)
      expect(accepts(path, { table: 'silver.workouts', version: 1.5 })).toBe(false)
      expect(accepts(path, { table: 'silver.workouts' })).toBe(false)
      expect(accepts(path, { table: 'silver.workouts', version: 1, extra: true })).toBe(false)
    }
  })

  it('preview and diff bound their limits; diff keys are non-empty column lists', () => {
    expect(accepts('tables.preview', { table: 'silver.workouts', version: 1, limit: 100 })).toBe(true)
    expect(accepts('tables.preview', { table: 'silver.workouts', version: 1, limit: 0 })).toBe(false)
    expect(accepts('tables.preview', { table: 'silver.workouts', version: 1, limit: 10_000_000 })).toBe(false)
    expect(accepts('tables.diff', { table: 'silver.workouts', from: 0, to: 2 })).toBe(true)
    expect(accepts('tables.diff', { table: 'silver.workouts', from: 0, to: 2, key: ['id'], limit: 500 })).toBe(true)
    expect(accepts('tables.diff', { table: 'silver.workouts', from: 0, to: 2, key: [] })).toBe(false)
    expect(accepts('tables.diff', { table: 'silver.workouts', from: 0 })).toBe(false)
  })

  it('optimize, vacuum and detail validate their options', () => {
    expect(accepts('tables.optimize', { table: 'silver.workouts' })).toBe(true)
    expect(accepts('tables.optimize', { table: 'silver.workouts', where: "day = '2024-01-01'", zorderBy: ['id'] })).toBe(true)
    expect(accepts('tables.optimize', { table: 'silver.workouts', zorderBy: 'id' })).toBe(false)
    expect(accepts('tables.vacuum', { table: 'silver.workouts', dryRun: true })).toBe(true)
    expect(accepts('tables.vacuum', { table: 'silver.workouts', retentionHours: 200, dryRun: false })).toBe(true)
    expect(accepts('tables.vacuum', { table: 'silver.workouts' })).toBe(false)
    expect(accepts('tables.vacuum', { table: 'silver.workouts', retentionHours: -1, dryRun: true })).toBe(false)
    expect(accepts('tables.detail', { table: 'silver.workouts' })).toBe(true)
    expect(accepts('tables.detail', undefined)).toBe(false)
  })

  it('the fake engine\'s answers satisfy the result schemas', async () => {
    const engine = createFakeEngine()
    const table = 'silver.workouts'
    const results: [string, unknown][] = [
      ['tables.versionInfo', await engine.tables.versionInfo({ table, version: 1 })],
      ['tables.preview', await engine.tables.preview({ table, version: 1 })],
      ['tables.diff', await engine.tables.diff({ table, from: 1, to: 2 })],
      ['tables.restorePreview', await engine.tables.restorePreview({ table, version: 0 })],
      ['tables.restore', await engine.tables.restore({ table, version: 0 })],
      ['tables.optimize', await engine.tables.optimize({ table, zorderBy: ['id'] })],
      ['tables.vacuum', await engine.tables.vacuum({ table, dryRun: true })],
      ['tables.detail', await engine.tables.detail({ table })]
    ]
    for (const [path, value] of results) expect(methodSpec(path)!.result.safeParse(value).success, path).toBe(true)
  })
})
