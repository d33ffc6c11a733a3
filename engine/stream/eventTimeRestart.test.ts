// Exactly-once for event-time queries: cancel mid-stream or SIGKILL at each batch phase, restart, and the windows and
// <sink>_late equal an uninterrupted run's (operator state and watermark restored from the last committed batch).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import type { BatchPhase } from './microBatch'
import { StreamingQuery } from './streamingQuery'
import { CRASH_CLOCK_START, CRASH_MAX_OFFSETS } from './testing/eventTimeCrashWorker'
import { streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { BASE_MS, produce, tableRows, windowedCountQuery, wordRound, type WindowedQueryOptions } from './testing/windowedTopicQuery'
import { Topic } from './topic/topic'

const WORKER = path.join(import.meta.dirname, 'testing', 'eventTimeCrashWorker.ts')
const REPO = path.resolve(import.meta.dirname, '../..')
const PHASES: BatchPhase[] = ['offsetsPublishing', 'offsetsWritten', 'loaded', 'sinkCommitted', 'progressWritten', 'commitPublishing', 'committed']

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

/** A lakehouse whose topic holds 10 seeded rounds and a final jump ahead on both partitions (same content every call). */
async function lakehouseWithWords(): Promise<string> {
  const root = await streamTestLakehouse()
  const topic = await Topic.create(root, 'words', 2)
  for (let r = 0; r < 10; r++) await produce(topic, wordRound(7, r, 2))
  const far = BASE_MS + 30 * 20_000
  await produce(topic, [{ partition: 0, event: { word: 'ant', ts: far } }, { partition: 1, event: { word: 'cat', ts: far } }])
  return root
}

/** Runs the windowed query to completion in this process (availableNow, the worker's batch size and clock). */
async function drain(root: string, over: Partial<WindowedQueryOptions> = {}): Promise<StreamingQuery> {
  const q = new StreamingQuery(windowedCountQuery(root, port, {
    trigger: { kind: 'availableNow' }, clock: new ManualClock(CRASH_CLOCK_START), maxOffsetsPerTrigger: CRASH_MAX_OFFSETS, ...over
  }))
  await q.start()
  await q.awaitTermination()
  return q
}

async function outputs(root: string): Promise<{ windows: string[]; late: string[] }> {
  return {
    windows: await tableRows(port, root, 'gold.word_counts', ['word', 'window_start', 'window_end', 'n']),
    late: await tableRows(port, root, 'gold.word_counts_late', ['partition', 'offset', 'word', 'ts', '_lateness_ms', '_watermark'])
  }
}

function runWorker(root: string, crashAt: string): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, root], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STREAM_CRASH_AT: crashAt } })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve({ signal, output })))
}

let reference: { windows: string[]; late: string[] }

describe('event-time query restarts', () => {
  it('an uninterrupted run emits windows and late rows (the reference)', async () => {
    const root = await lakehouseWithWords()
    const q = await drain(root)
    expect(q.status).toBe('completed')
    reference = await outputs(root)
    expect(reference.windows.length).toBeGreaterThan(10)
    expect(reference.late.length).toBeGreaterThan(0)
    // The last batch is the no-data batch that emitted the windows the final jump closed.
    expect(q.recentProgress.at(-1)!.numInputRows).toBe(0)
    expect(q.recentProgress.at(-1)!.sink.numOutputRows).toBeGreaterThan(0)
  })

  it.each([['loaded', 1], ['sinkCommitted', 2], ['progressWritten', 3], ['offsetsWritten', 4]] as const)(
    'cancel at %s of batch %i, then restart: same windows and late rows', async (phase, batch) => {
      const root = await lakehouseWithWords()
      const q: StreamingQuery = new StreamingQuery(windowedCountQuery(root, port, {
        trigger: { kind: 'availableNow' }, clock: new ManualClock(CRASH_CLOCK_START), maxOffsetsPerTrigger: CRASH_MAX_OFFSETS,
        onPhase: (at, id) => { if (at === phase && id === batch) void q.cancel() }
      }))
      await q.start()
      expect(await q.awaitTermination()).toBe('cancelled')
      expect((await drain(root)).status).toBe('completed')
      expect(await outputs(root)).toEqual(reference)
    })

  it.each(PHASES.map((phase, i) => `${phase}:${2 + (i % 3)}`))('SIGKILL at %s, then restart: same windows and late rows', async (crashAt) => {
    const root = await lakehouseWithWords()
    const { signal, output } = await runWorker(root, crashAt)
    expect(signal, `worker should die at ${crashAt}: ${output}`).toBe('SIGKILL')
    expect((await drain(root)).status).toBe('completed')
    expect(await outputs(root)).toEqual(reference)
  }, 120_000)
})
