// Trigger semantics, stop/cancel and progress of StreamingQuery over a real landing folder, real DuckDB and a ManualClock.
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import type { BatchProgress } from './progress'
import { progressTableRoot } from './progress'
import { StreamingQuery, startStreamingQuery, type StreamingQueryOptions } from './streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, sortedIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

function options(root: string, over: Partial<StreamingQueryOptions> = {}, maxFiles?: number): StreamingQueryOptions {
  return {
    name: 'events_to_silver', lakehouseRoot: root, sources: [eventsSource(root, maxFiles)], transform: eventsTransform,
    sink: { table: 'silver.events', mode: 'append' }, trigger: { kind: 'availableNow' }, clock: new ManualClock(1_000_000), session: port,
    recordProgress: false, ...over
  }
}

async function runToEnd(opts: StreamingQueryOptions): Promise<BatchProgress[]> {
  const q = new StreamingQuery(opts)
  const seen: BatchProgress[] = []
  q.onProgress((p) => seen.push(p))
  await q.start()
  expect(await q.awaitTermination()).toBe('completed')
  return seen
}

describe('StreamingQuery triggers', () => {
  it('availableNow drains what is there at start in as many batches as maxFilesPerTrigger needs, then stops', async () => {
    const root = await streamTestLakehouse()
    for (let f = 0; f < 5; f++) await landEvents(root, `f${f}.json`, [f * 10, f * 10 + 1])
    const batches = await runToEnd(options(root, {}, 2))
    expect(batches.map((b) => b.batchId)).toEqual([0, 1, 2])
    expect(batches.map((b) => b.numInputRows)).toEqual([4, 4, 2])
    expect(await sinkIds(port, root, 'silver.events')).toEqual(sortedIds([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]))
    // A second run finds nothing new: no batch, same table.
    expect(await runToEnd(options(root, {}, 2))).toEqual([])
    await landEvents(root, 'f5.json', [50])
    expect((await runToEnd(options(root, {}, 2))).map((b) => b.batchId)).toEqual([3])
    expect(await sinkIds(port, root, 'silver.events')).toHaveLength(11)
  })

  it('once runs exactly one batch (honouring the limit) and stops', async () => {
    const root = await streamTestLakehouse()
    for (let f = 0; f < 3; f++) await landEvents(root, `f${f}.json`, [f])
    const batches = await runToEnd(options(root, { trigger: { kind: 'once' } }, 2))
    expect(batches.map((b) => [b.batchId, b.numInputRows])).toEqual([[0, 2]])
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1])
  })

  it('processingTime runs a batch per interval of the clock when data arrived, and stop() ends it gracefully', async () => {
    const root = await streamTestLakehouse()
    const clock = new ManualClock(0)
    const q = await startStreamingQuery(options(root, { trigger: { kind: 'processingTime', intervalMs: 1000 }, clock }))
    const seen: BatchProgress[] = []
    q.onProgress((p) => seen.push(p))
    await q.idle()
    expect(seen).toEqual([])
    await landEvents(root, 'a.json', [1, 2])
    await q.idle()
    expect(seen).toHaveLength(0)
    clock.advance(999)
    await q.idle()
    expect(seen).toHaveLength(0)
    clock.advance(1)
    await clock.whenSleeping()
    await q.idle()
    expect(seen.map((p) => [p.batchId, p.timestamp, p.numInputRows])).toEqual([[0, 1000, 2]])
    await landEvents(root, 'b.json', [3])
    clock.advance(1000)
    await clock.whenSleeping()
    await q.idle()
    expect(seen.map((p) => [p.batchId, p.timestamp])).toEqual([[0, 1000], [1, 2000]])
    expect(seen[1]!.inputRowsPerSecond).toBe(1)
    await q.stop()
    expect(await q.awaitTermination()).toBe('stopped')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3])
  })

  it('processingTime: a batch that overruns its interval is followed at once, then the schedule realigns to the interval', async () => {
    const root = await streamTestLakehouse()
    const clock = new ManualClock(0)
    // The first batch "takes" 2500 ms: the phase hook moves the clock while the batch runs.
    let slow = true
    const q = await startStreamingQuery(options(root, {
      trigger: { kind: 'processingTime', intervalMs: 1000 }, clock,
      onPhase: (phase) => {
        if (phase === 'loaded' && slow) {
          slow = false
          clock.advance(2500)
        }
      }
    }, 1))
    const seen: BatchProgress[] = []
    q.onProgress((p) => seen.push(p))
    await q.idle()
    await landEvents(root, 'a.json', [1])
    await landEvents(root, 'b.json', [2])
    await landEvents(root, 'c.json', [3])
    clock.advance(1000)
    await clock.whenSleeping()
    await q.idle()
    // Batch 0 triggered at 1000 and ended at 3500: batch 1 started at once (3500), batch 2 at the next boundary, 4000.
    expect(seen.map((p) => p.timestamp)).toEqual([1000, 3500])
    clock.advance(500)
    await clock.whenSleeping()
    await q.idle()
    expect(seen.map((p) => p.timestamp)).toEqual([1000, 3500, 4000])
    await q.stop()
  })

  it('cancel() interrupts a batch; the next start re-runs it with the same offsets and writes each row once', async () => {
    const root = await streamTestLakehouse()
    await landEvents(root, 'a.json', [1, 2, 3])
    let q: StreamingQuery | null = null
    q = new StreamingQuery(options(root, { onPhase: (phase) => (phase === 'sinkCommitted' ? void q!.cancel() : undefined) }))
    await q.start()
    expect(await q.awaitTermination()).toBe('cancelled')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3])
    await landEvents(root, 'b.json', [4])
    const batches = await runToEnd(options(root))
    // Batch 0 re-ran (its sink write skipped by the txn), then batch 1 took the new file.
    expect(batches.map((b) => [b.batchId, b.numInputRows])).toEqual([[0, 3], [1, 1]])
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3, 4])
  })

  it('progress goes to listeners and to system.stream_progress, with event-time min/max/watermark from the column', async () => {
    const root = await streamTestLakehouse()
    await landEvents(root, 'a.json', [5000, 9000])
    await landEvents(root, 'b.json', [20000])
    const seen = await runToEnd(options(root, {
      recordProgress: true, eventTime: { column: 'id', delayMs: 1000 },
      transform: (r) => `SELECT id, payload FROM ${r[0]}`
    }, 1))
    expect(seen.map((p) => p.eventTime)).toEqual([{ watermark: null, min: 5000, max: 9000 }, { watermark: 8000, min: 20000, max: 20000 }])
    expect(seen[0]!.sources[0]!.description).toBe('files:landing/events')
    expect(seen[0]!.sink).toEqual({ description: 'DeltaSink[silver.events]', numOutputRows: 2 })
    const snapshot = await (await DeltaTable.open(progressTableRoot(root), port)).snapshot()
    const rows = await port.query(`SELECT name, batch_id, num_input_rows, epoch_ms(watermark) AS wm, progress_json FROM (${await scanSql(snapshot, port)}) ORDER BY batch_id`)
    expect(rows.map((r) => [r.name, Number(r.batch_id), Number(r.num_input_rows), r.wm === null ? null : Number(r.wm)])).toEqual([['events_to_silver', 0, 2, null], ['events_to_silver', 1, 1, 8000]])
    expect(JSON.parse(String(rows[1]!.progress_json)).eventTime.max).toBe(20000)
  })
})
