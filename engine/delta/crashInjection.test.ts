// kill -9 crash injection (RELIABILITY.md D6, reduced): a child appends idempotent batches and is SIGKILLed at seeded
// random moments; after every kill the table must open at its last commit with exactly the committed rows.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from './deltaTable'
import { latestVersion, loadSnapshot, readCommit } from './logReplay'
import { commitFileName, LogStore } from './logStore'
import { decodeLogPath } from './partitionValues'
import { scanSql } from './scan'
import type { Snapshot } from './snapshot'
import { field } from './typeMapping'

const WORKER = path.join(import.meta.dirname, '..', 'testing', 'crashAppender.ts')
const REPO = path.resolve(import.meta.dirname, '../..')
const APP_ID = 'crash-appender'
const ROWS = 20
const KILLS = 20
const MAX_DELAY_MS = 450
const SEED = Number(process.env.LAKEBENCH_CRASH_SEED ?? 20261123)

/** mulberry32: a small seeded generator, so a failing run can be repeated with the same kill times. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let port: DuckdbSession
let dir: string
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-crash-'))
})
afterAll(async () => {
  port?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

/** Starts the appender, waits until it has opened the table, lets it run `delayMs`, then SIGKILLs it. */
async function runAndKill(root: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, root, APP_ID, String(ROWS)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(true))),
    exited.then(() => false)
  ])
  if (!ready) throw new Error(`the appender exited before it was ready: ${stderr}`)
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  if (child.exitCode !== null) throw new Error(`the appender stopped by itself (exit ${child.exitCode}): ${stderr}`)
  child.kill('SIGKILL')
  await exited
}

/** The rows of `snapshot` must be exactly the batches its txn says were committed: ROWS distinct seqs per batch. */
async function expectCommittedRows(snapshot: Snapshot): Promise<void> {
  const last = snapshot.txns.get(APP_ID)?.version ?? -1
  const rows = await port.query(
    `SELECT batch, count(*) AS n, count(DISTINCT seq) AS d, min(seq) AS lo, max(seq) AS hi FROM (${await scanSql(snapshot, port)}) GROUP BY batch ORDER BY batch`
  )
  const where = `version ${snapshot.version} (txn ${last}, seed ${SEED})`
  expect(rows.map((r) => Number(r.batch)), where).toEqual(Array.from({ length: last + 1 }, (_, b) => b))
  for (const r of rows) expect([Number(r.n), Number(r.d), Number(r.lo), Number(r.hi)], where).toEqual([ROWS, ROWS, 0, ROWS - 1])
}

