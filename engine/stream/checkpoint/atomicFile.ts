// Checkpoint files written once and atomically (tmp + fsync + link, never overwriting), and read back as validated JSON.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { StreamError } from '../streamError'
import { readTextIfExists, syncDir } from '../durableFiles'

/** Temp files start with a dot so listings of offsets/ and commits/ never mistake them for batch files. */
export const TEMP_PREFIX = '.tmp-'

/**
 * Writes `body` to `file` only if `file` does not exist: the body goes to a temp file in the same folder, is fsynced,
 * then hard-linked to the final name (link fails with EEXIST instead of replacing, which rename would do), and the
 * folder is fsynced. Readers never see a partial file. `beforePublish` runs between the fsync and the link (crash tests).
 * @returns true when this call created the file, false when it already existed (another writer won).
 */
export async function writeFileIfAbsent(file: string, body: string, beforePublish?: () => void): Promise<boolean> {
  const dir = path.dirname(file)
  await fs.mkdir(dir, { recursive: true })
  const tmp = path.join(dir, `${TEMP_PREFIX}${randomUUID()}`)
  const handle = await fs.open(tmp, 'wx')
  try {
    await handle.writeFile(body)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    beforePublish?.()
    await fs.link(tmp, file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    await fs.rm(tmp, { force: true })
  }
  await syncDir(dir)
  return true
}

/**
 * Parses a checkpoint JSON file, or returns null when it does not exist.
 * @throws StreamError CHECKPOINT_CORRUPT naming the file when it is empty, truncated or not a JSON object.
 */
export async function readJsonFile<T extends object>(file: string): Promise<T | null> {
  const text = await readTextIfExists(file)
  if (text === null) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    const what = text.length === 0 ? 'is empty (0 bytes)' : `is not valid JSON (${(e as Error).message})`
    throw new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${file} ${what}`, { file })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${file} does not hold a JSON object`, { file })
  }
  return parsed as T
}
