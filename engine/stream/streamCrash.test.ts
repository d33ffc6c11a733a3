// S2: SIGKILL of a child process at seeded random points of micro-batches (incl. mid offsets/N write, after offsets/N,
// after the Delta commit before commits/N, mid commits/N write); 50 points in all. After each kill the sink is readable
// with no duplicate, at most one batch is left to re-run, and a final drain holds every record exactly once.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { StreamCheckpoint } from './checkpoint/streamCheckpoint'
import { ManualClock } from './clock'
import type { BatchPhase } from './microBatch'
import { progressTableRoot } from './progress'
import { StreamingQuery } from './streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'

const WORKER = path.join(import.meta.dirname, 'testing', 'streamCrashWorker.ts')
const REPO = path.resolve(import.meta.dirname, '../..')
const PHASES: BatchPhase[] = ['offsetsPublishing', 'offsetsWritten', 'loaded', 'sinkCommitted', 'progressWritten', 'commitPublishing', 'committed']
const POINTS_PER_TEST = 10

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

/** Runs the worker; resolves with the signal that ended it and its output. */
function runWorker(root: string, crashAt: string): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, root], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STREAM_CRASH_AT: crashAt } })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve({ signal, output })))
}

async function pendingBatches(root: string): Promise<number> {
  const cp = new StreamCheckpoint(root, 'crash')
  const lastCommit = (await cp.commits.ids()).at(-1) ?? -1
  return (await cp.offsets.ids()).filter((id) => id > lastCommit).length
}

describe('SIGKILL crash matrix (S2)', () => {
  it.each([11, 22, 33, 44, 55])('seed %i: 10 kills at batch points, then exactly-once', async (seed) => {
    let state = seed
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
    const root = await streamTestLakehouse()
    let dataPos = 0
    let files = 0
    const points: string[] = []
    for (let k = 0; k < POINTS_PER_TEST; k++) {
      // Two new files per round: with one file a batch, the worker always reaches the 1st or 2nd occurrence of a phase.
      for (let f = 0; f < 2; f++) {
        const n = Math.floor(random() * 31)
        await landEvents(root, `f${String(files++).padStart(4, '0')}.json`, Array.from({ length: n }, (_, i) => dataPos + i))
        dataPos += n
      }
      // Phases rotate over the 50 points (each phase at least 7 times); which batch of the run dies is random.
      const crashAt = `${PHASES[(seed + k) % PHASES.length]}:${1 + Math.floor(random() * 2)}`
      points.push(crashAt)
      const { signal, output } = await runWorker(root, crashAt)
      expect(signal, `worker should die at ${crashAt}: ${output}`).toBe('SIGKILL')
      expect(await pendingBatches(root)).toBeLessThanOrEqual(1)
      const ids = await sinkIds(port, root, 'silver.events')
      expect(new Set(ids).size, `duplicate rows after a kill at ${crashAt}`).toBe(ids.length)
    }
    const drain = new StreamingQuery({
      name: 'crash', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
      trigger: { kind: 'availableNow' }, clock: new ManualClock(1_700_000_000_000), session: port
    })
    await drain.start()
    expect(await drain.awaitTermination()).toBe('completed')
    expect(await sinkIds(port, root, 'silver.events'), `kill points ${points.join(', ')}`).toEqual(Array.from({ length: dataPos }, (_, i) => i))
    // Progress rows are exactly-once too: one per batch id.
    const snapshot = await (await DeltaTable.open(progressTableRoot(root), port)).snapshot()
    const rows = await port.query(`SELECT batch_id, count(*)::BIGINT AS n FROM (${await scanSql(snapshot, port)}) GROUP BY 1 HAVING count(*) > 1`)
    expect(rows).toEqual([])
    expect((await fs.readdir(path.join(root, 'checkpoints', 'crash'))).includes('lock')).toBe(false)
  }, 600_000)
})
