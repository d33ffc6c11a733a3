// Trigger parsing, the processingTime schedule, and the ManualClock the streaming tests run on.
import { describe, expect, it } from 'vitest'
import { ManualClock } from './clock'
import { nextTriggerTime, parseTrigger } from './trigger'

describe('triggers', () => {
  it('parses the trigger texts of the CLI and pipeline settings', () => {
    expect(parseTrigger('availableNow')).toEqual({ kind: 'availableNow' })
    expect(parseTrigger('once')).toEqual({ kind: 'once' })
    expect(parseTrigger('processingTime 1 second')).toEqual({ kind: 'processingTime', intervalMs: 1000 })
    expect(parseTrigger("processingTime '2 minutes'")).toEqual({ kind: 'processingTime', intervalMs: 120_000 })
    expect(parseTrigger('processingTime 250ms')).toEqual({ kind: 'processingTime', intervalMs: 250 })
    expect(() => parseTrigger('continuous 1 second')).toThrow(/continuous 1 second/)
  })

  it('schedules the next batch at the next interval boundary, skipping boundaries an overrun missed', () => {
    expect(nextTriggerTime(0, 1000)).toBe(1000)
    expect(nextTriggerTime(1000, 1000)).toBe(2000)
    // Batch triggered at 1000 ran until 3500: the boundary 2000 is past (the next batch starts at once, at 3500),
    // and that batch's own next boundary is 4000, not 3000.
    expect(nextTriggerTime(3500, 1000)).toBe(4000)
    expect(() => nextTriggerTime(0, 0)).toThrow(RangeError)
  })
})

describe('ManualClock', () => {
  it('wakes sleepers only when advanced past their time, in order; aborts reject', async () => {
    const clock = new ManualClock(100)
    const woke: string[] = []
    const a = clock.sleep(50).then(() => woke.push(`a@${clock.now()}`))
    const b = clock.sleep(10).then(() => woke.push(`b@${clock.now()}`))
    const abort = new AbortController()
    const c = clock.sleep(10, abort.signal).catch((e: unknown) => woke.push(`c:${(e as Error).name}`))
    expect(clock.pendingSleeps()).toBe(3)
    abort.abort()
    await c
    clock.advance(9)
    await Promise.resolve()
    expect(woke).toEqual(['c:AbortError'])
    clock.advance(100)
    await Promise.all([a, b])
    expect(woke).toEqual(['c:AbortError', 'b@209', 'a@209'])
    await clock.sleep(0)
    expect(() => clock.advance(-1)).toThrow(RangeError)
  })
})