/** Every file under `root`, relative, with '/' separators. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
}

describe('SIGKILL during appends', () => {
  it(`leaves a table that opens at its last commit with exactly the committed rows (${KILLS} kills)`, async () => {
    const root = path.join(dir, 'events')
    await DeltaTable.create(root, port, {
      schema: { type: 'struct', fields: [field('batch', 'long'), field('seq', 'long'), field('part', 'long')] },
      partitionColumns: ['part'],
      // Frequent checkpoints so that kills also land while one is being written.
      properties: { 'delta.checkpointInterval': '3' }
    })
    const store = new LogStore(root)
    const random = seeded(SEED)
    const referenced = new Set<string>()
    let verified = 0
    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(root, Math.floor(random() * MAX_DELAY_MS))
      const where = `after kill ${kill + 1} (seed ${SEED})`

      // The table opens at the newest commit file, and that commit is whole.
      const latest = (await latestVersion(store))!
      const table = await DeltaTable.open(root, port)
      const snapshot = await table.snapshot()
      expect(snapshot.version, where).toBe(latest)
      await expectCommittedRows(snapshot)

      // Every commit since the last check is complete (commitInfo, txn, its adds) and its version reads correctly.
      for (let v = verified + 1; v <= latest; v++) {
        const actions = await readCommit(store, v)
        const txn = actions.filter((a) => 'txn' in a)
        const adds = actions.filter((a): a is Extract<typeof a, { add: unknown }> => 'add' in a)
        expect([actions.some((a) => 'commitInfo' in a), txn.length, adds.length], `${commitFileName(v)} ${where}`).toEqual([true, 1, 2])
        for (const a of adds) referenced.add(decodeLogPath(a.add.path))
        await expectCommittedRows(await loadSnapshot(store, port, { version: v }))
      }
      // A few older versions again, through whatever checkpoints exist now.
      for (let k = 0; k < 3 && latest > 0; k++) await expectCommittedRows(await loadSnapshot(store, port, { version: 1 + Math.floor(random() * latest) }))
      verified = latest

      // Leftovers are only unreferenced data files and .tmp- files in the log; nothing referenced is missing.
      for (const file of await filesUnder(root)) {
        if (file.startsWith('_delta_log/')) {
          const name = file.slice('_delta_log/'.length)
          expect(/^\d{20}\.(json|checkpoint\.parquet)$/.test(name) || name === '_last_checkpoint' || name.startsWith('.tmp-'), `${file} ${where}`).toBe(true)
        } else if (!referenced.has(file)) {
          expect(file.endsWith('.parquet'), `unexpected leftover ${file} ${where}`).toBe(true)
        }
      }
      for (const f of snapshot.files) await expect(fs.access(path.join(root, decodeLogPath(f.path))), `${f.path} ${where}`).resolves.toBeUndefined()
    }
    // The kills did interrupt a working appender: batches committed across the runs, resuming where each left off.
    const final = await loadSnapshot(store, port)
    expect(final.txns.get(APP_ID)!.version).toBeGreaterThanOrEqual(KILLS)
    for (let v = 1; v <= final.version; v++) await expect(loadSnapshot(store, port, { version: v })).resolves.toMatchObject({ version: v })
  }, 120_000)

  it('is not confused by stale .tmp- files a kill leaves behind', async () => {
    const root = path.join(dir, 'stale')
    const table = await DeltaTable.create(root, port, { schema: { type: 'struct', fields: [field('id', 'long')] } })
    await table.write({ mode: 'append', sourceSql: 'SELECT 1 AS id' })
    const store = new LogStore(root)
    // What a kill between writing the temp commit and linking it leaves: a complete commit of version 2, under a
    // .tmp- name, pointing at a data file that exists; plus a half-written checkpoint and a staging folder.
    await fs.writeFile(path.join(root, 'orphan.parquet'), 'x')
    await fs.writeFile(store.pathOf('.tmp-0b9a2c1e-1111-4222-8333-944445555666.json'), `${JSON.stringify({ add: { path: 'orphan.parquet', partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } })}\n`)
    await fs.writeFile(store.pathOf('.tmp-0b9a2c1e-1111-4222-8333-944445555667.checkpoint.parquet'), 'PAR1')
    await fs.writeFile(store.pathOf('.tmp-0b9a2c1e-1111-4222-8333-944445555668'), '{"version":2}')
    await fs.mkdir(path.join(root, '.tmp-write-abc', '__lakebench_pid=0'), { recursive: true })
    await port.exec(`COPY (SELECT 99 AS id) TO '${path.join(root, '.tmp-write-abc', '__lakebench_pid=0', 'data_0.parquet')}' (FORMAT parquet)`)

    const reopened = await DeltaTable.open(root, port)
    const snapshot = await reopened.snapshot()
    expect(snapshot.version).toBe(1)
    expect(snapshot.files.map((f) => f.path)).not.toContain('orphan.parquet')
    expect(await latestVersion(store)).toBe(1)
    const result = await reopened.write({ mode: 'append', sourceSql: 'SELECT 2 AS id' })
    expect(result.version).toBe(2)
    const rows = await port.query(`SELECT list(id ORDER BY id) AS ids FROM (${await scanSql(await reopened.snapshot(), port)})`)
    expect(rows[0]!.ids).toEqual([1n, 2n])
    expect((await readCommit(store, 2)).some((a) => 'add' in a && a.add.path === 'orphan.parquet')).toBe(false)
  })
})
