// Tests readPipelineRuns against a real sbit sample lakehouse (two recorded runs) and real DuckDB.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methodSpec } from '../api/methods'
import { createEngine } from '../createEngine'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import type { Lakehouse } from '../lakehouse/folder'
import { DuckdbSession } from '../sql/duckdbSession'
import { createSampleLakehouse } from '../../samples/index'
import { readPipelineRuns } from './pipelineRunHistory'
import { runPipeline } from './runner'

let dir: string
let lakehouse: Lakehouse
let session: DuckdbSession

async function rowCount(table: string): Promise<number> {
  const [schema, name] = table.split('.') as [string, string]
  const found = await lakehouse.resolveTable(schema, name)
  const snapshot = await (await DeltaTable.open(found!.path, session)).snapshot()
  const [row] = await session.query(`SELECT count(*) AS n FROM (${await scanSql(snapshot, session)}) AS t`)
  return Number(row!.n)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-run-history-'))
  lakehouse = await createSampleLakehouse(join(dir, 'sbit'), 'sbit')
  session = await DuckdbSession.create()
}, 120_000)

afterAll(async () => {
  session?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('readPipelineRuns', () => {
  it('reads the sample\'s two runs newest first, whose rows written add up to each streaming table\'s row count', async () => {
    const runs = await readPipelineRuns(lakehouse, session, 'sbit')
    expect(runs).toHaveLength(2)
    expect(runs[0]!.startedAt).toBeGreaterThan(runs[1]!.startedAt)
    for (const run of runs) {
      expect(run.status).toBe('completed')
      expect(run.flows.length).toBeGreaterThan(0)
      // The run's totals are the sum of its flows.
      expect(run.rowsWritten).toBe(run.flows.reduce((n, f) => n + f.rowsWritten, 0))
      expect(run.rowsQuarantined).toBe(run.flows.reduce((n, f) => n + f.rowsQuarantined, 0))
    }
    // Bronze streaming tables only append: every row in them was written by one of the recorded runs.
    for (const table of ['bronze.registered_users', 'bronze.gym_logins', 'bronze.kafka_multiplex']) {
      const written = runs.flatMap((r) => r.flows).filter((f) => f.flow === table).reduce((n, f) => n + f.rowsWritten, 0)
      expect(written, table).toBe(await rowCount(table))
      expect(written, table).toBeGreaterThan(0)
    }
    expect(methodSpec('pipeline.runs')!.result.safeParse(runs).success).toBe(true)
  })

  it('attaches each flow\'s expectation counts, which cover every row the flow took in', async () => {
    const [latest] = await readPipelineRuns(lakehouse, session, 'sbit', 1)
    const users = latest!.flows.find((f) => f.flow === 'bronze.registered_users')!
    expect(users.expectations.map((e) => [e.expectation, e.action]).sort()).toEqual([['has_user_id', 'drop'], ['parsed_row', 'drop']])
    for (const e of users.expectations) expect(e.passed + e.failed).toBe(users.rowsIn)
    // A silver flow is named without its schema; its counts are still found under the stored table.
    const [first] = await readPipelineRuns(lakehouse, session, 'sbit', 2).then((runs) => runs.slice(-1))
    const workouts = first!.flows.find((f) => f.flow === 'workouts')!
    expect(workouts.expectations.map((e) => [e.dataset, e.expectation]).sort()).toEqual([['silver.workouts', 'valid_action'], ['silver.workouts', 'valid_session']])
    for (const e of workouts.expectations) expect(e.passed + e.failed).toBe(workouts.rowsIn)
    expect(workouts.rowsQuarantined).toBeGreaterThan(0)
  })

  it('shows a new run first, with the flows the runner reported, and honours the limit', async () => {
    const result = await runPipeline(lakehouse, 'sbit', { fullRefresh: ['gold.gym_summary'], runId: 'history-test-run' })
    expect(result.status).toBe('completed')
    const runs = await readPipelineRuns(lakehouse, session, 'sbit', 2)
    expect(runs.map((r) => r.runId)[0]).toBe('history-test-run')
    expect(runs).toHaveLength(2)
    const newest = runs[0]!
    expect(newest.flows.map((f) => [f.flow, f.status, f.rowsWritten, f.version]).sort()).toEqual(
      result.flows.map((f) => [f.flow, f.status, f.rowsWritten, f.version]).sort()
    )
    const gym = newest.flows.find((f) => f.flow === 'gold.gym_summary')!
    expect(gym.rowsWritten).toBe(await rowCount('gold.gym_summary'))
  })

  it('is what the Engine API answers for pipeline.runs and pipeline.describe', async () => {
    const engine = await createEngine({ lakehouseDir: lakehouse.root })
    try {
      const runs = await engine.pipeline.runs({ name: 'sbit', limit: 5 })
      expect(runs.map((r) => r.runId)).toEqual((await readPipelineRuns(lakehouse, session, 'sbit', 5)).map((r) => r.runId))
      const description = await engine.pipeline.describe({ name: 'sbit' })
      expect(description.datasets.map((d) => d.name)).toContain('gold.gym_summary')
      await expect(engine.pipeline.describe({ name: 'nope' })).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' })
    } finally {
      await engine.close()
    }
  })

  it('returns no runs for a pipeline that never ran', async () => {
    expect(await readPipelineRuns(lakehouse, session, 'no_such_pipeline')).toEqual([])
  })
})
