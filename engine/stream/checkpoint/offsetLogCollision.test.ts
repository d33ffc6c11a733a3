// S5, offset-log collision (after Spark's HDFSMetadataLogSuite "metadata directory collision"): ten processes race to
// write batch ids 0..100 of one checkpoint; each id must be written exactly once, by one of them, with its content intact.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { removeStreamTestLakehouses, streamTestLakehouse } from '../testing/streamTestLakehouse'
import { StreamCheckpoint } from './streamCheckpoint'

afterAll(removeStreamTestLakehouses)

const REPO = path.resolve(__dirname, '../../..')
const WORKER = path.join(REPO, 'engine/stream/testing/offsetLogRaceWorker.ts')
const WRITERS = 10
const LAST_BATCH = 100

interface WorkerReport { writer: number; won: number[]; lost: number[] }

/** Starts a writer; `ready` resolves once it waits for the go file, `report` with what it won and lost. */
function startWorker(root: string, writer: number): { ready: Promise<void>; report: Promise<WorkerReport> } {
  let markReady!: () => void
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  const report = new Promise<WorkerReport>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, root, 'collision', String(writer), String(LAST_BATCH)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.startsWith('ready\n')) markReady()
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as WorkerReport) : reject(new Error(`writer ${writer} exited ${code}: ${err}`))))
  })
  return { ready, report }
}

describe('offset log collision (S5)', () => {
  it(`${WRITERS} processes × batch ids 0..${LAST_BATCH}: every id written exactly once, content round-trips, losers told`, async () => {
    const root = await streamTestLakehouse()
    const workers = Array.from({ length: WRITERS }, (_, w) => startWorker(root, w))
    await Promise.all(workers.map((w) => w.ready))
    await fs.writeFile(path.join(root, 'go'), '')
    const reports = await Promise.all(workers.map((w) => w.report))

    const winnerOf = new Map<number, number>()
    for (const r of reports) {
      // Every writer tried every id: it either won it or was told it lost it.
      expect([...r.won, ...r.lost].sort((a, b) => a - b)).toEqual(Array.from({ length: LAST_BATCH + 1 }, (_, i) => i))
      for (const id of r.won) {
        expect(winnerOf.has(id), `batch ${id} won by writers ${winnerOf.get(id)} and ${r.writer}`).toBe(false)
        winnerOf.set(id, r.writer)
      }
    }
    expect(winnerOf.size).toBe(LAST_BATCH + 1)
    // The writers really raced: ids were won by more than one of them.
    expect(new Set(winnerOf.values()).size).toBeGreaterThan(1)

    const checkpoint = new StreamCheckpoint(root, 'collision')
    expect(await checkpoint.offsets.ids()).toEqual(Array.from({ length: LAST_BATCH + 1 }, (_, i) => i))
    for (const [batchId, writer] of winnerOf) {
      expect(await checkpoint.offsets.read(batchId)).toEqual({ batchId, triggerTime: writer, watermarkMs: null, sources: { race: { writer, batchId } } })
    }
    // No temp file of a losing writer is left behind.
    expect((await fs.readdir(checkpoint.offsets.dir)).filter((n) => !/^\d+$/.test(n))).toEqual([])
  }, 120_000)
})
