// Saves and restores an operator's DuckDB state tables as parquet files plus an operator.json manifest in a state folder.
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { EventTimeError } from './eventTimeError'

const MANIFEST = 'operator.json'
const FORMAT_VERSION = 1

interface SavedTable { file: string; columns: { name: string; type: string }[] }

/** What operator.json holds. `config` is compared on load so state is never applied to a changed operator. */
export interface StateManifest {
  format: number
  kind: string
  config: unknown
  extra: Record<string, unknown>
  /** Logical table name -> its file and column types, or null when the table did not exist yet (no batch ran). */
  tables: Record<string, SavedTable | null>
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r')
  try { await handle.sync() } finally { await handle.close() }
}

/**
 * Writes each table of `tables` (logical name -> DuckDB table name, or null when absent) to `<dir>/<logical>.parquet` and then
 * operator.json, each through a temp name + fsync + rename so a crash leaves either the old file or the new one. HUGEINT
 * columns are stored as DECIMAL(38,0) (DuckDB would write them as DOUBLE and lose digits); load casts every column back.
 */
export async function saveStateTables(port: DuckdbSession, dir: string, head: { kind: string; config: unknown; extra?: Record<string, unknown> },
  tables: Record<string, string | null>): Promise<void> {
  await mkdir(dir, { recursive: true })
  const manifest: StateManifest = { format: FORMAT_VERSION, kind: head.kind, config: head.config, extra: head.extra ?? {}, tables: {} }
  for (const [logical, table] of Object.entries(tables)) {
    if (table === null) { manifest.tables[logical] = null; continue }
    const described = await port.query(`DESCRIBE ${sqlIdent(table)}`)
    const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
    const select = columns.map((c) => /^U?HUGEINT$/.test(c.type) ? `${sqlIdent(c.name)}::DECIMAL(38,0) AS ${sqlIdent(c.name)}` : sqlIdent(c.name)).join(', ')
    const file = `${logical}.parquet`
    const tmp = path.join(dir, `.${file}.tmp`)
    await port.exec(`COPY (SELECT ${select} FROM ${sqlIdent(table)}) TO ${sqlString(tmp)} (FORMAT parquet)`)
    await fsyncFile(tmp)
    await rename(tmp, path.join(dir, file))
    manifest.tables[logical] = { file, columns }
  }
  const tmpManifest = path.join(dir, `.${MANIFEST}.tmp`)
  await writeFile(tmpManifest, JSON.stringify(manifest, null, 2))
  await fsyncFile(tmpManifest)
  await rename(tmpManifest, path.join(dir, MANIFEST))
}

/**
 * Reads `<dir>/operator.json`, checks kind and config, and (re)creates each saved table as a temp table named by `tables`
 * (logical -> DuckDB table name); tables saved as absent are dropped. Returns the manifest (its `extra` carries scalars).
 * @throws EventTimeError STATE_CORRUPT naming the missing or unreadable file; STATE_INCOMPATIBLE when kind or config differ.
 */
export async function loadStateTables(port: DuckdbSession, dir: string, head: { kind: string; config: unknown },
  tables: Record<string, string>): Promise<StateManifest> {
  const manifestFile = path.join(dir, MANIFEST)
  let manifest: StateManifest
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as StateManifest
  } catch (error) {
    throw new EventTimeError('STATE_CORRUPT', `cannot read ${manifestFile}: ${(error as Error).message}`)
  }
  if (manifest?.format !== FORMAT_VERSION || typeof manifest.tables !== 'object' || manifest.tables === null) {
    throw new EventTimeError('STATE_CORRUPT', `${manifestFile} is not an operator state manifest (format ${String(manifest?.format)})`)
  }
  if (manifest.kind !== head.kind || JSON.stringify(manifest.config) !== JSON.stringify(head.config)) {
    throw new EventTimeError('STATE_INCOMPATIBLE', `${manifestFile} was saved by ${manifest.kind} ${JSON.stringify(manifest.config)}, `
      + `not ${head.kind} ${JSON.stringify(head.config)}`)
  }
  for (const [logical, table] of Object.entries(tables)) {
    const saved = manifest.tables[logical]
    if (saved === undefined) throw new EventTimeError('STATE_CORRUPT', `${manifestFile} lists no table '${logical}'`)
    if (saved === null) { await port.exec(`DROP TABLE IF EXISTS ${sqlIdent(table)}`); continue }
    const file = path.join(dir, saved.file)
    const select = saved.columns.map((c) => `${sqlIdent(c.name)}::${c.type} AS ${sqlIdent(c.name)}`).join(', ')
    try {
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(table)} AS SELECT ${select} FROM read_parquet(${sqlString(file)})`)
    } catch (error) {
      throw new EventTimeError('STATE_CORRUPT', `cannot read state table '${logical}' from ${file}: ${(error as Error).message}`)
    }
  }
  return manifest
}
