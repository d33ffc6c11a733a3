// savedQueries: the lakehouse's queries/ folder as plain `.sql` files: list, read and save, confined to that folder.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { EngineError } from '../api/errors'
import type { SavedQuery } from '../api/queriesApi'

const namePattern = /^[A-Za-z0-9_][A-Za-z0-9 _.()-]*\.sql$/

/**
 * The absolute path of `name` inside `<root>/queries`.
 * @throws EngineError INVALID_QUERY_NAME when `name` is not a plain `.sql` file name or would resolve outside queries/.
 */
export function queryFilePath(root: string, name: string): string {
  const folder = path.resolve(root, 'queries')
  const file = path.resolve(folder, name)
  // The pattern rules out separators; the resolved-path check is the guarantee if the pattern ever loosens.
  if (!namePattern.test(name) || name.includes('..') || path.dirname(file) !== folder) {
    throw new EngineError('INVALID_QUERY_NAME', `'${name}' is not a saved query name: use a file name ending in .sql, without folders`, { file: name })
  }
  return file
}

/** The `.sql` files directly in `<root>/queries`, sorted by name; [] when the folder does not exist. */
export async function listSavedQueries(root: string): Promise<SavedQuery[]> {
  const folder = path.join(root, 'queries')
  let entries: string[]
  try {
    entries = await fs.readdir(folder)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const found: SavedQuery[] = []
  for (const name of entries.filter((n) => namePattern.test(n)).sort()) {
    const stat = await fs.stat(path.join(folder, name))
    if (stat.isFile()) found.push({ name, sizeBytes: stat.size, modified: stat.mtimeMs })
  }
  return found
}

/** The text of a saved query. @throws EngineError INVALID_QUERY_NAME, QUERY_NOT_FOUND naming the file. */
export async function readSavedQuery(root: string, name: string): Promise<{ name: string; text: string }> {
  const file = queryFilePath(root, name)
  try {
    return { name, text: await fs.readFile(file, 'utf8') }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError('QUERY_NOT_FOUND', `There is no saved query ${name} in ${path.dirname(file)}`, { file })
    throw e
  }
}

/**
 * Writes `text` to queries/`name` (creating queries/ if needed). The text goes to a temporary file that is then
 * renamed over the target, so a crash never leaves a half-written query.
 * @throws EngineError INVALID_QUERY_NAME.
 */
export async function saveQuery(root: string, name: string, text: string): Promise<SavedQuery> {
  const file = queryFilePath(root, name)
  await fs.mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
  await fs.writeFile(temporary, text, 'utf8')
  await fs.rename(temporary, file)
  const stat = await fs.stat(file)
  return { name, sizeBytes: stat.size, modified: stat.mtimeMs }
}
