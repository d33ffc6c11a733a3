// S4: a second query on a running query's checkpoint is refused; with the lock bypassed, the Delta txn still keeps rows unique.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import { StreamingQuery, type StreamingQueryOptions } from './streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const options = (root: string, clock: ManualClock, over: Partial<StreamingQueryOptions> = {}): StreamingQueryOptions => ({
  name: 'q', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
  trigger: { kind: 'processingTime', intervalMs: 1000 }, clock, session: port, recordProgress: false, ...over
})

describe('double start (S4)', () => {
  it('refuses a second start on a locked checkpoint with CHECKPOINT_LOCKED, 20 trials', async () => {
    const root = await streamTestLakehouse()
    const clock = new ManualClock(0)
    const first = new StreamingQuery(options(root, clock))
    await first.start()
    for (let trial = 0; trial < 20; trial++) {
      const second = new StreamingQuery(options(root, clock))
      await expect(second.start()).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED' })
    }
    await first.stop()
    const third = new StreamingQuery(options(root, clock))
    await third.start()
    await third.stop()
  })

  it('with the lock removed under a running query, two runners on one checkpoint never duplicate a row', async () => {
    const outcomes: string[] = []
    for (let trial = 0; trial < 5; trial++) {
      const root = await streamTestLakehouse()
      const ids = Array.from({ length: 6 }, (_, i) => trial * 100 + i)
      for (const [i, id] of ids.entries()) await landEvents(root, `f${i}.json`, [id])
      const clockA = new ManualClock(0)
      const clockB = new ManualClock(0)
      const a = new StreamingQuery(options(root, clockA, { sources: [eventsSource(root, 1 + (trial % 2))] }))
      await a.start()
      await fs.rm(path.join(root, 'checkpoints', 'q', 'lock'))
      const b = new StreamingQuery(options(root, clockB, { sources: [eventsSource(root, 2 - (trial % 2))] }))
      await b.start()
      for (let step = 0; step < 6; step++) {
        clockA.advance(1000)
        clockB.advance(1000)
        await Promise.all([a.idle(), b.idle()])
      }
      await Promise.all([a.stop(), b.stop()])
      const statuses = await Promise.all([a, b].map((q) => q.awaitTermination().catch((e: unknown) => (e as { code: string }).code)))
      // At least one of them hit the other's checkpoint file or Delta txn and stopped with a named error, or both agreed.
      outcomes.push(...statuses)
      for (const s of statuses) expect(['stopped', 'CHECKPOINT_CONFLICT', 'CONCURRENT_TRANSACTION']).toContain(s)
      const sink = await sinkIds(port, root, 'silver.events')
      expect(new Set(sink).size).toBe(sink.length)
      // Whatever was lost to the failed runner is picked up by the next start.
      const drain = new StreamingQuery(options(root, new ManualClock(0), { trigger: { kind: 'availableNow' } }))
      await drain.start()
      expect(await drain.awaitTermination()).toBe('completed')
      expect(await sinkIds(port, root, 'silver.events')).toEqual(ids)
    }
    // The runners really collided: some trial ended with the loser's named error.
    expect(outcomes.some((o) => o !== 'stopped')).toBe(true)
  })
})
