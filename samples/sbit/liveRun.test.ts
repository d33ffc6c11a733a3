// Runs the sbit_live pipeline over live bpm files in several batches: every record lands once (window, late or quarantine), workout sessions pair up and collect their readings.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../engine/lakehouse/folder'
import { loadPipeline, runLoadedPipeline, type PipelineRunResult } from '../../engine/pipeline/runner'
import { queryRows } from '../../engine/pipeline/run/testPipelineLakehouse'
import { noiseSpec, noisyRecords, type NoisyRecord } from '../../engine/stream/producer/noisyRecords'
import { buildPipelineSample } from '../buildPipelineSample'
import { produceDataSet } from '../dataSets'
import { runSamplePipeline, SimulatedClock } from '../pipelineRunner'
import { LIVE_BOUNDS, liveSampleSource, sbitBpmProfile } from '../streamProfiles'
import { SBIT_START_MS } from './gymTimeline'

const DAY_MS = 86_400_000
const MINUTE = 60_000
const DELAY_MS = 10 * MINUTE
const WINDOW_MS = 10 * MINUTE
const SEED = 77
const FRACTIONS = { outOfOrder: 0.05, late: 0.06, duplicate: 0.03, malformed: 0.04 }
const RECORDS_PER_FILE = 600
/** Files landed before each sbit_live run. */
const RUNS = [[0, 1], [2], [3, 4, 5], [6]]
const OUTPUT = { kind: 'files', source: 'live_bpm', format: 'ndjson' } as const

interface Reading { device: number; ms: number; heartrate: number }

/** The records of file b exactly as the producer writes them (same profile, seed, noise and batch size). */
function recordsOf(file: number): NoisyRecord[] {
  return noisyRecords(noiseSpec(sbitBpmProfile, SEED, FRACTIONS, LIVE_BOUNDS), file * RECORDS_PER_FILE, (file + 1) * RECORDS_PER_FILE)
}

/**
 * Whether bronze must quarantine the record: cut short, or a value of the wrong type. Judged from what was written, not
 * from `kind`: a redelivered copy of a malformed record is kind 'duplicate' and just as malformed.
 */
const isMalformed = (r: NoisyRecord): boolean =>
  r.truncated || typeof r.values.device_id !== 'number' || typeof r.values.heartrate !== 'number' || r.values.time === 'not-a-timestamp'
const readingOf = (r: NoisyRecord): Reading => ({ device: Number(r.values.device_id), ms: r.eventTimeMs, heartrate: Number(r.values.heartrate) })
const key = (device: unknown, ms: number, heartrate: unknown): string => `${Number(device)}|${ms}|${Number(heartrate)}`

/** Spark's rule by hand: a run's watermark is the newest valid event time of earlier runs - 10 minutes; rows at or behind it are late. */
function expectedSplit(): { onTime: Reading[]; late: { reading: Reading; watermark: number }[]; malformed: number; total: number; finalWatermark: number } {
  const onTime: Reading[] = []
  const late: { reading: Reading; watermark: number }[] = []
  let malformed = 0
  let total = 0
  let max: number | null = null
  for (const files of RUNS) {
    const watermark = max === null ? null : max - DELAY_MS
    for (const record of files.flatMap(recordsOf)) {
      total++
      if (isMalformed(record)) { malformed++; continue }
      const reading = readingOf(record)
      if (watermark !== null && reading.ms <= watermark) late.push({ reading, watermark })
      else onTime.push(reading)
      max = max === null ? reading.ms : Math.max(max, reading.ms)
    }
  }
  return { onTime, late, malformed, total, finalWatermark: max! - DELAY_MS }
}

