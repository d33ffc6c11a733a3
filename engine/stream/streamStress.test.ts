// S1: a port of Spark's StreamTest.runStressTest — random add-data / start / stop / cancel actions, then the sink must hold
// exactly the input multiset (every record once: count, not distinct). STREAM_STRESS_ACTIONS sets the actions per seed
// (default 150; the full run is 500).
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import { StreamingQuery, type StreamingQueryOptions } from './streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { SeededRandom } from './producer/seededRandom'

const ACTIONS = Number(process.env.STREAM_STRESS_ACTIONS ?? 150)
const SEEDS = [1, 2, 3, 4, 5]

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

/** Yields to the event loop `n` times, so the next action lands at a varying point of a running batch. */
async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('random start/stop stress (S1)', () => {
  it.each(SEEDS)(`seed %i: ${ACTIONS} random actions, then the sink equals the input multiset`, async (seed) => {
    // A failing seed replays the same action sequence.
    const generator = new SeededRandom(seed)
    const random = () => generator.next()
    const root = await streamTestLakehouse()
    const clock = new ManualClock(0)
    const options = (trigger: StreamingQueryOptions['trigger']): StreamingQueryOptions => ({
      name: 'stress', lakehouseRoot: root, sources: [eventsSource(root, 1 + Math.floor(random() * 3))], transform: eventsTransform,
      sink: { table: 'silver.events', mode: 'append' }, trigger, clock, recordProgress: random() < 0.2
    })
    let dataPos = 0
    let files = 0
    let query: StreamingQuery | null = null
    const counts = { add: 0, start: 0, stop: 0, cancel: 0, check: 0 }
    const addData = async (): Promise<void> => {
      const n = Math.floor(random() * 101)
      await landEvents(root, `f${String(files++).padStart(5, '0')}.json`, Array.from({ length: n }, (_, i) => dataPos + i))
      dataPos += n
      counts.add++
    }
    for (let action = 0; action < ACTIONS; action++) {
      const r = random()
      if (query) {
        if (r < 0.1) {
          // CheckAnswer while running: let the pending trigger finish; the sink never holds a record twice or one not added.
          await query.idle()
          const ids = await sinkIds(port, root, 'silver.events')
          expect(new Set(ids).size).toBe(ids.length)
          expect(ids.every((id) => id < dataPos)).toBe(true)
          counts.check++
        } else if (r < 0.7) {
          await addData()
          clock.advance(1000)
          await ticks(Math.floor(random() * 20))
        } else {
          const cancel = random() < 0.5
          await (cancel ? query.cancel() : query.stop())
          const status = await query.awaitTermination()
          expect(['stopped', 'cancelled', 'completed']).toContain(status)
          counts[cancel ? 'cancel' : 'stop']++
          query = null
        }
      } else if (r < 0.7) await addData()
      else {
        query = new StreamingQuery(options({ kind: 'processingTime', intervalMs: 1000 }))
        await query.start()
        counts.start++
        await ticks(Math.floor(random() * 20))
      }
    }
    if (query) await query.stop()
    const drain = new StreamingQuery(options({ kind: 'availableNow' }))
    await drain.start()
    expect(await drain.awaitTermination()).toBe('completed')
    const ids = await sinkIds(port, root, 'silver.events')
    expect(ids.length).toBe(dataPos)
    expect(ids).toEqual(Array.from({ length: dataPos }, (_, i) => i))
    expect(counts.start).toBeGreaterThan(0)
    expect(counts.cancel).toBeGreaterThan(0)
  }, 600_000)
})
