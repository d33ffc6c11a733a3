// `lakebench stream` as child processes: SIGKILL at random moments then availableNow equals one uninterrupted run.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import { Lakehouse } from '../lakehouse/folder'
import { DuckdbSession } from '../sql/duckdbSession'
import { dataSetFiles } from '../../samples/dataSets'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lakebench')
const DATA_SETS = 3
// Columns that record when and in which batch a row was handled, not what it is: they follow batch boundaries.
const BOOKKEEPING = new Set(['_batch_id', '_load_time', '_quarantined_at'])
let tmp = ''

function lakebench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }))
  })
}

/** Every silver and gold table (quarantine tables included) as sorted rows, bookkeeping columns left out. */
async function medallionRows(dir: string): Promise<Record<string, string[]>> {
  const lakehouse = await Lakehouse.open(dir)
  const session = await DuckdbSession.create()
  try {
    const out: Record<string, string[]> = {}
    for (const t of await lakehouse.listTables()) {
      if (t.schema !== 'silver' && t.schema !== 'gold') continue
      const snapshot = await (await DeltaTable.open(t.path, session)).snapshot()
      const rows = await session.query(`SELECT * FROM (${await scanSql(snapshot, session)})`)
      out[`${t.schema}.${t.name}`] = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !BOOKKEEPING.has(k)), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort()
    }
    return out
  } finally {
    session.close()
  }
}

function expectSameTables(actual: Record<string, string[]>, expected: Record<string, string[]>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const [table, rows] of Object.entries(expected)) {
    expect(actual[table]!.length, `${table}: row count`).toBe(rows.length)
    expect(actual[table], `${table}: rows (as a multiset)`).toEqual(rows)
  }
}

/** Landing files with their inode and mtime: a file written twice gets a new inode (rename) or mtime. */
async function landingIdentity(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const name of (await fs.readdir(path.join(dir, 'landing'), { recursive: true })) as string[]) {
    const stat = await fs.stat(path.join(dir, 'landing', name))
    if (stat.isFile()) out.set(name, `${stat.ino}:${stat.mtimeMs}`)
  }
  return out
}

async function offsetFiles(dir: string): Promise<number> {
  let n = 0
  const root = path.join(dir, 'checkpoints', 'sbit')
  for (const flow of await fs.readdir(root).catch(() => [] as string[])) n += (await fs.readdir(path.join(root, flow, 'offsets')).catch(() => [])).length
  return n
}

/** Starts the continuous command; `lines` collects its progress lines. */
function startStream(dir: string): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(BIN, ['stream', '-l', dir, '--sample-producer', 'sbit', '--data-sets', String(DATA_SETS), '--rate', '4', '--trigger', 'processingTime 200 milliseconds'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let buffer = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    lines.push(...parts.filter((l) => l.startsWith('batch ')))
  })
  child.stderr!.resume()
  return { child, lines, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) }
}

/** Resolves once `ready()` holds (checked every 20 ms) or after `limitMs`; returns whether it held. */
async function until(ready: () => boolean | Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline) {
    if (await ready()) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}

/** A small seeded generator (the seed is printed so a failing schedule can be replayed). */
function seeded(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

let reference: Record<string, string[]> = {}
let referenceDir = ''

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-cli-stream-'))
  // One uninterrupted availableNow run on a sample lakehouse created without data.
  referenceDir = path.join(tmp, 'reference')
  const init = await lakebench(['init', referenceDir, '--sample', 'sbit', '--data-sets', '0', '--no-run'])
  expect(init.code, init.stderr).toBe(0)
  const run = await lakebench(['stream', '-l', referenceDir, '--sample-producer', 'sbit', '--data-sets', String(DATA_SETS), '--trigger', 'availableNow'])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(run.stdout).toMatch(/^batch 0 {2}\S+Z {2}files 15\/15 {2}input \d+ rows {2}written \d+ \(bronze \d+, silver \d+, gold \d+\) {2}quarantined \d+ {2}\d+ ms {2}completed$/m)
  expect(run.stdout).toMatch(/Stream stopped \(drained\): 1 batch\(es\), 15\/15 files produced/)
  reference = await medallionRows(referenceDir)
}, 120_000)

afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true })
})

