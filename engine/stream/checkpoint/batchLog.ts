// One of a checkpoint's batch logs (offsets/ or commits/): files named by batch id, each written once, pruned by retention.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { StreamError } from '../streamError'
import { readJsonFile, writeFileIfAbsent } from './atomicFile'

/** A folder of `<batchId>` JSON files. Writers never overwrite: the second writer of a batch id loses. */
export class BatchLog<T extends { batchId: number }> {
  constructor(readonly dir: string) {}

  fileOf(batchId: number): string {
    return path.join(this.dir, String(batchId))
  }

  /** Batch ids present, ascending (temp and other files ignored); [] when the folder does not exist. */
  async ids(): Promise<number[]> {
    let names: string[]
    try {
      names = await fs.readdir(this.dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
    return names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b)
  }

  /**
   * The entry of `batchId`, or null when its file does not exist.
   * @throws StreamError CHECKPOINT_CORRUPT naming the file when it is empty, not JSON, or records another batch id.
   */
  async read(batchId: number): Promise<T | null> {
    const file = this.fileOf(batchId)
    const entry = await readJsonFile<T>(file)
    if (entry && entry.batchId !== batchId) {
      throw new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${file} records batchId ${String(entry.batchId)}, expected ${batchId}`, { file })
    }
    return entry
  }

  /**
   * Writes the entry of a new batch atomically.
   * @throws StreamError CHECKPOINT_CONFLICT naming the file when it already exists (another query wrote this batch).
   */
  async add(entry: T, beforePublish?: () => void): Promise<void> {
    const file = this.fileOf(entry.batchId)
    if (!(await writeFileIfAbsent(file, JSON.stringify(entry) + '\n', beforePublish))) {
      throw new StreamError('CHECKPOINT_CONFLICT', `checkpoint file ${file} was written by another writer: is a second query running on this checkpoint?`, { file, batchId: entry.batchId })
    }
  }

  /** Removes the files of batches below `firstKept` (retention). */
  async removeBelow(firstKept: number): Promise<void> {
    for (const id of await this.ids()) if (id < firstKept) await fs.rm(this.fileOf(id), { force: true })
  }
}
