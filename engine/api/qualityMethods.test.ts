// Tests the quality domain's argument and result schemas (what the RPC boundary accepts and returns).
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../testing/fakeEngine'
import { methodSpec } from './methods'

const accepts = (path: string, arg: unknown) => methodSpec(path)!.arg.safeParse(arg).success

describe('quality method schemas', () => {
  it('overview and watermarks take no argument', () => {
    for (const path of ['quality.overview', 'quality.watermarks']) {
      expect(accepts(path, undefined)).toBe(true)
      expect(accepts(path, {})).toBe(false)
    }
  })

  it('quarantine takes a qualified table, an optional expectation and bounded paging', () => {
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine' })).toBe(true)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', expectation: 'valid_id', limit: 100, offset: 200 })).toBe(true)
    expect(accepts('quality.quarantine', { table: 'users_quarantine' })).toBe(false)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', expectation: '' })).toBe(false)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', limit: 0 })).toBe(false)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', limit: 10_000_000 })).toBe(false)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', offset: -1 })).toBe(false)
    expect(accepts('quality.quarantine', { table: 'silver.users_quarantine', where: '1=1' })).toBe(false)
  })

  it('reconciliation takes nothing or a positive limit', () => {
    expect(accepts('quality.reconciliation', undefined)).toBe(true)
    expect(accepts('quality.reconciliation', { limit: 50 })).toBe(true)
    expect(accepts('quality.reconciliation', { limit: -1 })).toBe(false)
    expect(accepts('quality.reconciliation', { since: 1 })).toBe(false)
  })

  it("the fake engine's answers satisfy the result schemas", async () => {
    const engine = createFakeEngine()
    const results: [string, unknown][] = [
      ['quality.overview', await engine.quality.overview()],
      ['quality.quarantine', await engine.quality.quarantine({ table: 'silver.orders_quarantine', expectation: 'valid_amount' })],
      ['quality.reconciliation', await engine.quality.reconciliation()],
      ['quality.watermarks', await engine.quality.watermarks()]
    ]
    for (const [path, value] of results) expect(methodSpec(path)!.result.safeParse(value).success, path).toBe(true)
    expect(methodSpec('quality.quarantine')!.result.safeParse({ ...(results[1]![1] as object), rows: 'not bytes' }).success).toBe(false)
  })
})
