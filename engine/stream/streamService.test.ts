// The stream domain through createEngine on a real sbit sample lakehouse: live producer, a streamed pipeline on a ManualClock, readers.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../api/events'
import type { StreamBatchInfo, StreamStatus } from '../api/streamApi'
import { createEngine, openLiveSampleProducer, type Engine } from '../createEngine'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { createSampleLakehouse } from '../../samples/index'
import { ManualClock } from './clock'
import { progressTableRoot } from './progress'

const START = Date.UTC(2026, 2, 1, 9)

/** A small live pipeline over the sbit live producer's readings: bronze, then 10-minute windows behind a 10-minute watermark. */
const LIVE_PIPELINE: Record<string, string> = {
  'pipelines/bpm_live/pipeline.json': JSON.stringify({ target: 'silver' }),
  'pipelines/bpm_live/01_bronze.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.test_bpm
AS SELECT device_id, CAST(\`time\` AS TIMESTAMP) AS event_time, heartrate FROM STREAM read_files('landing/live_bpm', format => 'json');
`,
  'pipelines/bpm_live/02_gold.sql': `
CREATE OR REFRESH STREAMING TABLE gold.test_bpm_10min
AS SELECT window(event_time, '10 minutes') AS window, device_id, count(*) AS readings, avg(heartrate) AS avg_bpm
FROM STREAM(bronze.test_bpm) WATERMARK event_time DELAY OF INTERVAL 10 MINUTES AS r
GROUP BY window(event_time, '10 minutes'), device_id;
`
}

let dir: string
let lakehouseDir: string
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-stream-service-'))
  lakehouseDir = path.join(dir, 'sbit')
  await createSampleLakehouse(lakehouseDir, 'sbit', { dataSets: 0 })
  for (const [file, text] of Object.entries(LIVE_PIPELINE)) {
    await fs.mkdir(path.dirname(path.join(lakehouseDir, file)), { recursive: true })
    await fs.writeFile(path.join(lakehouseDir, file), text)
  }
}, 120_000)
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

/** Events of one engine, with a way to wait for the next one that matches. */
function recorder(engine: Engine) {
  const events: EngineEvent[] = []
  const waiters: { test: (e: EngineEvent) => boolean; resolve: (e: EngineEvent) => void }[] = []
  engine.onEvent((e) => {
    events.push(e)
    for (const w of waiters.splice(0)) (w.test(e) ? w.resolve(e) : waiters.push(w))
  })
  const next = <T extends EngineEvent>(test: (e: EngineEvent) => boolean): Promise<T> => new Promise((resolve) => waiters.push({ test, resolve: resolve as (e: EngineEvent) => void }))
  return { events, next }
}

/** Moves the clock to the next wake time whenever someone sleeps on it, until `work` settles. */
async function advanceUntil<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let settled = false
  const done = work.finally(() => { settled = true })
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    const wake = clock.nextWakeAt()
    if (!settled && wake !== null) clock.advance(Math.max(0, wake - clock.now()))
  }
  return done
}

const isBatch = (id: number) => (e: EngineEvent) => e.type === 'stream.progress' && e.batch.batchId === id

async function landedRecords(root: string): Promise<{ files: string[]; records: number }> {
  const folder = path.join(root, 'landing', 'live_bpm')
  const files = (await fs.readdir(folder)).filter((f) => !f.startsWith('.')).sort()
  let records = 0
  for (const f of files) records += (await fs.readFile(path.join(folder, f), 'utf8')).trim().split('\n').length
  return { files: files.map((f) => `landing/live_bpm/${f}`), records }
}

