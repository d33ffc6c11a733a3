// S8 end to end: a windowed query over many batches keeps at most K batches of offsets, commits and state in its
// checkpoint, and a restart after pruning resumes exactly (the same windows and late rows as one uninterrupted run).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import { StreamingQuery, type StreamingQueryOptions } from './streamingQuery'
import { streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'
import { BASE_MS, produce, tableRows, windowedCountQuery, wordRound } from './testing/windowedTopicQuery'
import { Topic } from './topic/topic'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const ROUNDS = 60
const RETAIN = 10

async function batchFiles(root: string): Promise<{ offsets: number; commits: number; state: number }> {
  const dir = path.join(root, 'checkpoints', 'word_counts')
  const count = async (sub: string) => (await fs.readdir(path.join(dir, sub))).filter((n) => /^\d+$/.test(n)).length
  return { offsets: await count('offsets'), commits: await count('commits'), state: await count('state') }
}

async function drain(opts: StreamingQueryOptions): Promise<number> {
  const q = new StreamingQuery(opts)
  let batches = 0
  q.onProgress(() => batches++)
  await q.start()
  expect(await q.awaitTermination()).toBe('completed')
  return batches
}

/** Lands the first half of the rounds, drains, lands the rest, drains again; returns the lakehouse and batches run. */
async function drainInTwoRuns(retainBatches: number): Promise<{ root: string; batches: number; afterFirstRun: Awaited<ReturnType<typeof batchFiles>> }> {
  const root = await streamTestLakehouse()
  const topic = await Topic.create(root, 'words', 2)
  const clock = new ManualClock(BASE_MS)
  const query = (): StreamingQueryOptions => ({
    ...windowedCountQuery(root, port, { trigger: { kind: 'availableNow' }, clock, maxOffsetsPerTrigger: 4 }), retainBatches, recordProgress: false
  })
  for (let r = 0; r < ROUNDS / 2; r++) await produce(topic, wordRound(11, r, 2))
  let batches = await drain(query())
  const afterFirstRun = await batchFiles(root)
  for (let r = ROUNDS / 2; r < ROUNDS; r++) await produce(topic, wordRound(11, r, 2))
  batches += await drain(query())
  return { root, batches, afterFirstRun }
}

describe('checkpoint retention of a running query (S8)', () => {
  it(`keeps at most ${RETAIN} batches of offsets, commits and state; a restart after pruning equals a run that kept everything`, async () => {
    const reference = await drainInTwoRuns(1000)
    const pruned = await drainInTwoRuns(RETAIN)
    expect(pruned.batches).toBe(reference.batches)
    expect(pruned.batches).toBeGreaterThan(5 * RETAIN)
    // Without retention every batch is still there; with it, at most RETAIN (+1 planned) after each run.
    expect((await batchFiles(reference.root)).offsets).toBe(reference.batches)
    for (const files of [pruned.afterFirstRun, await batchFiles(pruned.root)]) {
      expect(files.offsets).toBeLessThanOrEqual(RETAIN + 1)
      expect(files.commits).toBeLessThanOrEqual(RETAIN + 1)
      expect(files.state).toBeLessThanOrEqual(RETAIN + 1)
    }
    for (const table of ['gold.word_counts', 'gold.word_counts_late']) {
      const columns = table.endsWith('_late') ? ['partition', 'offset', 'word', 'ts', '_lateness_ms', '_watermark'] : ['word', 'window_start', 'window_end', 'n']
      const rows = await tableRows(port, pruned.root, table, columns)
      expect(rows.length, table).toBeGreaterThan(0)
      expect(rows, table).toEqual(await tableRows(port, reference.root, table, columns))
    }
  }, 120_000)
})
