import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from './deltaTable'
import { scanSql } from './scan'
import { field } from './typeMapping'

const run = promisify(execFile)
const WORKER = path.join(import.meta.dirname, '..', 'testing', 'appendWorker.ts')
const APPENDS = 25
const ROWS = 3

describe('two processes appending to one table', () => {
  let port: DuckdbSession
  let dir: string
  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-concurrent-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it(`2 x ${APPENDS} blind appends give versions 1..${2 * APPENDS} with every row present once`, async () => {
    const root = path.join(dir, 'events')
    await DeltaTable.create(root, port, { schema: { type: 'struct', fields: [field('worker', 'integer'), field('batch', 'integer'), field('seq', 'long')] } })
    const workers = [1, 2].map((w) => run(process.execPath, ['--import', 'tsx', WORKER, root, String(w), String(APPENDS), String(ROWS)], { cwd: path.resolve(import.meta.dirname, '../..') }))
    const outputs = await Promise.all(workers)
    const reports = outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!) as { worker: number; commits: { version: number; retries: number }[] })

    const versions = reports.flatMap((r) => r.commits.map((c) => c.version)).sort((a, b) => a - b)
    expect(versions).toEqual(Array.from({ length: 2 * APPENDS }, (_, i) => i + 1))
    for (const r of reports) expect(Math.max(...r.commits.map((c) => c.retries))).toBeLessThanOrEqual(15)

    const logNames = await fs.readdir(path.join(root, '_delta_log'))
    expect(logNames.filter((n) => n.startsWith('.tmp-'))).toEqual([])
    const commitVersions = logNames.filter((n) => /^\d{20}\.json$/.test(n)).map((n) => Number(n.slice(0, 20))).sort((a, b) => a - b)
    expect(commitVersions).toEqual(Array.from({ length: 2 * APPENDS + 1 }, (_, i) => i))

    const table = await DeltaTable.open(root, port)
    const snapshot = await table.snapshot()
    expect(snapshot.version).toBe(2 * APPENDS)
    const rows = await port.query(`SELECT worker, batch, count(*) AS n, count(DISTINCT seq) AS d FROM (${await scanSql(snapshot, port)}) GROUP BY ALL ORDER BY ALL`)
    expect(rows).toHaveLength(2 * APPENDS)
    for (const w of [1, 2]) {
      const mine = rows.filter((r) => r.worker === w)
      expect(mine.map((r) => r.batch)).toEqual(Array.from({ length: APPENDS }, (_, i) => i))
      for (const r of mine) expect([Number(r.n), Number(r.d)]).toEqual([ROWS, ROWS])
    }
  }, 180_000)
})
