// The one storage seam of the Delta log: listing, reading and put-if-absent commit writes on a local folder.
import { randomUUID } from 'node:crypto'
import { promises as fs, type Dirent } from 'node:fs'
import path from 'node:path'

/** Thrown when another writer already created the commit file for this version. */
export class CommitAlreadyExistsError extends Error {
  constructor(readonly version: number, readonly file: string) {
    super(`version ${version} already exists (${file})`)
    this.name = 'CommitAlreadyExistsError'
  }
}

/** Thrown when the file system cannot give put-if-absent (no hard links); we refuse rather than risk a lost commit. */
export class UnsafeStorageError extends Error {
  constructor(dir: string, cause: string) {
    super(`cannot commit safely in ${dir}: the file system refuses hard links (${cause}); Delta commits need an atomic create-if-absent`)
    this.name = 'UnsafeStorageError'
  }
}

export interface LogEntry {
  /** File name inside _delta_log (no directory). */
  name: string
  size: number
  /** Modification time, ms since epoch. */
  mtimeMs: number
}

/** Zero-padded 20-digit version, as commit and checkpoint names use. */
export function versionPrefix(version: number): string {
  return String(version).padStart(20, '0')
}

export function commitFileName(version: number): string {
  return `${versionPrefix(version)}.json`
}

/** Local-folder log store for one table root. */
export class LogStore {
  readonly logDir: string

  constructor(readonly tableRoot: string) {
    this.logDir = path.join(tableRoot, '_delta_log')
  }

  /**
   * Every file directly inside _delta_log with its size and mtime; [] when the folder does not exist. Readers that
   * only need names use listLogNames (no stat per file); this is for callers that need sizes or times.
   */
  async list(): Promise<LogEntry[]> {
    let dirents: Dirent[]
    try {
      dirents = await fs.readdir(this.logDir, { withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
    const entries: LogEntry[] = []
    for (const dirent of dirents) {
      // Folders and other non-files need no stat to be skipped; links and unknown types are resolved by stat.
      if (dirent.isDirectory() || dirent.isFIFO() || dirent.isSocket()) continue
      const name = dirent.name
      try {
        const st = await fs.stat(path.join(this.logDir, name))
        if (st.isFile()) entries.push({ name, size: st.size, mtimeMs: st.mtimeMs })
      } catch (e) {
        // A file removed between readdir and stat (metadata cleanup by another process) is simply absent.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      }
    }
    return entries
  }

  /** Text of a file in _delta_log. */
  async read(name: string): Promise<string> {
    return fs.readFile(path.join(this.logDir, name), 'utf8')
  }

  /** Absolute path of a file in _delta_log. */
  pathOf(name: string): string {
    return path.join(this.logDir, name)
  }

  /**
   * Writes commit `version` only if no file of that name exists: temp file, fsync, link() to the
   * final name, unlink the temp, fsync the directory. Never renames over an existing commit.
   * @throws CommitAlreadyExistsError when another writer won the race for this version.
   * @throws UnsafeStorageError when the file system has no hard links.
   */
  async writeCommitIfAbsent(version: number, content: string): Promise<void> {
    await fs.mkdir(this.logDir, { recursive: true })
    const finalName = commitFileName(version)
    const tmp = path.join(this.logDir, `.tmp-${randomUUID()}.json`)
    const handle = await fs.open(tmp, 'wx')
    try {
      await handle.writeFile(content, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await fs.link(tmp, path.join(this.logDir, finalName))
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw new CommitAlreadyExistsError(version, finalName)
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') throw new UnsafeStorageError(this.logDir, String(code))
      throw e
    } finally {
      await fs.rm(tmp, { force: true })
    }
    await this.syncDir()
  }

  /**
   * Writes a non-commit log file (checkpoint side files, _last_checkpoint) atomically by temp + rename.
   * Rename-over is fine here: these files are hints or immutable content that any writer would produce alike.
   */
  async writeReplace(name: string, content: string | Uint8Array): Promise<void> {
    await fs.mkdir(this.logDir, { recursive: true })
    const tmp = path.join(this.logDir, `.tmp-${randomUUID()}`)
    await fs.writeFile(tmp, content)
    await fs.rename(tmp, path.join(this.logDir, name))
  }

  private async syncDir(): Promise<void> {
    try {
      const dir = await fs.open(this.logDir, 'r')
      try {
        await dir.sync()
      } finally {
        await dir.close()
      }
    } catch {
      // Some platforms cannot fsync a directory; the link itself is already atomic.
    }
  }
}
