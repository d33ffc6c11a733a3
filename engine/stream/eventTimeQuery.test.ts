// Event-time queries end to end: a windowed count over a 2-partition topic (append mode, late rows, no-data batches, idle partitions).
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import type { BatchProgress } from './progress'
import type { TopicOffset } from './sources/topicStreamSource'
import { StreamingQuery } from './streamingQuery'
import { streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { allRecords, BASE_MS, DELAY_MS, expectedCounts, parseRecords, produce, tableRows, windowedCountQuery, wordRound } from './testing/windowedTopicQuery'
import { Topic } from './topic/topic'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

/** Lets a processingTime query take the trigger `ms` ahead and go back to sleep. */
async function tick(clock: ManualClock, q: StreamingQuery, ms = 1000): Promise<void> {
  clock.advance(ms)
  await clock.whenSleeping()
  await q.idle()
}

/**
 * Recomputes, from the topic and the batches' progress alone, which rows were late (event time <= the watermark of the
 * batch that read them) and which windows the sink must hold (on-time rows, windows closed by the newest watermark).
 */
async function expectConsistent(root: string, topic: Topic, progress: BatchProgress[]): Promise<{ late: number; windows: number }> {
  const records = parseRecords(await allRecords(topic))
  const expectedLate: string[] = []
  const lateKeys = new Set<string>()
  for (const p of progress) {
    const wm = p.eventTime?.watermark ?? null
    const from = (p.sources[0]!.startOffset as TopicOffset | null)?.partitions ?? {}
    const until = (p.sources[0]!.endOffset as TopicOffset).partitions
    for (const r of records) {
      const inBatch = r.offset >= (from[String(r.partition)] ?? 0) && r.offset < until[String(r.partition)]!
      if (!inBatch || wm === null || r.ts > wm) continue
      lateKeys.add(`${r.partition}/${r.offset}`)
      expectedLate.push(JSON.stringify([String(r.partition), String(r.offset), r.word, String(r.ts), String(wm - r.ts), String(wm)]))
    }
  }
  const late = await tableRows(port, root, 'gold.word_counts_late', ['partition', 'offset', 'word', 'ts', '_lateness_ms', '_watermark'])
  expect(late).toEqual(expectedLate.sort())
  const lastEnd = (progress.at(-1)?.sources[0]!.endOffset as TopicOffset | undefined)?.partitions ?? {}
  const onTime = records.filter((r) => r.offset < (lastEnd[String(r.partition)] ?? 0) && !lateKeys.has(`${r.partition}/${r.offset}`))
  const windows = await tableRows(port, root, 'gold.word_counts', ['word', 'window_start', 'n'])
  expect(windows).toEqual(expectedCounts(onTime, progress.at(-1)?.eventTime?.watermark ?? null))
  return { late: late.length, windows: windows.length }
}

describe('event-time streaming query', () => {
  it('emits each 1-minute window once, when the watermark passes it, equal to a batch count of the on-time rows', async () => {
    const root = await streamTestLakehouse()
    const topic = await Topic.create(root, 'words', 2)
    const clock = new ManualClock(1_000_000)
    const q = new StreamingQuery(windowedCountQuery(root, port, { trigger: { kind: 'processingTime', intervalMs: 1000 }, clock }))
    const progress: BatchProgress[] = []
    q.onProgress((p) => progress.push(p))
    await q.start()
    await q.idle()
    const windowsSoFar: number[] = []
    for (let r = 0; r < 12; r++) {
      await produce(topic, wordRound(1, r, 2))
      await tick(clock, q)
      windowsSoFar.push((await expectConsistent(root, topic, progress)).windows)
    }
    // Windows come out over time, not all at the end, and late rows exist in this stream.
    expect(new Set(windowsSoFar).size).toBeGreaterThan(3)
    // Both partitions jump ahead: the data batch moves the watermark, then a no-data batch emits what it closed.
    const far = BASE_MS + 40 * 20_000
    await produce(topic, [{ partition: 0, event: { word: 'ant', ts: far } }, { partition: 1, event: { word: 'bee', ts: far } }])
    await tick(clock, q)
    const before = await expectConsistent(root, topic, progress)
    await tick(clock, q)
    const noData = progress.at(-1)!
    expect(noData.numInputRows).toBe(0)
    expect(noData.eventTime?.watermark).toBe(far - DELAY_MS)
    expect(noData.sink.numOutputRows).toBeGreaterThan(0)
    const after = await expectConsistent(root, topic, progress)
    expect(after.windows).toBe(before.windows + noData.sink.numOutputRows)
    expect(after.late).toBeGreaterThan(0)
    // Nothing more to emit: further triggers run no batch.
    await tick(clock, q)
    expect(progress.at(-1)).toBe(noData)
    await q.stop()
    // Progress carries the operator's numbers: late rows are the rows it dropped, state holds the open windows.
    expect(progress.map((p) => p.numRowsLate)).toEqual(progress.map((p) => p.stateOperators[0]!.numRowsDroppedByWatermark))
    expect(progress.reduce((a, p) => a + p.numRowsLate, 0)).toBe(after.late)
    expect(noData.stateOperators[0]!.numRowsTotal).toBe(2)
    expect(progress.every((p) => p.eventTime?.min === undefined || p.numInputRows === 0 || p.eventTime.min! <= p.eventTime.max!)).toBe(true)
  })

  it('stops waiting for an idle partition once the idle timeout has passed on the clock', async () => {
    const root = await streamTestLakehouse()
    const topic = await Topic.create(root, 'words', 2)
    const clock = new ManualClock(1_000_000)
    const q = new StreamingQuery(windowedCountQuery(root, port, { trigger: { kind: 'processingTime', intervalMs: 1000 }, clock, idlePartitionTimeoutMs: 5000 }))
    const progress: BatchProgress[] = []
    q.onProgress((p) => progress.push(p))
    await q.start()
    await q.idle()
    await produce(topic, [{ partition: 0, event: { word: 'ant', ts: BASE_MS } }, { partition: 1, event: { word: 'bee', ts: BASE_MS } }])
    await tick(clock, q)
    // From now on only partition 0 gets data, 2 minutes ahead; partition 1 holds the watermark at BASE - 30 s.
    await produce(topic, [{ partition: 0, event: { word: 'ant', ts: BASE_MS + 120_000 } }])
    await tick(clock, q)
    await tick(clock, q, 3000)
    expect(progress.map((p) => p.eventTime?.watermark)).toEqual([null, BASE_MS - DELAY_MS])
    expect(await tableRows(port, root, 'gold.word_counts', ['word', 'window_start', 'n'])).toEqual([])
    // 6 s after partition 1 last had data (> 5 s), it no longer counts: a no-data batch runs with partition 0's watermark.
    await tick(clock, q, 2000)
    await q.stop()
    expect(progress.map((p) => [p.numInputRows, p.eventTime?.watermark])).toEqual([[2, null], [1, BASE_MS - DELAY_MS], [0, BASE_MS + 120_000 - DELAY_MS]])
    expect(await tableRows(port, root, 'gold.word_counts', ['word', 'window_start', 'n'])).toEqual([
      JSON.stringify(['ant', String(BASE_MS), '1']), JSON.stringify(['bee', String(BASE_MS), '1'])
    ])
  })
})
