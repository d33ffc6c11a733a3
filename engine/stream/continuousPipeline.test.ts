// runContinuousPipeline over the sbit sample on a ManualClock: batch ids, progress rows, drain rules, graceful stop.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import type { Lakehouse } from '../lakehouse/folder'
import { loadPipeline } from '../pipeline/runner'
import { DuckdbSession } from '../sql/duckdbSession'
import { createSampleLakehouse, sampleProducer } from '../../samples/index'
import { dataSetFiles } from '../../samples/dataSets'
import { ManualClock } from './clock'
import { pendingInput, runContinuousPipeline, type ContinuousBatch, type ContinuousPipelineResult, type PipelineFeed } from './continuousPipeline'
import { progressTableRoot } from './progress'

const START = Date.UTC(2026, 2, 1)
const folders: string[] = []
afterAll(async () => {
  for (const f of folders) await rm(f, { recursive: true, force: true })
})

async function emptySbit(): Promise<Lakehouse> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakebench-continuous-'))
  folders.push(dir)
  return createSampleLakehouse(path.join(dir, 'lake'), 'sbit', { dataSets: 0 })
}

async function feedOf(lakehouse: Lakehouse, clock: ManualClock, dataSets: number): Promise<PipelineFeed> {
  const producer = await sampleProducer(lakehouse.root, 'sbit', { dataSets, rate: { filesPerSecond: 2 }, clock })
  const totalUnits = Array.from({ length: dataSets }, (_, i) => dataSetFiles('sbit', i + 1).length).reduce((a, b) => a + b, 0)
  return { producer, totalUnits }
}

/**
 * Moves the clock to the next wake time once every loop is asleep (the trigger loop, plus the producer while it
 * runs), until `work` settles: time passes only between batches, as it would if batches were instant.
 */
async function drive<T>(clock: ManualClock, feed: PipelineFeed, work: Promise<T>): Promise<T> {
  let settled = false
  const done = work.finally(() => { settled = true })
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    const expected = feed.producer.status === 'running' ? 2 : 1
    const wake = clock.nextWakeAt()
    if (!settled && wake !== null && clock.pendingSleeps() >= expected) clock.advance(Math.max(0, wake - clock.now()))
  }
  return done
}

async function progressRows(lakehouse: Lakehouse): Promise<{ batch_id: bigint; num_input_rows: bigint; name: string; progress_json: string }[]> {
  const session = await DuckdbSession.create()
  try {
    const snapshot = await (await DeltaTable.open(progressTableRoot(lakehouse.root), session)).snapshot()
    return (await session.query(`SELECT * FROM (${await scanSql(snapshot, session)}) ORDER BY batch_id`)) as never
  } finally {
    session.close()
  }
}

describe('runContinuousPipeline', () => {
  it('streams a data set on processingTime until drained, then availableNow continues the batch ids and commits nothing', async () => {
    const lakehouse = await emptySbit()
    const clock = new ManualClock(START)
    const pipeline = await loadPipeline(lakehouse, 'sbit')
    const batches: ContinuousBatch[] = []
    const feed = await feedOf(lakehouse, clock, 1)
    const result: ContinuousPipelineResult = await drive(clock, feed, runContinuousPipeline({
      lakehouse, pipeline, trigger: { kind: 'processingTime', intervalMs: 1000 }, feed, untilDrained: true, clock, onBatch: (b) => batches.push(b)
    }))
    await feed.producer.close()
    expect(result.stoppedBy).toBe('drained')
    expect(result.lastStatus).toBe('completed')
    expect(feed.producer.position).toBe(feed.totalUnits)
    expect(batches.length).toBeGreaterThan(1)
    expect(batches.map((b) => b.progress.batchId)).toEqual(batches.map((_, i) => i))
    // Triggers fall on interval boundaries of the clock.
    for (const b of batches) expect(b.progress.timestamp % 1000).toBe(0)
    expect(await pendingInput(lakehouse, pipeline)).toEqual({ files: [], openBatches: 0 })

    const rows = await progressRows(lakehouse)
    expect(rows.map((r) => Number(r.batch_id))).toEqual(batches.map((b) => b.progress.batchId))
    expect(rows.map((r) => Number(r.num_input_rows))).toEqual(batches.map((b) => b.progress.numInputRows))
    // Every row of the data set's landing files was read by exactly one batch.
    const landed = dataSetFiles('sbit', 1).reduce((n, { manifest: { rows: r } }) => n + r.good + r.late + r.duplicate + r.malformed, 0)
    expect(batches.reduce((n, b) => n + b.progress.numInputRows, 0)).toBe(landed)
    expect(JSON.parse(rows.at(-1)!.progress_json)).toMatchObject({ name: 'sbit', id: 'pipeline/sbit', batchId: batches.at(-1)!.progress.batchId })

    const again: ContinuousBatch[] = []
    const second = await runContinuousPipeline({ lakehouse, pipeline, trigger: { kind: 'availableNow' }, clock, onBatch: (b) => again.push(b) })
    expect(second).toEqual({ batches: 1, stoppedBy: 'drained', lastStatus: 'completed' })
    expect(again[0]!.progress.batchId).toBe(batches.length)
    expect(again[0]!.progress.numInputRows).toBe(0)
    expect(again[0]!.progress.sink.numOutputRows).toBe(0)
  }, 120_000)

  it('stops gracefully on its signal after the running batch, with the producer stopped mid-way', async () => {
    const lakehouse = await emptySbit()
    const clock = new ManualClock(START)
    const pipeline = await loadPipeline(lakehouse, 'sbit')
    const feed = await feedOf(lakehouse, clock, 2)
    const stop = new AbortController()
    const batches: ContinuousBatch[] = []
    const result = await drive(clock, feed, runContinuousPipeline({
      lakehouse, pipeline, trigger: { kind: 'processingTime', intervalMs: 1000 }, feed, clock, signal: stop.signal,
      onBatch: (b) => {
        batches.push(b)
        if (batches.length === 2) stop.abort()
      }
    }))
    expect(result).toMatchObject({ batches: 2, stoppedBy: 'signal' })
    expect(feed.producer.status).toBe('stopped')
    const position = feed.producer.position
    expect(position).toBeLessThan(feed.totalUnits)
    await feed.producer.close()

    // once: produces what remains and runs exactly one batch over all of it.
    const rest = await feedOf(lakehouse, clock, 2)
    expect(rest.producer.position).toBe(position)
    const once = await runContinuousPipeline({ lakehouse, pipeline, trigger: { kind: 'once' }, feed: rest, clock })
    await rest.producer.close()
    expect(once).toEqual({ batches: 1, stoppedBy: 'once', lastStatus: 'completed' })
    expect(rest.producer.position).toBe(rest.totalUnits)
    expect(await pendingInput(lakehouse, pipeline)).toEqual({ files: [], openBatches: 0 })
    expect((await progressRows(lakehouse)).map((r) => Number(r.batch_id))).toEqual([0, 1, 2])
  }, 120_000)
})
