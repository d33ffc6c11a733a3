// Watermark rules: max - delay, min over active partitions, idle partitions released, monotonic, JSON round trip.
import { describe, expect, it } from 'vitest'
import { EventTimeError } from './eventTimeError'
import { parseIntervalMs } from './intervalMs'
import { WatermarkTracker } from './watermarkTracker'

const MIN = 60_000
const at = (hhmm: string) => Date.parse(`2024-01-01T${hhmm}:00Z`)
const delay = 10 * MIN

describe('WatermarkTracker', () => {
  it('is null until data is seen, then max event time minus the delay, and never goes back', () => {
    const tracker = new WatermarkTracker({ column: 'ts', delayMs: delay })
    expect(tracker.current()).toBeNull()
    tracker.observe(new Map(), 0)
    expect(tracker.current()).toBeNull()
    tracker.observe(new Map([['p0', at('12:14')]]), 1)
    expect(tracker.current()).toBe(at('12:04'))
    tracker.observe(new Map([['p0', at('12:09')]]), 2) // out-of-order batch: the max stays 12:14
    expect(tracker.current()).toBe(at('12:04'))
    tracker.observe(new Map([['p0', at('12:21')]]), 3)
    expect(tracker.current()).toBe(at('12:11'))
  })

  it('takes the minimum over partitions (Spark multipleWatermarkPolicy=min)', () => {
    const tracker = new WatermarkTracker({ column: 'ts', delayMs: delay })
    tracker.observe(new Map([['p0', at('12:30')], ['p1', at('12:05')]]), 0)
    expect(tracker.current()).toBe(at('11:55'))
    tracker.observe(new Map([['p0', at('12:40')]]), 1) // p1 still holds it back: no idle timeout configured
    expect(tracker.current()).toBe(at('11:55'))
    tracker.observe(new Map([['p1', at('12:20')]]), 2)
    expect(tracker.current()).toBe(at('12:10'))
  })

  it('stops waiting for a partition idle longer than the timeout, and does not go back when it returns', () => {
    const tracker = new WatermarkTracker({ column: 'ts', delayMs: delay, idlePartitionTimeoutMs: 5_000 })
    tracker.observe(new Map([['p0', at('12:30')], ['p1', at('12:05')]]), 0)
    expect(tracker.current()).toBe(at('11:55'))
    tracker.observe(new Map([['p0', at('12:40')]]), 5_000) // p1 idle exactly the timeout: still active
    expect(tracker.current()).toBe(at('11:55'))
    tracker.observe(new Map([['p0', at('12:41')]]), 5_001) // idle longer than the timeout: released
    expect(tracker.current()).toBe(at('12:31'))
    expect(tracker.partitionStates(5_001).find((p) => p.partition === 'p1')?.idle).toBe(true)
    tracker.observe(new Map([['p1', at('12:06')]]), 6_000) // p1 is back, far behind: min would be 11:56, but it is monotonic
    expect(tracker.current()).toBe(at('12:31'))
    tracker.observe(new Map(), 20_000) // everything idle: the watermark stays
    expect(tracker.current()).toBe(at('12:31'))
  })

  it('round-trips through JSON and refuses garbage with STATE_CORRUPT naming the source', () => {
    const tracker = new WatermarkTracker({ column: 'ts', delayMs: delay, idlePartitionTimeoutMs: 5_000 })
    tracker.observe(new Map([['p0', at('12:30')], ['p1', at('12:05')]]), 0)
    const restored = WatermarkTracker.fromJSON(JSON.parse(JSON.stringify(tracker)))
    expect(restored.current()).toBe(tracker.current())
    for (const t of [tracker, restored]) t.observe(new Map([['p0', at('12:50')]]), 9_000)
    expect(restored.current()).toBe(tracker.current())
    expect(restored.current()).toBe(at('12:40'))
    expect(() => WatermarkTracker.fromJSON({ spec: { column: 'ts' } }, 'state/3/watermark.json')).toThrow(/STATE_CORRUPT: state\/3\/watermark.json/)
    expect(() => new WatermarkTracker({ column: 'ts', delayMs: -1 })).toThrow(EventTimeError)
  })
})

describe('parseIntervalMs', () => {
  it('reads Spark and pipeline SQL interval spellings', () => {
    expect(parseIntervalMs('10 minutes')).toBe(10 * MIN)
    expect(parseIntervalMs('INTERVAL 10 MINUTES')).toBe(10 * MIN)
    expect(parseIntervalMs('1 hour 30 minutes')).toBe(90 * MIN)
    expect(parseIntervalMs(1500)).toBe(1500)
    expect(() => parseIntervalMs('10 fortnights')).toThrow(/INVALID_INTERVAL.*fortnights/)
    expect(() => parseIntervalMs('soon')).toThrow(/INVALID_INTERVAL/)
    expect(() => parseIntervalMs('0 seconds', { positive: true })).toThrow(/INVALID_INTERVAL/)
  })
})
