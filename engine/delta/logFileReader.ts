// Bulk reading of small _delta_log files: synchronous reads on this thread, helped by one background reader thread.
import { closeSync, openSync, readSync } from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { DeltaError } from './errors'

/** Below this many files the helper thread is not worth a message round trip. */
const PARALLEL_MIN_FILES = 512
/** Files read between yields to the event loop. */
const BATCH = 1024

// The helper thread's code. It is plain CommonJS evaluated from a string so that it runs the same under tsx, vitest,
// Electron and a bundled build, with no second file to locate. It claims files from the END of the list while this
// thread claims from the front, through one shared counter of unclaimed files, so the split balances itself: a busy
// or still-booting helper simply claims fewer (possibly none).
const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { openSync, readSync, closeSync } = require('node:fs')
parentPort.on('message', ({ id, paths, remaining }) => {
  const counter = new Int32Array(remaining)
  let buffer = Buffer.allocUnsafe(1 << 20)
  let length = 0
  const ends = []
  try {
    for (;;) {
      const left = Atomics.sub(counter, 0, 1)
      if (left <= 0) break
      const file = paths[paths.length - 1 - ends.length]
      let fd
      try {
        fd = openSync(file, 'r')
      } catch (e) {
        parentPort.postMessage({ id, claimed: ends.length + 1, error: { code: e.code || 'EIO', message: e.message, file } })
        return
      }
      try {
        for (;;) {
          if (buffer.length - length < 65536) {
            const grown = Buffer.allocUnsafe(buffer.length * 2)
            buffer.copy(grown, 0, 0, length)
            buffer = grown
          }
          const wanted = buffer.length - length
          const n = readSync(fd, buffer, length, wanted, null)
          length += n
          if (n < wanted) break
        }
      } finally {
        closeSync(fd)
      }
      ends.push(length)
    }
    const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + length)
    parentPort.postMessage({ id, claimed: ends.length, bytes, ends }, [bytes])
  } catch (e) {
    parentPort.postMessage({ id, claimed: ends.length + 1, error: { code: e.code || 'EIO', message: e.message, file: paths[paths.length - 1 - ends.length] } })
  }
})
`

interface HelperReply {
  id: number
  /** Files the helper claimed (the last `claimed` paths). */
  claimed: number
  /** Contents of the claimed files back to front, concatenated; `ends[k]` is where file k ends. */
  bytes?: ArrayBuffer
  ends?: number[]
  error?: { code: string; message: string; file: string }
}

type Pending = { resolve: (reply: HelperReply) => void; reject: (error: Error) => void }

/** The one helper thread of this process: started on first use, unref'd while idle, replaced if it dies. */
class ReaderHelper {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private disabled = false

  /** Posts a read request; null when no helper thread can be started here (the caller reads everything itself). */
  request(paths: string[], remaining: SharedArrayBuffer): Promise<HelperReply> | null {
    const worker = this.ensure()
    if (!worker) return null
    const id = this.nextId++
    const reply = new Promise<HelperReply>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    if (this.pending.size === 1) worker.ref()
    worker.postMessage({ id, paths, remaining })
    return reply
  }

  private ensure(): Worker | null {
    if (this.worker || this.disabled) return this.worker
    let worker: Worker
    try {
      worker = new Worker(HELPER_SOURCE, { eval: true })
    } catch {
      this.disabled = true
      return null
    }
    worker.unref()
    worker.on('message', (reply: HelperReply) => {
      const waiter = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (this.pending.size === 0) worker.unref()
      waiter?.resolve(reply)
    })
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null
      for (const waiter of this.pending.values()) waiter.reject(error)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the log reader thread exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}

const helper = new ReaderHelper()
let filesReadByHelper = 0

/** How many files the helper thread has read for this process so far (for tests and diagnostics). */
export function helperFilesRead(): number {
  return filesReadByHelper
}

function gapError(logDir: string, name: string): DeltaError {
  return new DeltaError('LOG_GAP', `${name} disappeared from ${logDir} while the log was being read`, { file: name })
}

/** Reads one whole file into `state.buffer` (grown as needed) and returns its text. */
function readOne(file: string, name: string, logDir: string, state: { buffer: Buffer }): string {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw gapError(logDir, name)
    throw e
  }
  try {
    let length = 0
    for (;;) {
      const wanted = state.buffer.length - length
      let n: number
      try {
        n = readSync(fd, state.buffer, length, wanted, null)
      } catch (e) {
        // A symbolic link to a folder, for instance: the log entry exists but holds no actions.
        if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new DeltaError('CORRUPT_LOG', `${name} in ${logDir} is a directory, not a log file`, { file: name })
        throw e
      }
      length += n
      // A short read of a regular file means end of file; a full buffer may have more.
      if (n < wanted) break
      const grown = Buffer.allocUnsafe(state.buffer.length * 2)
      state.buffer.copy(grown, 0, 0, length)
      state.buffer = grown
    }
    return state.buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}

/**
 * The texts of files in `logDir`, in the order of `names`. Synchronous reads in a tight loop into one reused buffer
 * are several times faster than thousands of async reads through libuv's thread pool (no per-file fstat, no promise
 * per step); for long lists a helper thread reads from the end of the list at the same time, taking as many files as
 * it gets to, so a busy machine costs nothing beyond a message. The loop yields to the event loop between batches.
 * @throws DeltaError LOG_GAP naming the file when one disappears while being read; Error for other I/O failures.
 */
export async function readLogFiles(logDir: string, names: readonly string[]): Promise<string[]> {
  const count = names.length
  const out = new Array<string>(count)
  const prefix = logDir + path.sep
  const state = { buffer: Buffer.allocUnsafe(1 << 16) }
  let remaining: Int32Array | null = null
  let reply: Promise<HelperReply> | null = null
  if (count >= PARALLEL_MIN_FILES && typeof SharedArrayBuffer === 'function') {
    const shared = new SharedArrayBuffer(4)
    remaining = new Int32Array(shared)
    remaining[0] = count
    reply = helper.request(names.map((n) => prefix + n), shared)
    if (!reply) remaining = null
    // This call may end (or throw) without awaiting the answer; a helper that dies later must not surface as an
    // unhandled rejection. Awaiting `reply` below still sees the failure.
    reply?.catch(() => undefined)
  }
  let front = 0
  for (;;) {
    const stop = Math.min(count, front + BATCH)
    while (front < stop) {
      if (remaining && Atomics.sub(remaining, 0, 1) <= 0) break
      out[front] = readOne(prefix + names[front]!, names[front]!, logDir, state)
      front++
    }
    if (front < stop || front === count) break
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  const helperShare = count - front
  // The helper claimed nothing: its (empty) answer is not needed.
  if (helperShare === 0) return out
  let answer: HelperReply | null = null
  try {
    answer = await reply!
  } catch {
    // The helper died: read its share here instead.
  }
  if (answer?.error && answer.error.code === 'ENOENT') throw gapError(logDir, path.basename(answer.error.file))
  if (answer && !answer.error && answer.claimed === helperShare) {
    filesReadByHelper += helperShare
    const bytes = Buffer.from(answer.bytes!)
    let start = 0
    answer.ends!.forEach((end, k) => {
      out[count - 1 - k] = bytes.toString('utf8', start, end)
      start = end
    })
    return out
  }
  for (let i = front; i < count; i++) out[i] = readOne(prefix + names[i]!, names[i]!, logDir, state)
  return out
}
