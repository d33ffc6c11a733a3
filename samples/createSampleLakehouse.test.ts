// Tests for createSampleLakehouse: both samples built through their pipelines, deterministic, with history and
// saved queries that run (skipped until engine/pipeline/runner.ts exists).
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../engine/lakehouse/folder'
import { arrowRows } from '../engine/sql/arrow'
import { SqlEngine } from '../engine/sql/queryRunner'
import { createSampleLakehouse, SAMPLE_NAMES } from './index'
import { retailExpectedCounts } from './retail/expectedCounts'
import { compareCounts, tableVersions } from './samplePipelineCheck'
import { sbitExpectedCounts } from './sbit/expectedCounts'


async function rows(engine: SqlEngine, sql: string): Promise<Record<string, unknown>[]> {
  const results = await engine.execute(sql)
  return arrowRows(results[results.length - 1]!.arrow)
}

describe('createSampleLakehouse', () => {
  let dir: string
  const built: Record<string, Lakehouse> = {}

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-samples-'))
    for (const sample of SAMPLE_NAMES) built[sample] = await createSampleLakehouse(path.join(dir, sample), sample)
    built.sbitAgain = await createSampleLakehouse(path.join(dir, 'sbit-again'), 'sbit')
  }, 600_000)

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  })

  it('builds both samples to their documented counts after data set 2', async () => {
    for (const [sample, expected] of [['sbit', sbitExpectedCounts(2)], ['retail', retailExpectedCounts(2)]] as const) {
      const { expected: want, actual } = await compareCounts(built[sample]!, expected)
      expect(actual, sample).toEqual(want)
    }
  }, 120_000)

  it('gives every streaming table one version per run, so time travel shows the first run', async () => {
    for (const sample of SAMPLE_NAMES) {
      const lakehouse = built[sample]!
      const schemas = new Set((await lakehouse.listTables()).map((t) => t.schema))
      expect([...schemas], sample).toEqual(expect.arrayContaining(['bronze', 'silver', 'gold', 'system']))
      const engine = await SqlEngine.open(lakehouse)
      try {
        const table = sample === 'sbit' ? 'silver.workouts' : 'silver.stg_transactions'
        const history = await rows(engine, `DESCRIBE HISTORY ${table}`)
        expect(history.map((h) => Number(h.version)), table).toEqual([2, 1, 0])
        const [then] = await rows(engine, `SELECT count(*) AS n FROM ${table} VERSION AS OF 1`)
        const [now] = await rows(engine, `SELECT count(*) AS n FROM ${table}`)
        expect(Number(then!.n)).toBeGreaterThan(0)
        expect(Number(now!.n)).toBeGreaterThan(Number(then!.n))
      } finally {
        engine.close()
      }
    }
  })

  it('is deterministic: the same contents and commit history on every build', async () => {
    const a = await SqlEngine.open(built.sbit!)
    const b = await SqlEngine.open(built.sbitAgain!)
    try {
      expect(await tableVersions(built.sbitAgain!)).toEqual(await tableVersions(built.sbit!))
      for (const t of await built.sbit!.listTables()) {
        if (t.schema === 'system') continue // run ids are random by design
        const name = `${t.schema}.${t.name}`
        expect(await rows(b, `SELECT * FROM ${name} ORDER BY ALL`), name).toEqual(await rows(a, `SELECT * FROM ${name} ORDER BY ALL`))
        const history = (h: Record<string, unknown>[]): unknown[] => h.map((e) => [e.version, e.timestamp, e.operation])
        expect(history(await rows(b, `DESCRIBE HISTORY ${name}`)), name).toEqual(history(await rows(a, `DESCRIBE HISTORY ${name}`)))
      }
    } finally {
      a.close()
      b.close()
    }
  }, 120_000)

  it('ships saved queries that return rows on the sample', async () => {
    for (const sample of SAMPLE_NAMES) {
      const lakehouse = built[sample]!
      const queries = (await fs.readdir(path.join(lakehouse.root, 'queries'))).filter((f) => f.endsWith('.sql'))
      expect(queries.length, sample).toBeGreaterThanOrEqual(5)
      const engine = await SqlEngine.open(lakehouse)
      try {
        for (const q of queries) {
          const results = await engine.execute(await fs.readFile(path.join(lakehouse.root, 'queries', q), 'utf8'))
          expect(results.at(-1)!.rowCount, `${sample}/${q}`).toBeGreaterThan(0)
        }
      } finally {
        engine.close()
      }
    }
  }, 120_000)
})
