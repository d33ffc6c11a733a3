// Tests that a damaged newest checkpoint of any kind (folder, FIFO, link to a folder, truncated, garbage) falls back.
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from './deltaTable'
import { loadSnapshot } from './logReplay'
import { commitFileName, LogStore, versionPrefix } from './logStore'
import { scanSql } from './scan'
import type { Snapshot } from './snapshot'
import { field } from './typeMapping'

let port: DuckdbSession
let dir: string
let n = 0
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-cpfallback-'))
})
afterAll(async () => {
  port?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

/** A table with checkpoints at 2 and 4 and commits up to 5; each append adds the row `id = version`. */
async function tableWithCheckpoints(): Promise<{ root: string; store: LogStore; reference: Snapshot }> {
  const root = path.join(dir, `t${n++}`)
  const table = await DeltaTable.create(root, port, { schema: { type: 'struct', fields: [field('id', 'long')] }, properties: { 'delta.checkpointInterval': '2' } })
  for (let v = 1; v <= 5; v++) await table.write({ mode: 'append', sourceSql: `SELECT ${v} AS id` })
  const store = new LogStore(root)
  expect(await fs.readdir(store.logDir)).toContain(`${versionPrefix(4)}.checkpoint.parquet`)
  return { root, store, reference: await loadSnapshot(store, port) }
}

async function ids(snapshot: Snapshot): Promise<number[]> {
  return (await port.query(`SELECT id FROM (${await scanSql(snapshot, port)}) ORDER BY id`)).map((r) => Number(r.id))
}

const checkpointPath = (store: LogStore, v: number) => store.pathOf(`${versionPrefix(v)}.checkpoint.parquet`)

describe('damaged checkpoints', () => {
  const damages: [string, (file: string) => Promise<void>][] = [
    ['an empty folder', async (file) => { await fs.rm(file); await fs.mkdir(file) }],
    ['a folder holding a parquet file', async (file) => { const copy = `${file}.bak`; await fs.rename(file, copy); await fs.mkdir(file); await fs.rename(copy, path.join(file, 'part-0.parquet')) }],
    ['a link to a folder', async (file) => { await fs.rm(file); await fs.mkdir(`${file}-target`); await fs.symlink(`${file}-target`, file, 'junction') }],
    ['a truncated file', async (file) => { const bytes = await fs.readFile(file); await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2))) }],
    ['a 0-byte file', async (file) => { await fs.writeFile(file, '') }],
    ['garbage', async (file) => { await fs.writeFile(file, 'PAR1 but not really') }]
  ]
  for (const [what, damage] of damages) {
    it(`falls back to the older checkpoint when the newest is ${what}`, async () => {
      const { store, reference } = await tableWithCheckpoints()
      await damage(checkpointPath(store, 4))
      const snapshot = await loadSnapshot(store, port)
      expect(snapshot.version).toBe(5)
      expect(snapshot.files.map((f) => f.path).sort()).toEqual(reference.files.map((f) => f.path).sort())
      expect(await ids(snapshot)).toEqual([1, 2, 3, 4, 5])
      expect((await loadSnapshot(store, port, { version: 4 })).files).toHaveLength(4)
      // Without the commits before it, a damaged checkpoint 4 can no longer be bypassed for version 4 and later.
      for (let v = 0; v <= 3; v++) await fs.rm(store.pathOf(commitFileName(v)))
      await fs.rm(checkpointPath(store, 2))
      await expect(loadSnapshot(store, port)).rejects.toMatchObject({ code: expect.stringMatching(/^(CORRUPT_LOG|VERSION_NOT_RECONSTRUCTABLE)$/) })
    })
  }

  it('does not block on a FIFO carrying a checkpoint name', async () => {
    if (process.platform === 'win32') return
    const { store } = await tableWithCheckpoints()
    await fs.rm(checkpointPath(store, 4))
    execFileSync('mkfifo', [checkpointPath(store, 4)])
    const snapshot = await loadSnapshot(store, port)
    expect(await ids(snapshot)).toEqual([1, 2, 3, 4, 5])
  })

  it('keeps writing when _last_checkpoint or the next checkpoint name is taken by a folder', async () => {
    const { root, store } = await tableWithCheckpoints()
    await fs.rm(store.pathOf('_last_checkpoint'))
    await fs.mkdir(store.pathOf('_last_checkpoint'))
    await fs.mkdir(checkpointPath(store, 6))
    const table = await DeltaTable.open(root, port)
    await table.write({ mode: 'append', sourceSql: 'SELECT 6 AS id' })
    const snapshot = await loadSnapshot(store, port)
    expect(snapshot.version).toBe(6)
    expect(await ids(snapshot)).toEqual([1, 2, 3, 4, 5, 6])
    expect((await fs.readdir(store.logDir)).filter((f) => f.startsWith('.tmp-'))).toEqual([])
  })

  it('reports a commit name taken by a link to a folder as CORRUPT_LOG naming it', async () => {
    const { store } = await tableWithCheckpoints()
    await fs.mkdir(path.join(dir, `elsewhere-${n}`))
    await fs.symlink(path.join(dir, `elsewhere-${n}`), store.pathOf(commitFileName(6)), 'junction')
    await expect(loadSnapshot(store, port)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringContaining(`${commitFileName(6)} in`) })
  })
})
