// S7, query changes between restarts (Spark guide, "Recovery Semantics after Changes in a Streaming Query"): another source
// folder, another source schema, another event-time column or another stateful operation is refused, naming the change;
// nothing is written after the refusal. A changed per-trigger limit is allowed, as in Spark.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import { WindowAggregation } from './eventTime/windowAggregation'
import { eventTimeStep } from './eventTimeStep'
import { FileStreamSource } from './sources/fileStreamSource'
import { StreamingQuery, type StreamingQueryOptions } from './streamingQuery'
import { EVENT_SCHEMA, eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { BASE_MS, produce, tableRows, windowedCountQuery, wordRound } from './testing/windowedTopicQuery'
import { Topic } from './topic/topic'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const options = (root: string, over: Partial<StreamingQueryOptions> = {}): StreamingQueryOptions => ({
  name: 'q', lakehouseRoot: root, sources: [eventsSource(root)], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
  trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port, recordProgress: false, ...over
})

async function run(opts: StreamingQueryOptions): Promise<void> {
  const q = new StreamingQuery(opts)
  await q.start()
  expect(await q.awaitTermination()).toBe('completed')
}

/** The refusal a restart with `opts` meets at start, or at its first batch (state restore), as {code, message}. */
async function refusal(opts: StreamingQueryOptions): Promise<{ code: string; message: string }> {
  const q = new StreamingQuery(opts)
  const failed = await q.start().then(() => q.awaitTermination()).then((status) => new Error(`restart was not refused: ${status}`), (e: unknown) => e)
  return failed as { code: string; message: string }
}

/** A lakehouse whose file query committed two files; a third has landed since. */
async function committedTwo(): Promise<string> {
  const root = await streamTestLakehouse()
  await landEvents(root, 'a.json', [1, 2])
  await landEvents(root, 'b.json', [3])
  await run(options(root))
  await landEvents(root, 'c.json', [4])
  return root
}

async function checkpointFiles(root: string, name = 'q'): Promise<string[]> {
  const dir = path.join(root, 'checkpoints', name)
  return ((await fs.readdir(dir, { recursive: true })) as string[]).sort()
}

describe('query changes between restarts (S7)', () => {
  it('another source folder: QUERY_CHANGED naming both folders; the sink and checkpoint are untouched', async () => {
    const root = await committedTwo()
    const before = await checkpointFiles(root)
    await fs.mkdir(path.join(root, 'landing', 'other'), { recursive: true })
    const moved = new FileStreamSource({ lakehouseRoot: root, path: 'landing/other', format: 'json', schema: EVENT_SCHEMA, settleMs: 0 })
    const e = await refusal(options(root, { sources: [moved] }))
    expect(e.code).toBe('QUERY_CHANGED')
    expect(e.message).toContain('sources changed from [files:landing/events] to [files:landing/other]')
    expect(await checkpointFiles(root)).toEqual(before)
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3])
  })

  it('another source schema or format: QUERY_CHANGED naming the old and new schema', async () => {
    const root = await committedTwo()
    const retyped = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'json', settleMs: 0, schema: [{ name: 'id', type: 'VARCHAR' }, { name: 'payload', type: 'VARCHAR' }] })
    const e1 = await refusal(options(root, { sources: [retyped] }))
    expect(e1.code).toBe('QUERY_CHANGED')
    expect(e1.message).toContain('source files:landing/events changed from (json; id BIGINT, payload VARCHAR) to (json; id VARCHAR, payload VARCHAR)')
    const csv = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'csv', settleMs: 0, schema: EVENT_SCHEMA })
    const e2 = await refusal(options(root, { sources: [csv] }))
    expect(e2.code).toBe('QUERY_CHANGED')
    expect(e2.message).toContain('to (csv; id BIGINT, payload VARCHAR)')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3])
  })

  it('a changed maxFilesPerTrigger is not a query change: the restart resumes where the checkpoint ended', async () => {
    const root = await committedTwo()
    await run(options(root, { sources: [eventsSource(root, 1)] }))
    expect(await sinkIds(port, root, 'silver.events')).toEqual([1, 2, 3, 4])
  })

  it('another event-time column or another window: refused, naming the change, with no window written twice', async () => {
    const root = await streamTestLakehouse()
    const topic = await Topic.create(root, 'words', 2)
    for (let r = 0; r < 6; r++) await produce(topic, wordRound(3, r, 2))
    const clock = new ManualClock(BASE_MS)
    await run(windowedCountQuery(root, port, { trigger: { kind: 'availableNow' }, clock, maxOffsetsPerTrigger: 6 }))
    const written = await tableRows(port, root, 'gold.word_counts', ['word', 'n'])
    expect(written.length).toBeGreaterThan(0)
    for (let r = 6; r < 9; r++) await produce(topic, wordRound(3, r, 2))

    const base = windowedCountQuery(root, port, { trigger: { kind: 'availableNow' }, clock, maxOffsetsPerTrigger: 6 })
    const e1 = await refusal({ ...base, eventTime: { column: 'arrived_at', delayMs: 30_000 } })
    expect(e1.code).toBe('QUERY_CHANGED')
    expect(e1.message).toContain('event-time column changed from ts to arrived_at')

    // Two-minute windows instead of one: the saved state belongs to another operator configuration.
    const rewindowed: StreamingQueryOptions = {
      ...base,
      statefulStep: eventTimeStep({
        operator: () => new WindowAggregation(port, { id: 'counts', eventTime: 'ts', window: { size: 120_000 }, keys: ['word'], aggregates: [{ fn: 'count', as: 'n' }], outputMode: 'append' })
      })
    }
    const e2 = await refusal(rewindowed)
    expect(e2.code).toBe('STATE_INCOMPATIBLE')
    expect(e2.message).toContain('"sizeMs":60000')
    expect(e2.message).toContain('not windowAggregation {"eventTime":"ts","sizeMs":120000')
    expect(await tableRows(port, root, 'gold.word_counts', ['word', 'n'])).toEqual(written)
  })
})
