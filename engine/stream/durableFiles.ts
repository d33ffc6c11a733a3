// durableFiles: the small file-system steps every stream store (checkpoints, topics, producer state) needs to survive a crash.
import { promises as fs } from 'node:fs'

/** Fsyncs a folder, so a file created or renamed in it survives a power loss, not only a process kill. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** The file's text, or null when it does not exist; other read errors are thrown as they are. */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}
