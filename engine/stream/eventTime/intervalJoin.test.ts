// The sbit stream-stream joins: workout start/stop within 3 hours, bpm inside a completed workout; bounded state, restarts.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { IntervalJoin, type IntervalJoinSpec } from './intervalJoin'
import { loadRows, readSorted, runBatch } from './testBatches'
import { WatermarkTracker } from './watermarkTracker'

const MIN = 60_000
const HOUR = 60 * MIN
const STEP = 10 * MIN
const USERS = 5
const BATCHES = 100
const base = Date.parse('2024-03-01T06:00:00Z')

let port: DuckdbSession
let stateRoot: string
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  stateRoot = await mkdtemp(path.join(os.tmpdir(), 'lakebench-join-'))
})
afterAll(async () => {
  port.close()
  await rm(stateRoot, { recursive: true, force: true })
})

type Event = { user: number; workout: string; ms: number }
/** Batch b carries the starts of its workouts and the stops of workouts that began d batches ago (some after more than 3h). */
function steadyStream(): { starts: Event[][]; stops: Event[][] } {
  const starts: Event[][] = Array.from({ length: BATCHES }, () => [])
  const stops: Event[][] = Array.from({ length: BATCHES }, () => [])
  for (let b = 0; b < BATCHES; b++) {
    for (let u = 0; u < USERS; u++) {
      const start = { user: u, workout: `w${b}_${u}`, ms: base + b * STEP + u * MIN }
      starts[b]!.push(start)
      const d = (b + u) % 9 === 0 ? 20 : 1 + ((b * 7 + u * 3) % 12)
      if (b + d < BATCHES) stops[b + d]!.push({ user: u, workout: start.workout, ms: start.ms + d * STEP })
    }
  }
  return { starts, stops }
}

const eventRow = (e: Event) => `${e.user}, '${e.workout}', make_timestamp(${e.ms}::BIGINT * 1000)`
async function loadEvents(name: string, column: string, events: Event[]): Promise<void> {
  await loadRows(port, name, `col0::INTEGER AS user_id, col1::VARCHAR AS workout_id, col2::TIMESTAMP AS ${column}`, events.map(eventRow))
}

const workoutJoin = (id: string, type: 'inner' | 'leftOuter' = 'inner'): IntervalJoinSpec => ({
  id, type,
  left: { eventTime: 'start_ts', keys: ['user_id', 'workout_id'] }, right: { eventTime: 'stop_ts', keys: ['user_id', 'workout_id'] },
  bounds: { lowerMs: 0, upperMs: 3 * HOUR }, select: 'l.user_id, l.workout_id, l.start_ts, r.stop_ts'
})

