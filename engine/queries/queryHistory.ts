// queryHistory: every SQL run from the editor, appended to <lakehouse>/.lakebench/query-history.jsonl and searched there.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { QueryHistoryEntry } from '../api/queriesApi'

/** Where the history lives inside a lakehouse. */
export function historyFilePath(root: string): string {
  return path.join(root, '.lakebench', 'query-history.jsonl')
}

/** Beyond this size the history is trimmed to its newest half, so a year of queries cannot grow it without bound. */
export const HISTORY_MAX_BYTES = 4 * 1024 * 1024

/**
 * Appends one entry (one JSON line; appends of one line do not interleave with other appends). When the file has grown
 * past `maxBytes` it is rewritten, atomically (temp file + rename), with the newest entries filling half of that.
 */
export async function appendQueryHistory(root: string, entry: QueryHistoryEntry, maxBytes = HISTORY_MAX_BYTES): Promise<void> {
  const file = historyFilePath(root)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8')
  if ((await fs.stat(file)).size > maxBytes) await trimHistory(file, Math.floor(maxBytes / 2))
}

/** Keeps the newest whole lines that fit in `keepBytes`. */
async function trimHistory(file: string, keepBytes: number): Promise<void> {
  const lines = (await fs.readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '')
  const kept: string[] = []
  let size = 0
  for (let i = lines.length - 1; i >= 0; i--) {
    size += Buffer.byteLength(lines[i]!) + 1
    if (size > keepBytes) break
    kept.push(lines[i]!)
  }
  const temp = `${file}.${process.pid}.tmp`
  await fs.writeFile(temp, kept.reverse().map((line) => `${line}\n`).join(''), 'utf8')
  await fs.rename(temp, file)
}

/**
 * Entries newest first whose statement contains `search` (case-insensitive), at most `limit` (default 200).
 * Lines that do not parse (a torn last line after a crash) are skipped; a missing file is an empty history.
 */
export async function searchQueryHistory(root: string, options: { search?: string; limit?: number } = {}): Promise<QueryHistoryEntry[]> {
  let text: string
  try {
    text = await fs.readFile(historyFilePath(root), 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const needle = options.search?.toLowerCase() ?? ''
  const limit = options.limit ?? 200
  const found: QueryHistoryEntry[] = []
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0 && found.length < limit; i--) {
    const entry = parseEntry(lines[i]!)
    if (entry && entry.statement.toLowerCase().includes(needle)) found.push(entry)
  }
  return found
}

function parseEntry(line: string): QueryHistoryEntry | null {
  if (line.trim() === '') return null
  try {
    const value = JSON.parse(line) as QueryHistoryEntry
    return typeof value.statement === 'string' && typeof value.time === 'number' ? value : null
  } catch {
    return null
  }
}