describe('lakebench stream', () => {
  it('availableNow from an empty sample lakehouse ends with the tables `init --sample` builds set by set', async () => {
    const built = path.join(tmp, 'built')
    const init = await lakebench(['init', built, '--sample', 'sbit', '--data-sets', String(DATA_SETS)])
    expect(init.code, init.stderr).toBe(0)
    expect(reference['gold.workout_bpm_summary']!.length).toBeGreaterThan(0)
    expectSameTables(await medallionRows(built), reference)
    // The same landing bytes: the producer writes what produceDataSet writes.
    for (let k = 1; k <= DATA_SETS; k++) {
      for (const file of dataSetFiles('sbit', k)) expect(await fs.readFile(path.join(referenceDir, file.path), 'utf8'), file.path).toBe(file.text)
    }
  }, 120_000)

  it('killed with SIGKILL at random moments, then availableNow, equals one uninterrupted availableNow run', async () => {
    const seed = Number(process.env.LAKEBENCH_STREAM_KILL_SEED ?? Date.now() % 100_000)
    const random = seeded(seed)
    const dir = path.join(tmp, 'killed') // not a lakehouse yet: the stream command creates the sample's
    const schedule = [
      { after: 'progress lines', count: 1 + random(2) },
      { after: 'offset files', count: 1 + random(4) }, // mid-batch: a flow has planned a batch that may not be committed
      { after: 'progress lines', count: 1 + random(2) }
    ]
    const seen = new Map<string, string>()
    const kills: string[] = []
    for (const step of schedule) {
      const { child, lines, exited } = startStream(dir)
      const offsetsBefore = await offsetFiles(dir)
      const reached = step.after === 'progress lines'
        ? await until(() => lines.length >= step.count, 30_000)
        : await until(async () => (await offsetFiles(dir)) >= offsetsBefore + step.count, 30_000)
      child.kill('SIGKILL')
      expect(await exited).toBeNull()
      kills.push(`${step.count} ${step.after}${reached ? '' : ' (not reached: killed at the limit)'} after ${lines.length} line(s)`)
      // Files produced before a kill are never written again.
      const now = await landingIdentity(dir).catch(() => new Map<string, string>())
      for (const [file, identity] of seen) expect(now.get(file), `${file} rewritten (seed ${seed}: ${kills.join('; ')})`).toBe(identity)
      for (const [file, identity] of now) seen.set(file, identity)
    }
    const drain = await lakebench(['stream', '-l', dir, '--sample-producer', 'sbit', '--data-sets', String(DATA_SETS), '--trigger', 'availableNow'])
    expect(drain.code, `${drain.stderr} (seed ${seed}: ${kills.join('; ')})`).toBe(0)
    expect(drain.stdout).toMatch(/15\/15 files produced/)
    const after = await landingIdentity(dir)
    for (const [file, identity] of seen) expect(after.get(file), `${file} rewritten`).toBe(identity)
    expect(after.size).toBe(15)
    for (let k = 1; k <= DATA_SETS; k++) {
      for (const file of dataSetFiles('sbit', k)) expect(await fs.readFile(path.join(dir, file.path), 'utf8'), file.path).toBe(file.text)
    }
    expectSameTables(await medallionRows(dir), reference)

    // system.stream_progress: one row per batch that finished, ids dense from 0 across the restarts.
    const progress = await lakebench(['sql', '-l', dir, '-f', 'json', 'SELECT batch_id FROM system.stream_progress ORDER BY batch_id'])
    const ids = (JSON.parse(progress.stdout) as { batch_id: number }[]).map((r) => Number(r.batch_id))
    expect(ids).toEqual(ids.map((_, i) => i))
  }, 240_000)

  it('SIGINT finishes the running batch and exits 0; --until-drained then produces the rest and stops', async () => {
    const dir = path.join(tmp, 'interrupted')
    const { child, lines, exited } = startStream(dir)
    let stdout = ''
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    expect(await until(() => lines.length >= 1, 30_000)).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(stdout).toMatch(/Stream stopped \(signal\): \d+ batch\(es\), \d+\/15 files produced/)
    // The batch running at the signal finished: every planned flow batch has its commit.
    const root = path.join(dir, 'checkpoints', 'sbit')
    for (const flow of await fs.readdir(root)) {
      const offsets = await fs.readdir(path.join(root, flow, 'offsets')).catch(() => [])
      const commits = await fs.readdir(path.join(root, flow, 'commits')).catch(() => [])
      expect(commits.length, `${flow}: offsets without commits`).toBe(offsets.length)
    }
    const rest = await lakebench(['stream', '-l', dir, '--sample-producer', 'sbit', '--data-sets', String(DATA_SETS), '--rate', '50', '--trigger', 'processingTime 100 ms', '--until-drained'])
    expect(rest.code, rest.stderr).toBe(0)
    expect(rest.stdout).toMatch(/Stream stopped \(drained\): \d+ batch\(es\), 15\/15 files produced/)
    expectSameTables(await medallionRows(dir), reference)
  }, 120_000)
})