describe('stream service', () => {
  it('streams a pipeline over the live producer: progress events and rows, late rows, checkpoints, graceful stop', async () => {
    const clock = new ManualClock(START)
    const engine = await createEngine({ lakehouseDir, liveProducer: openLiveSampleProducer, streamClock: clock })
    const { events, next } = recorder(engine)
    try {
      const status = await engine.stream.status()
      expect(status.pipelines).toEqual(expect.arrayContaining(['bpm_live', 'sbit']))
      expect(status.query).toBeNull()
      expect(status.producer).toMatchObject({ status: 'idle', filesProduced: 0, recordsProduced: 0, lastEventTime: null })
      expect(status.producer!.description).toMatch(/live_bpm/)

      await expect(engine.stream.configureProducer({ late: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', detail: { path: 'late' } })
      const configured = await engine.stream.configureProducer({ recordsPerFile: 40, late: 0.1, malformed: 0, filesPerSecond: 2 })
      expect(configured.settings).toMatchObject({ recordsPerFile: 40, late: 0.1, malformed: 0, filesPerSecond: 2 })
      for (let i = 0; i < 8; i++) await engine.stream.controlProducer({ action: 'step' })

      const before = await landedRecords(lakehouseDir)
      expect(before.files).toHaveLength(8)
      const firstBatch = next<Extract<EngineEvent, { type: 'stream.progress' }>>(isBatch(0))
      const query = await engine.stream.start({ pipeline: 'bpm_live', trigger: { kind: 'processingTime', intervalMs: 1000 } })
      expect(query).toMatchObject({ pipeline: 'bpm_live', status: 'running', batches: 0, startedAt: START })
      await expect(engine.stream.start({ pipeline: 'sbit', trigger: { kind: 'once' } })).rejects.toMatchObject({ code: 'STREAM_RUNNING' })
      const batch0 = (await firstBatch).batch
      expect(batch0).toMatchObject({ id: 'pipeline/bpm_live', runId: query.runId, batchId: 0, numInputRows: before.records, status: 'completed' })
      // 8 files of 40 readings and their duplicates, event time moving one second per reading.
      expect(before.records).toBeGreaterThanOrEqual(320)
      expect((await engine.stream.status()).producer).toMatchObject({ filesProduced: 8, recordsProduced: before.records })

      // The producer runs on the same clock, independently of the query: two files a second, a batch per second.
      await engine.stream.controlProducer({ action: 'start' })
      await advanceUntil(clock, next(isBatch(3)))
      const paused = await engine.stream.controlProducer({ action: 'pause' })
      expect(paused.status).toBe('paused')
      // One file more by hand; batches go on until they have read every record landed.
      await engine.stream.controlProducer({ action: 'step' })
      const target = (await landedRecords(lakehouseDir)).records
      const inputSoFar = () => events.reduce((n, e) => n + (e.type === 'stream.progress' ? e.batch.numInputRows : 0), 0)
      await advanceUntil<unknown>(clock, inputSoFar() >= target ? Promise.resolve() : next(() => inputSoFar() >= target))
      const stopped = await engine.stream.stop({ runId: query.runId })
      expect(stopped).toMatchObject({ status: 'stopped', runId: query.runId })
      expect(stopped.batches).toBeGreaterThanOrEqual(5)
      // Stopping the query left the producer alone.
      expect((await engine.stream.status()).producer!.status).toBe('paused')

      const landed = await landedRecords(lakehouseDir)
      const progress = await engine.stream.progress({ pipeline: 'bpm_live' })
      expect(progress.map((b) => b.batchId)).toEqual(progress.map((_, i) => i))
      const streamed = events.filter((e): e is Extract<EngineEvent, { type: 'stream.progress' }> => e.type === 'stream.progress').map((e) => e.batch)
      // The event also carries how long committing the row took, which the row itself cannot hold.
      const withoutCommitTime = (b: StreamBatchInfo) => ({ ...b, durationMs: { ...b.durationMs, commitOffsets: 0 } })
      expect(progress).toEqual(streamed.map(withoutCommitTime))
      expect(progress.reduce((n, b) => n + b.numInputRows, 0)).toBe(landed.records)
      expect(await engine.stream.progress({ pipeline: 'bpm_live', limit: 2 })).toEqual(progress.slice(-2))
      expect(await progressRowCount(lakehouseDir)).toBe(progress.length)
      expect(events.some((e) => e.type === 'stream.status' && e.status.query?.status === 'stopped')).toBe(true)
      expect(events.some((e) => e.type === 'tables.changed')).toBe(true)

      // Checkpoints: bronze read every landed file exactly once, the batches as on disk.
      const checkpoints = await engine.stream.checkpoint({ pipeline: 'bpm_live' })
      const bronze = checkpoints.find((c) => c.target === 'bronze.test_bpm')!
      expect(bronze.path).toBe('checkpoints/bpm_live/bronze.test_bpm')
      expect(bronze.batches.flatMap((b) => b.files).sort()).toEqual(landed.files)
      const onDisk = (await fs.readdir(path.join(lakehouseDir, bronze.path, 'offsets'))).map((f) => Number(f.replace('.json', ''))).sort((a, b) => b - a)
      expect(bronze.batches.map((b) => b.batchId)).toEqual(onDisk)
      expect(bronze.batches.every((b) => b.committed)).toBe(true)
      const gold = checkpoints.find((c) => c.target === 'gold.test_bpm_10min')!
      expect(gold.batches.map((b) => b.deltaRanges.length > 0)).toContain(true)
      expect(gold.batches[0]!.watermark).toEqual(expect.any(Number))
      expect((await engine.stream.checkpoint({ pipeline: 'bpm_live', limit: 1 })).every((c) => c.batches.length <= 1)).toBe(true)

      // Late rows: readings 30+ minutes behind went to gold.test_bpm_10min_late, each behind the watermark it met.
      const late = await engine.stream.lateRows({ pipeline: 'bpm_live' })
      expect(late.length).toBeGreaterThan(0)
      for (const row of late) {
        expect(row).toMatchObject({ table: 'gold.test_bpm_10min_late', target: 'gold.test_bpm_10min' })
        expect(row.eventTime).toBeLessThanOrEqual(row.watermark)
        expect(row.latenessMs).toBe(row.watermark - row.eventTime)
        expect(typeof row.row.device_id).toBe('number')
      }
      const total = await lateTableRows(lakehouseDir)
      expect(late.length).toBe(Math.min(200, total))
      const all = await engine.stream.lateRows({ pipeline: 'bpm_live', limit: 10_000 })
      expect(all.length).toBe(total)
      // Newest first: batch ids never increase down the list.
      expect(all.map((r) => r.batchId ?? -1)).toEqual([...all.map((r) => r.batchId ?? -1)].sort((a, b) => b - a))
    } finally {
      await engine.close()
    }
  }, 240_000)

  it('refuses a second engine on the same pipeline with CHECKPOINT_LOCKED, and a lakehouse change stops everything', async () => {
    const clock = new ManualClock(START + 3_600_000)
    const first = await createEngine({ lakehouseDir, liveProducer: openLiveSampleProducer, streamClock: clock })
    const second = await createEngine({ lakehouseDir, streamClock: clock })
    try {
      const { next } = recorder(first)
      const running = next((e) => e.type === 'stream.progress')
      const query = await first.stream.start({ pipeline: 'bpm_live', trigger: { kind: 'processingTime', intervalMs: 60_000 } })
      await expect(second.stream.start({ pipeline: 'bpm_live', trigger: { kind: 'once' } })).rejects.toMatchObject({
        code: 'CHECKPOINT_LOCKED', detail: { pid: process.pid }
      })
      await expect(second.stream.controlProducer({ action: 'step' })).rejects.toMatchObject({ code: 'NO_PRODUCER' })
      await expect(second.stream.stop({ runId: query.runId })).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' })
      await expect(first.stream.start({ pipeline: 'nope', trigger: { kind: 'once' } })).rejects.toMatchObject({ code: 'STREAM_RUNNING' })
      await running

      const other = path.join(dir, 'plain')
      await first.lakehouse.create({ dir: other })
      const status: StreamStatus = await first.stream.status()
      expect(status).toEqual({ producer: null, query: null, pipelines: [] })
      // The first lakehouse's lock is free again: the second engine may stream it now.
      const secondEvents = recorder(second)
      const ended = secondEvents.next((e) => e.type === 'stream.status' && e.status.query?.status === 'stopped')
      const once = await second.stream.start({ pipeline: 'bpm_live', trigger: { kind: 'once' } })
      await ended
      const done = await second.stream.stop({ runId: once.runId })
      expect(done.status).toBe('stopped')
      expect(done.batches).toBe(1)
      await expect(first.stream.start({ pipeline: 'bpm_live', trigger: { kind: 'once' } })).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' })
    } finally {
      await first.close()
      await second.close()
    }
  }, 240_000)
})

async function progressRowCount(root: string): Promise<number> {
  const session = await DuckdbSession.create()
  try {
    const snapshot = await (await DeltaTable.open(progressTableRoot(root), session)).snapshot()
    const [row] = await session.query(`SELECT count(*)::INT AS n FROM (${await scanSql(snapshot, session)}) WHERE id = 'pipeline/bpm_live'`)
    return row!.n as number
  } finally {
    session.close()
  }
}

async function lateTableRows(root: string): Promise<number> {
  const session = await DuckdbSession.create()
  try {
    const snapshot = await (await DeltaTable.open(path.join(root, 'tables', 'gold', 'test_bpm_10min_late'), session)).snapshot()
    const [row] = await session.query(`SELECT count(*)::INT AS n FROM (${await scanSql(snapshot, session)})`)
    return row!.n as number
  } finally {
    session.close()
  }
}
