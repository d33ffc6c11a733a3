// deltaRowCount: a table's row count at a version, computed straight from its _delta_log (independently of the engine).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

interface AddAction {
  path: string
  stats?: string
  deletionVector?: { cardinality: number } | null
}

/**
 * Replays JSON commits 0..version (add/remove by path) and sums each live file's stats.numRecords minus its
 * deletion-vector cardinality. Throws naming the file when a live file has no numRecords, since the count would
 * then be a guess.
 */
export async function deltaRowCount(tableDir: string, version?: number): Promise<number> {
  const versions = await listVersions(tableDir)
  const last = version ?? versions[versions.length - 1]!
  const live = new Map<string, AddAction>()
  for (const v of versions.filter((n) => n <= last)) {
    const file = join(tableDir, '_delta_log', `${String(v).padStart(20, '0')}.json`)
    const actions = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { add?: AddAction; remove?: { path: string } })
    // A file given a deletion vector is removed and re-added under the same path in one commit, in any order:
    // apply the commit's removes before its adds.
    for (const action of actions) if (action.remove) live.delete(action.remove.path)
    for (const action of actions) if (action.add) live.set(action.add.path, action.add)
  }
  let rows = 0
  for (const add of live.values()) {
    const numRecords = add.stats ? (JSON.parse(add.stats) as { numRecords?: number }).numRecords : undefined
    if (typeof numRecords !== 'number') throw new Error(`${tableDir}: data file ${add.path} has no numRecords in its stats at version ${last}`)
    rows += numRecords - (add.deletionVector?.cardinality ?? 0)
  }
  return rows
}

/** Commit versions present as JSON files, ascending. */
export async function listVersions(tableDir: string): Promise<number[]> {
  const names = await readdir(join(tableDir, '_delta_log'))
  return names
    .filter((n) => /^\d{20}\.json$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b)
}
