// Test support for streaming: temp lakehouses, landing files written atomically, and the sink's rows as a multiset.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DeltaTable } from '../../delta/deltaTable'
import { scanSql } from '../../delta/scan'
import { afterAll, beforeAll } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { tableRootOf } from '../deltaSink'
import { FileStreamSource } from '../sources/fileStreamSource'

const created: string[] = []

/** A new empty lakehouse folder under the OS temp dir (removed by removeStreamTestLakehouses). */
export async function streamTestLakehouse(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-stream-'))
  created.push(dir)
  await fs.mkdir(path.join(dir, 'landing', 'events'), { recursive: true })
  return dir
}

export async function removeStreamTestLakehouses(): Promise<void> {
  for (const dir of created.splice(0)) await fs.rm(dir, { recursive: true, force: true })
}

/**
 * Registers the suite's hooks: one single-threaded DuckDB session, handed to `ready` before the tests, closed after
 * them together with every test lakehouse the suite created.
 */
export function useStreamTestSession(ready: (session: DuckdbSession) => void): void {
  let session: DuckdbSession | undefined
  beforeAll(async () => {
    session = await DuckdbSession.create({ threads: 1 })
    ready(session)
  })
  afterAll(async () => {
    session?.close()
    await removeStreamTestLakehouses()
  })
}

/** The columns the tests' landing files have. */
export const EVENT_SCHEMA = [{ name: 'id', type: 'BIGINT' }, { name: 'payload', type: 'VARCHAR' }]

/**
 * Writes an NDJSON file of records {id, payload} into landing/events atomically (temp dot-name, then rename), as a
 * producer must for the file source. Ids may repeat across files: the tests compare multisets.
 */
export async function landEvents(root: string, fileName: string, ids: number[]): Promise<void> {
  const dir = path.join(root, 'landing', 'events')
  const tmp = path.join(dir, `.${fileName}.tmp`)
  await fs.writeFile(tmp, ids.map((id) => JSON.stringify({ id, payload: `p${id}` })).join('\n') + (ids.length ? '\n' : ''))
  await fs.rename(tmp, path.join(dir, fileName))
}

/** A file source over landing/events (settleMs 0: the tests' files are placed atomically). */
export function eventsSource(root: string, maxFilesPerTrigger?: number): FileStreamSource {
  return new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'json', schema: EVENT_SCHEMA, settleMs: 0, ...(maxFilesPerTrigger ? { maxFilesPerTrigger } : {}) })
}

/** `SELECT id, payload FROM src0`: the transform the tests use (drops _metadata_file_path). */
export const eventsTransform = (r: string[]): string => `SELECT id, payload FROM ${r[0]}`

/** The ids of the sink table's rows, sorted, with repeats (a multiset); [] when the table does not exist. */
export async function sinkIds(port: DuckdbSession, root: string, table: string, column = 'id'): Promise<number[]> {
  const tableRoot = tableRootOf(root, table)
  if (!(await DeltaTable.exists(tableRoot))) return []
  const snapshot = await (await DeltaTable.open(tableRoot, port)).snapshot()
  const rows = await port.query(`SELECT "${column}"::BIGINT AS v FROM (${await scanSql(snapshot, port)}) ORDER BY 1`)
  return rows.map((r) => Number(r.v))
}

/** `ids` sorted ascending (for comparing with sinkIds). */
export const sortedIds = (ids: number[]): number[] => [...ids].sort((a, b) => a - b)
