// A stream-stream interval join in a query over two topic sources: workout start and stop within 3 hours (sbit).
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import { IntervalJoin } from './eventTime/intervalJoin'
import { eventTimeStep } from './eventTimeStep'
import { TopicStreamSource } from './sources/topicStreamSource'
import { StreamingQuery } from './streamingQuery'
import { streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { BASE_MS, tableRows } from './testing/windowedTopicQuery'
import { Topic } from './topic/topic'

const MIN = 60_000

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const side = (src: string, column: string): string => `SELECT "partition", "offset", json_extract_string(value, '$.workout') AS workout_id,
  make_timestamp(json_extract(value, '$.ts')::BIGINT * 1000) AS ${column} FROM ${src}`

describe('interval join in a streaming query', () => {
  it('joins starts and stops of two topics like a batch join of the on-time rows; late rows of both sides go to _late', async () => {
    const root = await streamTestLakehouse()
    const starts = await Topic.create(root, 'starts', 1)
    const stops = await Topic.create(root, 'stops', 1)
    // 30 workouts 10 min apart lasting 0..199 min (over 180: no match); every 7th stop is delivered at the very end (late).
    const workouts = Array.from({ length: 30 }, (_, i) => ({ id: `w${i}`, start: BASE_MS + i * 10 * MIN, stop: BASE_MS + i * 10 * MIN + ((i * 37) % 200) * MIN }))
    const record = (id: string, ts: number) => ({ partition: 0, key: id, value: JSON.stringify({ workout: id, ts }), timestamp: ts })
    await starts.append(workouts.map((w) => record(w.id, w.start)))
    const [delayed, inOrder] = [workouts.filter((_, i) => i % 7 === 3), workouts.filter((_, i) => i % 7 !== 3)]
    await stops.append([...inOrder.sort((a, b) => a.stop - b.stop), ...delayed].map((w) => record(w.id, w.stop)))
    const q = new StreamingQuery({
      name: 'workouts', lakehouseRoot: root, session: port, clock: new ManualClock(0), trigger: { kind: 'availableNow' },
      sources: [new TopicStreamSource({ lakehouseRoot: root, topic: 'starts', maxOffsetsPerTrigger: 4 }), new TopicStreamSource({ lakehouseRoot: root, topic: 'stops', maxOffsetsPerTrigger: 4 })],
      eventTime: { column: 'start_ts', delayMs: 30 * MIN },
      statefulStep: eventTimeStep({
        operator: () => new IntervalJoin(port, {
          id: 'workout', left: { eventTime: 'start_ts', keys: ['workout_id'] }, right: { eventTime: 'stop_ts', keys: ['workout_id'] },
          bounds: { lowerMs: 0, upperMs: 180 * MIN }, select: 'l.workout_id, l.start_ts, r.stop_ts'
        }),
        inputs: ({ sources }) => [side(sources[0]!, 'start_ts'), side(sources[1]!, 'stop_ts')],
        eventTimeColumns: ['start_ts', 'stop_ts']
      }),
      sink: { table: 'silver.workouts', mode: 'append' }
    })
    await q.start()
    expect(await q.awaitTermination()).toBe('completed')
    expect(q.recentProgress.length).toBeGreaterThan(5)
    const late = await tableRows(port, root, 'silver.workouts_late', ['_input', 'workout_id'])
    const lateKeys = new Set(late.map((r) => r))
    expect(late.length).toBeGreaterThan(0)
    const isLate = (input: number, id: string): boolean => lateKeys.has(JSON.stringify([String(input), id]))
    const expected = workouts
      .filter((w) => !isLate(0, w.id) && !isLate(1, w.id) && w.stop - w.start <= 180 * MIN)
      .map((w) => JSON.stringify([w.id, String(w.start), String(w.stop)])).sort()
    expect(expected.length).toBeGreaterThan(10)
    expect(await tableRows(port, root, 'silver.workouts', ['workout_id', 'start_ts', 'stop_ts'])).toEqual(expected)
    // State stays bounded: evicted by the watermark, reported per batch.
    expect(q.recentProgress.some((p) => (p.stateOperators[0]!.numRowsRemoved ?? 0) > 0)).toBe(true)
    expect(q.recentProgress.reduce((a, p) => a + p.numRowsLate, 0)).toBe(late.length)
  })
})