describe('sbit_live over a live bpm producer and the sbit workouts', () => {
  let dir: string
  let lakehouse: Lakehouse
  const clock = new SimulatedClock(SBIT_START_MS)
  const liveRuns: PipelineRunResult[] = []
  /** silver.workouts as each sbit_live run read it. */
  const workoutsSeen: Record<string, unknown>[][] = []

  async function runLive(): Promise<PipelineRunResult> {
    const result = await runLoadedPipeline(lakehouse, await loadPipeline(lakehouse, 'sbit_live'), { clock })
    expect(result.status, result.error).toBe('completed')
    workoutsSeen.push(await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, action, time FROM silver.workouts'))
    liveRuns.push(result)
    return result
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sbit-live-'))
    lakehouse = (await buildPipelineSample(path.join(dir, 'sbit'), 'sbit', { dataSets: 1 })).lakehouse
    const source = liveSampleSource('sbit', { seed: SEED, fractions: FRACTIONS, bounds: LIVE_BOUNDS, recordsPerBatch: RECORDS_PER_FILE, output: OUTPUT })
    for (const [run, files] of RUNS.entries()) {
      for (const file of files) {
        const unit = source.unit(file)
        if (unit?.kind !== 'file') throw new Error(`live source gave no file for batch ${file}`)
        await fs.mkdir(path.dirname(path.join(lakehouse.root, unit.path)), { recursive: true })
        await fs.writeFile(path.join(lakehouse.root, unit.path), unit.text)
      }
      if (run === 2) {
        // The main pipeline moves on meanwhile: data set 2 brings more workouts (and late ones) to silver.workouts.
        await produceDataSet(lakehouse.root, 'sbit', 2)
        clock.setTo(SBIT_START_MS + 6 * DAY_MS - 3600_000)
        await runSamplePipeline(lakehouse, 'sbit', clock)
      }
      await runLive()
    }
  }, 600_000)

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  })

  it('ships beside sbit in the sample lakehouse', async () => {
    expect((await fs.readdir(path.join(lakehouse.root, 'pipelines'))).sort()).toEqual(['sbit', 'sbit_live'])
    expect(liveRuns[0]!.flows.map((f) => f.target)).toEqual(['bronze.live_bpm', 'silver.live_bpm_10min', 'silver.workout_sessions', 'silver.workout_session_devices', 'silver.workout_bpm_live'])
  })

  it('accounts for every produced record exactly once: in a window, in _late, in quarantine or still in an open window', async () => {
    const expected = expectedSplit()
    expect(expected.late.length).toBeGreaterThan(0)
    expect(expected.malformed).toBeGreaterThan(0)
    const [windowed] = await queryRows(lakehouse, 'SELECT coalesce(sum(readings), 0) AS n FROM silver.live_bpm_10min')
    const [late] = await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.live_bpm_10min_late')
    const [quarantined] = await queryRows(lakehouse, 'SELECT count(*) AS n FROM bronze.live_bpm_quarantine')
    const open = expected.onTime.filter((r) => Math.floor(r.ms / WINDOW_MS) * WINDOW_MS + WINDOW_MS > expected.finalWatermark).length
    expect({ windowed: Number(windowed!.n), late: Number(late!.n), quarantined: Number(quarantined!.n) })
      .toEqual({ windowed: expected.onTime.length - open, late: expected.late.length, quarantined: expected.malformed })
    expect(Number(windowed!.n) + Number(late!.n) + Number(quarantined!.n) + open).toBe(expected.total)
  })

  it('quarantines malformed records with the expectation they failed', async () => {
    const rows = await queryRows(lakehouse, 'SELECT _rescued_data, _expectations, _reason FROM bronze.live_bpm_quarantine')
    for (const r of rows) {
      expect(r._rescued_data).not.toBeNull()
      expect(String(r._expectations)).toContain('parsed_record')
      expect(String(r._reason)).not.toBe('')
    }
  })

  it('sends exactly the readings at or behind their batch\'s watermark to the _late table', async () => {
    const rows = await queryRows(lakehouse, 'SELECT device_id, time, heartrate, _watermark, _lateness_ms, _batch_id FROM silver.live_bpm_10min_late')
    const actual = rows.map((r) => `${key(r.device_id, new Date(r.time as string).getTime(), r.heartrate)} @${new Date(r._watermark as string).getTime()}`).sort()
    expect(actual).toEqual(expectedSplit().late.map((l) => `${key(l.reading.device, l.reading.ms, l.reading.heartrate)} @${l.watermark}`).sort())
    for (const r of rows) expect(Number(r._lateness_ms)).toBe(new Date(r._watermark as string).getTime() - new Date(r.time as string).getTime())
    // Each late row names the silver batch that read it: one of that flow's checkpointed batches.
    const offsets = await fs.readdir(path.join(lakehouse.root, 'checkpoints', 'sbit_live', 'silver.live_bpm_10min', 'offsets'))
    for (const id of new Set(rows.map((r) => Number(r._batch_id)))) expect(offsets).toContain(`${id}.json`)
  })

  it('aggregates each closed 10-minute window per device like a batch query over the on-time readings', async () => {
    const { onTime, finalWatermark } = expectedSplit()
    const groups = new Map<string, number[]>()
    for (const r of onTime) {
      const start = Math.floor(r.ms / WINDOW_MS) * WINDOW_MS
      if (start + WINDOW_MS > finalWatermark) continue
      const k = `${start} ${r.device}`
      groups.set(k, [...(groups.get(k) ?? []), r.heartrate])
    }
    const expected = [...groups].map(([k, v]) => `${k} ${v.length} ${Math.min(...v)} ${Math.max(...v)} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(6)}`).sort()
    const rows = await queryRows(lakehouse, 'SELECT `window`.start AS ws, device_id, readings, min_heartrate, max_heartrate, avg_heartrate FROM silver.live_bpm_10min')
    const actual = rows.map((r) => `${new Date(r.ws as string).getTime()} ${Number(r.device_id)} ${Number(r.readings)} ${Number(r.min_heartrate)} ${Number(r.max_heartrate)} ${Number(r.avg_heartrate).toFixed(6)}`).sort()
    expect(actual).toEqual(expected)
    expect(rows.length).toBeGreaterThan(10)
  })

  it('reports the watermark, event-time range and window state of each run', () => {
    let max: number | null = null
    for (const [run, files] of RUNS.entries()) {
      const flow = liveRuns[run]!.flows.find((f) => f.target === 'silver.live_bpm_10min')!
      const valid = files.flatMap(recordsOf).filter((r) => !isMalformed(r)).map((r) => r.eventTimeMs)
      expect(flow.eventTime).toMatchObject({ min: Math.min(...valid), max: Math.max(...valid) })
      max = Math.max(max ?? -Infinity, ...valid)
      // The run ends with a no-data batch at the watermark its data moved to.
      expect(flow.eventTime!.watermark).toBe(max - DELAY_MS)
      expect(flow.state!.rowsTotal).toBeGreaterThan(0)
    }
  })

  it('pairs each workout start with its stop within 3 hours among the workouts that were not late', async () => {
    // Runs 0-2 read the workouts of data set 1 (all in run 0's batch: no watermark yet); run 3 reads data set 2's with
    // the watermark of set 1 (newest workout event - 10 minutes): set 2's events behind it are late.
    const firstSet = workoutsSeen[0]!
    const all = workoutsSeen.at(-1)!
    const id = (r: Record<string, unknown>) => `${Number(r.user_id)}|${Number(r.workout_id)}|${Number(r.session_id)}|${String(r.action)}|${new Date(r.time as string).getTime()}`
    const remaining = firstSet.map(id)
    const secondSet = all.filter((r) => { const at = remaining.indexOf(id(r)); if (at < 0) return true; remaining.splice(at, 1); return false })
    const watermark = Math.max(...firstSet.map((r) => new Date(r.time as string).getTime())) - DELAY_MS
    const isLate = (r: Record<string, unknown>) => new Date(r.time as string).getTime() <= watermark
    expect(secondSet.length).toBeGreaterThan(0)
    const lateRows = await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, action, time FROM silver.workout_sessions_late').catch(() => [])
    expect(lateRows.map(id).sort()).toEqual(secondSet.filter(isLate).map(id).sort())
    const onTime = [...firstSet, ...secondSet.filter((r) => !isLate(r))]
    const expected: string[] = []
    for (const s of onTime.filter((r) => r.action === 'start')) {
      for (const e of onTime.filter((r) => r.action === 'stop')) {
        const gap = new Date(e.time as string).getTime() - new Date(s.time as string).getTime()
        if (e.user_id === s.user_id && e.workout_id === s.workout_id && e.session_id === s.session_id && gap >= 0 && gap <= 3 * 3600_000) {
          expected.push(`${Number(s.user_id)} ${Number(s.workout_id)} ${Number(s.session_id)} ${new Date(s.time as string).getTime()} ${new Date(e.time as string).getTime()}`)
        }
      }
    }
    const rows = await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, start_time, end_time FROM silver.workout_sessions')
    expect(rows.map((r) => `${Number(r.user_id)} ${Number(r.workout_id)} ${Number(r.session_id)} ${new Date(r.start_time as string).getTime()} ${new Date(r.end_time as string).getTime()}`).sort()).toEqual(expected.sort())
    expect(expected.length).toBeGreaterThan(0)
  })
  it('adds the device of each session\'s user like a batch join of the sessions with silver.users', async () => {
    const users = new Map((await queryRows(lakehouse, 'SELECT user_id, device_id FROM silver.users')).map((u) => [Number(u.user_id), Number(u.device_id)]))
    const sessions = await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, start_time, end_time FROM silver.workout_sessions')
    const line = (r: Record<string, unknown>, device: unknown) => `${Number(r.user_id)} ${Number(r.workout_id)} ${Number(r.session_id)} ${Number(device)} ${new Date(r.start_time as string).getTime()} ${new Date(r.end_time as string).getTime()}`
    const expected = sessions.filter((s) => users.has(Number(s.user_id))).map((s) => line(s, users.get(Number(s.user_id))))
    const rows = await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, device_id, start_time, end_time FROM silver.workout_session_devices')
    expect(rows.map((r) => line(r, r.device_id)).sort()).toEqual(expected.sort())
    expect(expected.length).toBeGreaterThan(0)
  })

  it('joins each session with its device\'s readings inside [start, end] like a batch query, less what went to _late', async () => {
    const ms = (v: unknown) => new Date(v as string).getTime()
    const sessionKey = (r: Record<string, unknown>) => `${Number(r.user_id)} ${Number(r.workout_id)} ${Number(r.session_id)} ${Number(r.device_id)} ${ms(r.start_time)} ${ms(r.end_time)}`
    const readingKey = (r: Record<string, unknown>) => `${Number(r.device_id)} ${ms(r.time)} ${Number(r.heartrate)}`
    /** Removes one copy per late row: the inputs are at least once, so a copy may be on time and another late. */
    const without = <T,>(rows: T[], keyOf: (r: T) => string, late: string[]): T[] => {
      const pending = new Map<string, number>()
      for (const k of late) pending.set(k, (pending.get(k) ?? 0) + 1)
      return rows.filter((r) => { const n = pending.get(keyOf(r)) ?? 0; if (n === 0) return true; pending.set(keyOf(r), n - 1); return false })
    }
    // The _late table is created by the first late row; with none there is nothing to take away.
    const late = await queryRows(lakehouse, 'SELECT * FROM silver.workout_bpm_live_late')
      .catch((e: unknown) => { if (/silver\.workout_bpm_live_late not found/.test(String(e))) return [] as Record<string, unknown>[]; throw e })
    const sessions = without(await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, device_id, start_time, end_time FROM silver.workout_session_devices'),
      sessionKey, late.filter((r) => r._join_side === 'w').map(sessionKey))
    const readings = without(await queryRows(lakehouse, 'SELECT device_id, time, heartrate FROM silver.heart_rate'),
      readingKey, late.filter((r) => r._join_side === 'h').map(readingKey))
    const expected: string[] = []
    for (const s of sessions) {
      for (const h of readings) {
        if (Number(h.device_id) === Number(s.device_id) && ms(h.time) >= ms(s.start_time) && ms(h.time) <= ms(s.end_time)) expected.push(`${sessionKey(s)} ${ms(h.time)} ${Number(h.heartrate)}`)
      }
    }
    const rows = await queryRows(lakehouse, 'SELECT user_id, workout_id, session_id, device_id, start_time, end_time, time, heartrate FROM silver.workout_bpm_live')
    expect(rows.map((r) => `${sessionKey(r)} ${ms(r.time)} ${Number(r.heartrate)}`).sort()).toEqual(expected.sort())
    expect(expected.length).toBeGreaterThan(0)
  })
})
