// The checkpoint's lock file: one running query per checkpoint, created with O_EXCL, taken over only from a dead process.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StreamError } from '../streamError'

interface LockBody {
  pid: number
  host: string
  runId: string
  startedAt: number
}

/** True when a process with this pid exists on this machine (EPERM means it exists but belongs to someone else). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readLock(file: string): Promise<LockBody | null> {
  try {
    const body = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockBody>
    return typeof body.pid === 'number' ? (body as LockBody) : null
  } catch {
    return null
  }
}

/** A held lock; release() removes the file if it is still ours. */
export class CheckpointLock {
  private constructor(readonly file: string, readonly runId: string) {}

  /**
   * Creates `<dir>/lock` exclusively. An existing lock whose pid is not alive on this host (a killed run) or whose
   * content is unreadable (a crash between create and write) is stale: it is moved aside and the create retried once.
   * @throws StreamError CHECKPOINT_LOCKED naming the pid holding the lock.
   */
  static async acquire(dir: string, runId: string, now: number): Promise<CheckpointLock> {
    await fs.mkdir(dir, { recursive: true })
    const file = path.join(dir, 'lock')
    const body = JSON.stringify({ pid: process.pid, host: os.hostname(), runId, startedAt: now } satisfies LockBody)
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.writeFile(file, body, { flag: 'wx' })
        return new CheckpointLock(file, runId)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const holder = await readLock(file)
      const stale = holder === null || (holder.host === os.hostname() && !pidAlive(holder.pid))
      if (!stale || attempt > 0) {
        throw new StreamError('CHECKPOINT_LOCKED', `checkpoint ${dir} is in use by ${holder ? `process ${holder.pid} (run ${holder.runId})` : 'another process'}: ${file} exists; stop that query first`, { file, pid: holder?.pid })
      }
      // Renaming aside (rather than unlinking) means two processes racing over one stale lock cannot both remove it
      // and then each remove the other's fresh lock: only one rename of the stale file succeeds.
      try {
        await fs.rename(file, path.join(dir, `.stale-lock-${randomUUID()}`))
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      }
      for (const name of await fs.readdir(dir)) if (name.startsWith('.stale-lock-')) await fs.rm(path.join(dir, name), { force: true })
    }
  }

  /** Removes the lock file when it still names this run (never someone else's lock). */
  async release(): Promise<void> {
    const holder = await readLock(this.file)
    if (holder?.runId === this.runId && holder.pid === process.pid) await fs.rm(this.file, { force: true })
  }
}
