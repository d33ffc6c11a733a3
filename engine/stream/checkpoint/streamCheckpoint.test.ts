// Offset log writes (once, atomically, losers named), the lock file, and retention of StreamCheckpoint.
import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { removeStreamTestLakehouses, streamTestLakehouse } from '../testing/streamTestLakehouse'
import { CheckpointLock } from './checkpointLock'
import { StreamCheckpoint, type OffsetEntry } from './streamCheckpoint'

afterAll(removeStreamTestLakehouses)

const entry = (batchId: number, writer: number): OffsetEntry => ({ batchId, triggerTime: writer, watermarkMs: null, sources: { s: { writer } } })

describe('StreamCheckpoint', () => {
  it('concurrent writers of the same batch ids: each id is written exactly once, losers get CHECKPOINT_CONFLICT', async () => {
    const cp = new StreamCheckpoint(await streamTestLakehouse(), 'race')
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, writer) => (async () => {
      const won: number[] = []
      for (let id = 0; id <= 30; id++) {
        try {
          await cp.offsets.add(entry(id, writer))
          won.push(id)
        } catch (e) {
          expect((e as { code: string }).code).toBe('CHECKPOINT_CONFLICT')
          expect((e as Error).message).toContain(cp.offsets.fileOf(id))
        }
      }
      return { writer, won }
    })()))
    const winners = new Map<number, number>()
    for (const o of outcomes) for (const id of o.won) {
      expect(winners.has(id)).toBe(false)
      winners.set(id, o.writer)
    }
    expect([...winners.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 31 }, (_, i) => i))
    for (const [id, writer] of winners) expect(await cp.offsets.read(id)).toEqual(entry(id, writer))
    expect((await fs.readdir(cp.offsets.dir)).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('the lock refuses a second holder while the first is alive, and takes over from a dead process', async () => {
    const dir = path.join(await streamTestLakehouse(), 'checkpoints', 'q')
    const lock = await CheckpointLock.acquire(dir, 'run-1', 0)
    const e = await CheckpointLock.acquire(dir, 'run-2', 0).then(() => null, (x: unknown) => x as Error & { code: string })
    expect(e?.code).toBe('CHECKPOINT_LOCKED')
    expect(e?.message).toContain(`process ${process.pid}`)
    await lock.release()
    // A lock left by a process that no longer exists (a SIGKILLed run).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    await fs.writeFile(path.join(dir, 'lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), runId: 'old', startedAt: 0 }))
    const taken = await CheckpointLock.acquire(dir, 'run-3', 0)
    expect(JSON.parse(await fs.readFile(path.join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, runId: 'run-3' })
    await taken.release()
    await expect(fs.access(path.join(dir, 'lock'))).rejects.toThrow()
  })

  it('retention (S8): after 1,000 batches with K = 100 the log holds K files each and recovery continues from them', async () => {
    const root = await streamTestLakehouse()
    const cp = new StreamCheckpoint(root, 'ret')
    const q = { name: 'ret', sources: ['s'], sink: 'silver.t', now: 0 }
    await cp.recover(q)
    for (let id = 0; id < 1000; id++) {
      await cp.offsets.add(entry(id, 0))
      await cp.commits.add({ batchId: id, committedAt: id, sinkVersion: id })
      await cp.applyRetention(id, 100)
    }
    expect(await cp.offsets.ids()).toEqual(Array.from({ length: 100 }, (_, i) => 900 + i))
    expect(await cp.commits.ids()).toEqual(Array.from({ length: 100 }, (_, i) => 900 + i))
    await cp.offsets.add(entry(1000, 0))
    const recovered = await cp.recover(q)
    expect(recovered.lastCommitted?.batchId).toBe(999)
    expect(recovered.pending.map((p) => [p.start?.batchId, p.end.batchId])).toEqual([[999, 1000]])
    expect(recovered.nextBatchId).toBe(1001)
  }, 60_000)
})
