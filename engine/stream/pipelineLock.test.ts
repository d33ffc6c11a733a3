// The pipeline lock of continuous runs: a live holder (another process) is refused with its pid, a dead one's lock is taken over.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../lakehouse/folder'
import { HR_PIPELINE } from '../pipeline/eventTime/eventTimeTestPipeline'
import { loadPipeline } from '../pipeline/runner'
import { ManualClock } from './clock'
import { acquirePipelineLock, runContinuousPipeline } from './continuousPipeline'

const folders: string[] = []
afterAll(async () => {
  for (const f of folders) await fs.rm(f, { recursive: true, force: true })
})

async function hrLakehouse(): Promise<Lakehouse> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-pipeline-lock-'))
  folders.push(dir)
  const lakehouse = await Lakehouse.create(path.join(dir, 'lake'))
  for (const [file, text] of Object.entries(HR_PIPELINE)) {
    await fs.mkdir(path.dirname(path.join(lakehouse.root, file)), { recursive: true })
    await fs.writeFile(path.join(lakehouse.root, file), text)
  }
  return lakehouse
}

async function lockOf(root: string): Promise<{ pid: number } | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(root, 'checkpoints', 'hr', 'lock'), 'utf8')) as { pid: number }
  } catch {
    return null
  }
}

describe('continuous pipeline lock', () => {
  it('refuses a second run in this process while the first holds the lock, and releases it at the end', async () => {
    const lakehouse = await hrLakehouse()
    const pipeline = await loadPipeline(lakehouse, 'hr')
    const clock = new ManualClock(Date.UTC(2026, 0, 15))
    const held = await acquirePipelineLock(lakehouse.root, 'hr', 'first', clock.now())
    await expect(runContinuousPipeline({ lakehouse, pipeline, trigger: { kind: 'once' }, clock }))
      .rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED', detail: { pid: process.pid } })
    await held.release()
    const result = await runContinuousPipeline({ lakehouse, pipeline, trigger: { kind: 'once' }, clock })
    expect(result).toMatchObject({ batches: 1, stoppedBy: 'once' })
    expect(await lockOf(lakehouse.root)).toBeNull()
  }, 60_000)

  it('names another live process holding the lock, and takes over the lock of a dead one', async () => {
    const lakehouse = await hrLakehouse()
    const lockFile = path.join(lakehouse.root, 'checkpoints', 'hr', 'lock')
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    try {
      await fs.mkdir(path.dirname(lockFile), { recursive: true })
      await fs.writeFile(lockFile, JSON.stringify({ pid: child.pid, host: os.hostname(), runId: 'other', startedAt: 0 }))
      await expect(acquirePipelineLock(lakehouse.root, 'hr', 'mine', 0)).rejects.toMatchObject({
        code: 'CHECKPOINT_LOCKED', message: expect.stringContaining(`process ${child.pid}`)
      })
    } finally {
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
    const lock = await acquirePipelineLock(lakehouse.root, 'hr', 'mine', 0)
    expect(await lockOf(lakehouse.root)).toMatchObject({ pid: process.pid })
    await lock.release()
  }, 60_000)
})
