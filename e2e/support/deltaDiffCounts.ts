// deltaDiffCounts: a table's live files at a version and the key-matched diff of two versions, computed from the
// _delta_log and the parquet files with DuckDB directly (independently of the engine under test).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { listVersions } from './deltaRowCount'

/** Absolute paths of the data files live at `version` (JSON commits replayed; removes before adds within a commit). */
export async function liveFiles(tableDir: string, version: number): Promise<string[]> {
  const live = new Map<string, { deletionVector?: unknown }>()
  for (const v of (await listVersions(tableDir)).filter((n) => n <= version)) {
    const text = await readFile(join(tableDir, '_delta_log', `${String(v).padStart(20, '0')}.json`), 'utf8')
    const actions = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { add?: { path: string; deletionVector?: unknown }; remove?: { path: string } })
    for (const a of actions) if (a.remove) live.delete(decodeURIComponent(a.remove.path))
    for (const a of actions) if (a.add) live.set(decodeURIComponent(a.add.path), a.add)
  }
  for (const [path, add] of live) if (add.deletionVector) throw new Error(`${tableDir}: ${path} has a deletion vector at version ${version}; this helper reads plain files only`)
  return [...live.keys()].map((p) => join(tableDir, p))
}

export interface DiffCounts {
  added: number
  removed: number
  changed: number
  /** Whether `key` identifies at most one row in each version (a diff by key only means something then). */
  keyUnique: boolean
}

/**
 * Rows of `to` whose key is absent at `from` (added), the reverse (removed), and keys present at both whose other
 * columns differ (changed, NULL-safe). Throws naming the table and versions if a version has no live files.
 */
export async function deltaDiffCounts(tableDir: string, from: number, to: number, key: string[]): Promise<DiffCounts> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const source = async (version: number) => {
      const files = await liveFiles(tableDir, version)
      if (files.length === 0) throw new Error(`${tableDir} has no live files at version ${version}`)
      return `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}])`
    }
    await connection.run(`CREATE TABLE v_from AS SELECT * FROM ${await source(from)}`)
    await connection.run(`CREATE TABLE v_to AS SELECT * FROM ${await source(to)}`)
    const q = (name: string) => `"${name.replaceAll('"', '""')}"`
    const columns = (await connection.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = 'v_to' ORDER BY ordinal_position`))
      .getRowObjectsJS()
      .map((r) => String(r.column_name))
    const fromColumns = new Set(
      (await connection.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = 'v_from'`)).getRowObjectsJS().map((r) => String(r.column_name))
    )
    const on = key.map((k) => `f.${q(k)} IS NOT DISTINCT FROM t.${q(k)}`).join(' AND ')
    const others = columns.filter((c) => !key.includes(c) && fromColumns.has(c))
    const differs = others.length > 0 ? others.map((c) => `f.${q(c)} IS DISTINCT FROM t.${q(c)}`).join(' OR ') : 'false'
    const keyList = key.map(q).join(', ')
    const sql = `SELECT
      (SELECT count(*) FROM v_to t WHERE NOT EXISTS (SELECT 1 FROM v_from f WHERE ${on})) AS added,
      (SELECT count(*) FROM v_from f WHERE NOT EXISTS (SELECT 1 FROM v_to t WHERE ${on})) AS removed,
      (SELECT count(*) FROM v_from f JOIN v_to t ON ${on} WHERE ${differs}) AS changed,
      (SELECT count(*) = count(DISTINCT (${keyList})) FROM v_from) AND (SELECT count(*) = count(DISTINCT (${keyList})) FROM v_to) AS unique_key`
    const row = (await connection.runAndReadAll(sql)).getRowObjectsJS()[0]!
    return { added: Number(row.added), removed: Number(row.removed), changed: Number(row.changed), keyUnique: row.unique_key === true }
  } finally {
    connection.closeSync()
  }
}

/** Top-level column names of the schema in force at `version` (the last metaData action at or before it). */
export async function schemaColumns(tableDir: string, version: number): Promise<string[]> {
  let schemaString: string | undefined
  for (const v of (await listVersions(tableDir)).filter((n) => n <= version)) {
    const text = await readFile(join(tableDir, '_delta_log', `${String(v).padStart(20, '0')}.json`), 'utf8')
    for (const line of text.split('\n').filter((l) => l.trim())) {
      const action = JSON.parse(line) as { metaData?: { schemaString: string } }
      if (action.metaData) schemaString = action.metaData.schemaString
    }
  }
  if (!schemaString) throw new Error(`${tableDir} has no metaData action at or before version ${version}`)
  return (JSON.parse(schemaString) as { fields: { name: string }[] }).fields.map((f) => f.name)
}