describe('IntervalJoin', () => {
  it('matches a batch join of all the data with bounded state over 100 batches, also when restarted', async () => {
    const { starts, stops } = steadyStream()
    const op = new IntervalJoin(port, workoutJoin('steady'))
    const tracker = new WatermarkTracker({ column: 'ts', delayMs: 10 * MIN })
    let restarted = new IntervalJoin(port, workoutJoin('steady_restarted'))
    const restartedTracker = new WatermarkTracker({ column: 'ts', delayMs: 10 * MIN })
    const emitted: Record<string, unknown>[] = []
    const stateSizes: number[] = []
    for (let b = 0; b < BATCHES; b++) {
      await loadEvents('starts', 'start_ts', starts[b]!)
      await loadEvents('stops', 'stop_ts', stops[b]!)
      await port.exec(`CREATE OR REPLACE TEMP VIEW starts_ts AS SELECT *, start_ts AS ts FROM starts`)
      await port.exec(`CREATE OR REPLACE TEMP VIEW stops_ts AS SELECT *, stop_ts AS ts FROM stops`)
      const { output } = await runBatch(op, tracker, ['starts_ts', 'stops_ts'], b, b * STEP, 'ts')
      const rows = await readSorted(port, output.emitted)
      emitted.push(...rows)
      stateSizes.push(output.stateRows)
      expect(output.numLateRows).toBe(0)
      // The restarted copy saves and reloads into a fresh operator every 7 batches and must say exactly the same.
      const again = await runBatch(restarted, restartedTracker, ['starts_ts', 'stops_ts'], b, b * STEP, 'ts')
      expect(await readSorted(port, again.output.emitted), `batch ${b} after restarts`).toEqual(rows)
      expect(again.output.stateRows).toBe(output.stateRows)
      if (b % 7 === 6) {
        const dir = path.join(stateRoot, 'steady', String(b))
        await restarted.save(dir)
        await restarted.close()
        restarted = new IntervalJoin(port, workoutJoin('steady_restarted'))
        await restarted.load(dir)
      }
    }
    await loadEvents('all_starts', 'start_ts', starts.flat())
    await loadEvents('all_stops', 'stop_ts', stops.flat())
    const batchJoin = await port.query(`SELECT l.user_id, l.workout_id, l.start_ts, r.stop_ts FROM all_starts l JOIN all_stops r
      ON l.user_id = r.user_id AND l.workout_id = r.workout_id AND r.stop_ts BETWEEN l.start_ts AND l.start_ts + INTERVAL 3 HOURS ORDER BY ALL`)
    expect(batchJoin.length).toBeGreaterThan(300)
    expect(batchJoin.length).toBeLessThan(stops.flat().length) // the 200-minute workouts do not match
    const sortKey = (r: Record<string, unknown>) => `${String(r.workout_id)}`
    expect([...emitted].sort((a, b) => sortKey(a).localeCompare(sortKey(b))))
      .toEqual([...batchJoin].sort((a, b) => sortKey(a).localeCompare(sortKey(b))))
    // Left rows live 3h + the delay (+ a batch); right rows until the watermark passes them.
    const bound = USERS * (Math.ceil((3 * HOUR + 10 * MIN) / STEP) + 2) + USERS * 3
    expect(Math.max(...stateSizes)).toBeLessThanOrEqual(bound)
    expect(Math.max(...stateSizes.slice(50))).toBeLessThanOrEqual(Math.max(...stateSizes.slice(25, 50)))
    await op.close()
    await restarted.close()
  })

  it('emits unmatched left rows with NULL right columns when they are evicted (left outer)', async () => {
    const op = new IntervalJoin(port, workoutJoin('outer', 'leftOuter'))
    await loadEvents('starts', 'start_ts', [{ user: 1, workout: 'a', ms: base }, { user: 2, workout: 'b', ms: base }])
    await loadEvents('stops', 'stop_ts', [{ user: 1, workout: 'a', ms: base + HOUR }])
    const first = await op.process({ relations: ['starts', 'stops'], watermarkMs: null, batchId: 0 })
    expect((await readSorted(port, first.emitted)).map((r) => r.workout_id)).toEqual(['a'])
    await loadEvents('starts', 'start_ts', [])
    await loadEvents('stops', 'stop_ts', [])
    const beforeBound = await op.process({ relations: ['starts', 'stops'], watermarkMs: base + 3 * HOUR, batchId: 1 })
    expect(beforeBound.numEmittedRows).toBe(0) // a stop at exactly start + 3h could still come
    const after = await op.process({ relations: ['starts', 'stops'], watermarkMs: base + 3 * HOUR + 1, batchId: 2 })
    expect(await readSorted(port, after.emitted)).toEqual([{ user_id: 2, workout_id: 'b', start_ts: new Date(base), stop_ts: null }])
    expect(after.stateRows).toBe(0)
    await op.close()
  })

  it('joins bpm readings to the completed workout they fall inside, and routes late readings to late', async () => {
    const op = new IntervalJoin(port, {
      id: 'bpm', left: { eventTime: 'start_ts', keys: ['user_id'] }, right: { eventTime: 'ts', keys: ['user_id'] },
      bounds: { lowerMs: 0, upperMs: 3 * HOUR }, condition: 'r.ts <= l.stop_ts', select: 'l.workout_id, r.ts, r.bpm'
    })
    const workouts = 'col0::INTEGER AS user_id, col1::VARCHAR AS workout_id, col2::TIMESTAMP AS start_ts, col3::TIMESTAMP AS stop_ts'
    const bpm = 'col0::INTEGER AS user_id, col1::TIMESTAMP AS ts, col2::INTEGER AS bpm'
    await loadRows(port, 'workouts', workouts, [`1, 'w1', TIMESTAMP '2024-03-01 07:00', TIMESTAMP '2024-03-01 08:00'`])
    await loadRows(port, 'bpm', bpm, [`1, TIMESTAMP '2024-03-01 07:30', 120`, `1, TIMESTAMP '2024-03-01 08:30', 90`, `2, TIMESTAMP '2024-03-01 07:30', 100`])
    const first = await op.process({ relations: ['workouts', 'bpm'], watermarkMs: null, batchId: 0 })
    expect((await readSorted(port, first.emitted)).map((r) => `${String(r.workout_id)} ${String(r.bpm)}`)).toEqual(['w1 120'])
    await loadRows(port, 'workouts', workouts, [])
    await loadRows(port, 'bpm', bpm, [`1, TIMESTAMP '2024-03-01 07:59', 150`, `1, TIMESTAMP '2024-03-01 06:59', 60`])
    const second = await op.process({ relations: ['workouts', 'bpm'], watermarkMs: Date.parse('2024-03-01T07:10:00Z'), batchId: 1 })
    expect((await readSorted(port, second.emitted)).map((r) => `${String(r.workout_id)} ${String(r.bpm)}`)).toEqual(['w1 150'])
    expect((await readSorted(port, second.late[1]!)).map((r) => [r.bpm, Number(r._lateness_ms) / MIN])).toEqual([[60, 11]])
    await op.close()
  })
})
