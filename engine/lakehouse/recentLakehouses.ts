// RecentLakehouses: the per-user list of lakehouses opened lately (name, path, last opened), kept in one JSON file outside any lakehouse.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { LAKEHOUSE_FILE } from './folder'

/** One remembered lakehouse. */
export interface RecentLakehouseEntry {
  /** Absolute path of the lakehouse folder. */
  root: string
  /** Its display name when it was last opened. */
  name: string
  /** When it was last opened (ms since the epoch). */
  lastOpened: number
}

/** An entry plus whether the folder is still a lakehouse (it may have been moved or deleted since). */
export interface RecentLakehouseStatus extends RecentLakehouseEntry {
  available: boolean
}

/** The file format: versioned so a later format can migrate instead of guessing. */
interface RecentsFile {
  version: 1
  lakehouses: RecentLakehouseEntry[]
}

/** How many lakehouses the list keeps; older ones fall off the end. */
export const MAX_RECENT_LAKEHOUSES = 12

/**
 * The recents file of one user. Reads are forgiving (a missing or damaged file is an empty list, because a
 * convenience list must never stop the app from starting); writes replace the file atomically (tmp + rename) so
 * two windows writing at once leave one whole list, never a torn one.
 */
export class RecentLakehouses {
  constructor(readonly file: string, private readonly max = MAX_RECENT_LAKEHOUSES) {}

  /** Entries, most recently opened first; [] when the file is missing or unreadable. */
  async entries(): Promise<RecentLakehouseEntry[]> {
    let text: string
    try {
      text = await fs.readFile(this.file, 'utf8')
    } catch {
      return []
    }
    try {
      const parsed = JSON.parse(text) as Partial<RecentsFile>
      const list = Array.isArray(parsed.lakehouses) ? parsed.lakehouses : []
      return list.filter(isEntry).sort((a, b) => b.lastOpened - a.lastOpened)
    } catch {
      return []
    }
  }

  /** Entries with `available` telling whether each folder still holds a lakebench.json. */
  async list(): Promise<RecentLakehouseStatus[]> {
    const entries = await this.entries()
    return Promise.all(entries.map(async (entry) => ({ ...entry, available: await isLakehouseFolder(entry.root) })))
  }

  /**
   * Puts `root` first with `name` and `at` as its last-opened time (moving it up if it was listed already).
   * @throws Error from the file system when the file's folder cannot be created or the file cannot be written.
   */
  async record(root: string, name: string, at: number = Date.now()): Promise<void> {
    const absolute = path.resolve(root)
    const rest = (await this.entries()).filter((entry) => entry.root !== absolute)
    await this.write([{ root: absolute, name, lastOpened: at }, ...rest].slice(0, this.max))
  }

  /** Drops `root` from the list (nothing happens when it is not listed). @throws Error when the file cannot be written. */
  async forget(root: string): Promise<void> {
    const absolute = path.resolve(root)
    const entries = await this.entries()
    const rest = entries.filter((entry) => entry.root !== absolute)
    if (rest.length !== entries.length) await this.write(rest)
  }

  private async write(lakehouses: RecentLakehouseEntry[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true })
    const body: RecentsFile = { version: 1, lakehouses }
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`
    await fs.writeFile(tmp, JSON.stringify(body, null, 2) + '\n', 'utf8')
    await fs.rename(tmp, this.file)
  }
}

/** True when `dir` holds a lakebench.json (what Lakehouse.open needs first). */
export async function isLakehouseFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(dir, LAKEHOUSE_FILE))).isFile()
  } catch {
    return false
  }
}

function isEntry(value: unknown): value is RecentLakehouseEntry {
  const entry = value as Partial<RecentLakehouseEntry> | null
  return (
    typeof entry === 'object' && entry !== null && typeof entry.root === 'string' && path.isAbsolute(entry.root) &&
    typeof entry.name === 'string' && typeof entry.lastOpened === 'number' && Number.isFinite(entry.lastOpened)
  )
}
