// Windowed streaming tables over watermarked landing files, run incrementally: emission, late rows, state in the checkpoint.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../lakehouse/folder'
import { runPipeline, type PipelineRunResult } from '../runner'
import { createTestLakehouse, FIXED_NOW, fixedClock, queryRows, removeTestLakehouses, writeFiles } from '../run/testPipelineLakehouse'
import {
  closingFile, DELAY_MS, fileOf, HR_PIPELINE, MINUTE, readingsOf, sessionReference, splitByWatermark, tumblingReference, type Reading
} from './eventTimeTestPipeline'

const iso = (v: unknown): string => new Date(v as string).toISOString()
const FILES = 4

async function run(lakehouse: Lakehouse): Promise<PipelineRunResult> {
  const result = await runPipeline(lakehouse, 'hr', { clock: fixedClock })
  expect(result.status, result.error).toBe('completed')
  return result
}

async function windows(lakehouse: Lakehouse): Promise<Record<string, unknown>[]> {
  return queryRows(lakehouse, 'SELECT `window`.start AS ws, `window`.end AS we, device, readings, avg_bpm, min_bpm, max_bpm FROM gold.hr_10min')
}

afterAll(removeTestLakehouses)

describe('windowed streaming tables across incremental runs', () => {
  let lakehouse: Lakehouse
  const batches: Reading[][] = []
  const afterRun: { windows: Record<string, unknown>[]; result: PipelineRunResult }[] = []

  beforeAll(async () => {
    lakehouse = await createTestLakehouse(HR_PIPELINE)
    for (let i = 0; i < FILES; i++) {
      await writeFiles(lakehouse, fileOf(i))
      batches.push(readingsOf(i))
      const result = await run(lakehouse)
      afterRun.push({ windows: await windows(lakehouse), result })
    }
    await writeFiles(lakehouse, closingFile())
    batches.push([{ device: 'z', ts: Date.UTC(2026, 0, 16, 10, 0, 0), bpm: 1 }])
    const result = await run(lakehouse)
    afterRun.push({ windows: await windows(lakehouse), result })
  }, 120_000)

  it('emits a window only once the watermark has passed its end', () => {
    let maxSeen = -Infinity
    for (const [k, batch] of batches.slice(0, FILES).entries()) {
      for (const r of batch) maxSeen = Math.max(maxSeen, r.ts)
      const watermarkAfterRun = maxSeen - DELAY_MS
      for (const w of afterRun[k]!.windows) expect(new Date(w.we as string).getTime()).toBeLessThanOrEqual(watermarkAfterRun)
    }
    // The window holding the newest reading of each run is still open after it.
    for (const [k, batch] of batches.slice(0, FILES).entries()) {
      const newest = batch.reduce((a, b) => (b.ts > a.ts ? b : a))
      const start = Math.floor(newest.ts / (10 * MINUTE)) * 10 * MINUTE
      expect(afterRun[k]!.windows.some((w) => new Date(w.ws as string).getTime() === start && w.device === newest.device)).toBe(false)
    }
    expect(afterRun[0]!.windows.length).toBeGreaterThan(0)
  })

  it('emits each window exactly once and never changes an emitted one', () => {
    const final = afterRun.at(-1)!.windows
    const keys = final.map((w) => `${iso(w.ws)} ${String(w.device)}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const { windows: earlier } of afterRun) {
      for (const w of earlier) expect(final).toContainEqual(w)
    }
  })

  it('matches a batch computation over the on-time rows', () => {
    const { onTime } = splitByWatermark(batches)
    const expected = tumblingReference(onTime.filter((r) => r.device !== 'z'))
    const actual = afterRun.at(-1)!.windows.map((w) => `${iso(w.ws)} ${String(w.device)} ${Number(w.readings)} ${Number(w.avg_bpm).toFixed(6)} ${Number(w.min_bpm)} ${Number(w.max_bpm)}`).sort()
    expect(actual).toEqual(expected)
    for (const w of afterRun.at(-1)!.windows) expect(new Date(w.we as string).getTime() - new Date(w.ws as string).getTime()).toBe(10 * MINUTE)
  })

  it('writes late rows to <table>_late with their lateness and the watermark, and reports them', async () => {
    const { late } = splitByWatermark(batches)
    expect(late.length).toBeGreaterThan(0)
    const rows = await queryRows(lakehouse, 'SELECT device, ts, bpm, _lateness_ms, _watermark FROM gold.hr_10min_late')
    const actual = rows.map((r) => `${String(r.device)} ${iso(r.ts)} ${Number(r.bpm)} ${Number(r._lateness_ms)} ${iso(r._watermark)}`).sort()
    expect(actual).toEqual(late.map((r) => `${r.device} ${new Date(r.ts).toISOString()} ${r.bpm} ${r.watermark - r.ts} ${new Date(r.watermark).toISOString()}`).sort())
    const reported = afterRun.slice(0, FILES).reduce((n, a) => n + (a.result.flows.find((f) => f.flow === 'gold.hr_10min')!.rowsLate ?? 0), 0)
    expect(reported).toBe(late.length)
  })

  it('reports each run\'s watermark, the event-time range it read and the window state it keeps', () => {
    let maxBefore: number | null = null
    for (const [k, batch] of batches.entries()) {
      const flow = afterRun[k]!.result.flows.find((f) => f.flow === 'gold.hr_10min')!
      const times = batch.map((r) => r.ts)
      const maxAfter = Math.max(maxBefore ?? -Infinity, ...times)
      expect(flow.eventTime).toMatchObject({ min: Math.min(...times), max: Math.max(...times) })
      // The data batch runs with the watermark of the earlier runs; a no-data batch then runs with the one it moved to.
      expect([maxBefore === null ? null : maxBefore - DELAY_MS, maxAfter - DELAY_MS]).toContain(flow.eventTime!.watermark)
      expect(flow.state!.rowsUpdated).toBeGreaterThan(0)
      maxBefore = maxAfter
    }
    // After the closing reading only its own window is open.
    expect(afterRun.at(-1)!.result.flows.find((f) => f.flow === 'gold.hr_10min')!.state!.rowsTotal).toBe(1)
  })

  it('records the flow batch that read each late row and when it was processed', async () => {
    const rows = await queryRows(lakehouse, 'SELECT _batch_id, _source_batch_id, _processed_at, _watermark FROM gold.hr_10min_late')
    const batchIds = new Set(rows.map((r) => Number(r._batch_id)))
    const dir = path.join(lakehouse.root, 'checkpoints', 'hr', 'gold.hr_10min', 'offsets')
    for (const id of batchIds) await fs.access(path.join(dir, `${id}.json`))
    for (const r of rows) {
      expect(new Date(r._processed_at as string).getTime()).toBe(FIXED_NOW)
      expect(Number(r._source_batch_id)).toBeGreaterThanOrEqual(0)
    }
    // Rows read by the same batch share its watermark.
    const byBatch = new Map<number, Set<string>>()
    for (const r of rows) byBatch.set(Number(r._batch_id), (byBatch.get(Number(r._batch_id)) ?? new Set()).add(iso(r._watermark)))
    for (const marks of byBatch.values()) expect(marks.size).toBe(1)
  })

  it('closes sessions per device the same way a batch sessionization of the on-time rows does', async () => {
    const { onTime } = splitByWatermark(batches)
    const rows = await queryRows(lakehouse, 'SELECT device, session.start AS s, session.end AS e, readings, total_bpm FROM gold.hr_sessions')
    const actual = rows.map((r) => `${String(r.device)} ${iso(r.s)} ${iso(r.e)} ${Number(r.readings)} ${Number(r.total_bpm)}`).sort()
    expect(actual).toEqual(sessionReference(onTime.filter((r) => r.device !== 'z'), 4 * MINUTE))
    expect((await queryRows(lakehouse, 'SELECT count(*) AS n FROM gold.hr_sessions_late'))[0]!.n).toBe(splitByWatermark(batches).late.length)
  })

  it('keeps operator state and the watermark in the flow checkpoint, before each commit', async () => {
    const dir = path.join(lakehouse.root, 'checkpoints', 'hr', 'gold.hr_10min')
    const commits = (await fs.readdir(path.join(dir, 'commits'))).map((f) => Number(f.replace('.json', '')))
    for (const id of commits) {
      const saved = JSON.parse(await fs.readFile(path.join(dir, 'state', String(id), 'watermark.json'), 'utf8')) as { batchId: number; tracker: { watermarkMs: number | null } }
      expect(saved.batchId).toBe(id)
      await fs.access(path.join(dir, 'state', String(id), 'aggregate', 'operator.json'))
    }
    const last = Math.max(...commits)
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'state', String(last), 'watermark.json'), 'utf8')) as { tracker: { watermarkMs: number } }
    expect(saved.tracker.watermarkMs).toBe(Date.UTC(2026, 0, 16, 10, 0, 0) - DELAY_MS)
  })

  it('runs nothing when no data arrived and the watermark did not move', async () => {
    const before = await windows(lakehouse)
    const again = await run(lakehouse)
    expect(again.flows.find((f) => f.flow === 'gold.hr_10min')!.status).toBe('no_new_data')
    expect(await windows(lakehouse)).toEqual(before)
  })

  it('recomputes from scratch on a full refresh, with the same windows and late rows', async () => {
    const before = (await windows(lakehouse)).map((w) => JSON.stringify(w)).sort()
    const refreshed = await runPipeline(lakehouse, 'hr', { clock: fixedClock, fullRefresh: ['gold.hr_10min'] })
    expect(refreshed.status, refreshed.error).toBe('completed')
    // All files now arrive in one batch: no watermark yet, so nothing is late and everything before the last reading closes.
    const after = (await windows(lakehouse)).map((w) => JSON.stringify(w))
    expect(after.length).toBeGreaterThanOrEqual(before.length)
    expect((await queryRows(lakehouse, 'SELECT count(*) AS n FROM gold.hr_10min_late'))[0]!.n).toBe(0)
  })
})
