// Runs the retail pipeline over data sets 1 and 2 and checks every table against the documented counts
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../engine/lakehouse/folder'
import { buildPipelineSample } from '../buildPipelineSample'
import { produceDataSet } from '../dataSets'
import { runSamplePipeline, SimulatedClock } from '../pipelineRunner'
import { compareCounts, rerunChanges, warnFailures } from '../samplePipelineCheck'
import { arrowRows } from '../../engine/sql/arrow'
import { SqlEngine } from '../../engine/sql/queryRunner'
import type { DataSetManifest } from '../landingManifest'
import { retailControlExpectations } from './controlExpectations'
import { retailExpectedCounts } from './expectedCounts'
import { RETAIL_START_MS } from './retailDataSets'

const DAY_MS = 86_400_000

describe('retail pipeline over data sets 1 and 2', () => {
  let dir: string
  let lakehouse: Lakehouse
  const manifests: DataSetManifest[] = []
  const clock = new SimulatedClock(RETAIL_START_MS)

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-retail-run-'))
    lakehouse = (await buildPipelineSample(path.join(dir, 'retail'), 'retail', { dataSets: 0 })).lakehouse
  }, 120_000)

  /** Warned rows the landed files of `fileNamePart` hold, over the sets produced so far. */
  const warned = (fileNamePart: string): number =>
    manifests.flatMap((m) => m.files).filter((f) => f.path.includes(fileNamePart)).reduce((n, f) => n + f.rows.warned, 0)

  /** The latest reconciliation per source table and every watermark, as the run recorded them. */
  async function controlTables(): Promise<{ reconciliation: unknown[]; watermarks: unknown[] }> {
    const engine = await SqlEngine.open(lakehouse)
    try {
      const query = async (sql: string): Promise<Record<string, unknown>[]> => arrowRows((await engine.execute(sql))[0]!.arrow)
      const reconciliation = await query(`SELECT source_table, target_table, source_count, target_count, status FROM (
        SELECT *, row_number() OVER (PARTITION BY source_table ORDER BY process_timestamp DESC) AS rn FROM system.reconciliation_log) WHERE rn = 1 ORDER BY source_table`)
      const watermarks = await query("SELECT table_name, date_format(last_processed_timestamp, 'yyyy-MM-dd HH:mm:ss') AS last, status FROM system.watermark_control ORDER BY table_name")
      return {
        reconciliation: reconciliation.map((r) => ({ source: r.source_table, target: r.target_table, sourceCount: Number(r.source_count), targetCount: Number(r.target_count), status: r.status })),
        watermarks: watermarks.map((w) => ({ table: w.table_name, lastProcessed: w.last, status: w.status }))
      }
    } finally {
      engine.close()
    }
  }
  const expectedControl = (n: number): { reconciliation: unknown[]; watermarks: unknown[] } => {
    const want = retailControlExpectations(n)
    return {
      reconciliation: [...want.reconciliation].sort((a, b) => a.source.localeCompare(b.source)),
      watermarks: [...want.watermarks].sort((a, b) => a.table.localeCompare(b.table)).map((w) => ({ ...w, status: 'SUCCESS' }))
    }
  }

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  })

  it('builds pre-stage, stage, silver and gold from set 1 with the documented counts', async () => {
    manifests.push(await produceDataSet(lakehouse.root, 'retail', 1))
    clock.setTo(RETAIL_START_MS + 7 * DAY_MS - 3600_000)
    await runSamplePipeline(lakehouse, 'retail', clock)
    const { expected, actual } = await compareCounts(lakehouse, retailExpectedCounts(1))
    expect(actual).toEqual(expected)
    expect(await warnFailures(lakehouse, 'silver.stg_customers', 'valid_email'), 'valid_email').toBe(warned('customers_'))
    expect(await warnFailures(lakehouse, 'silver.stg_transactions', 'large_order'), 'large_order').toBe(warned('transactions_'))
    expect(await controlTables()).toEqual(expectedControl(1))
  }, 300_000)

  it('commits nothing when run again without new data', async () => {
    expect(await rerunChanges(lakehouse, 'retail', clock)).toEqual({ committedFlows: [], movedTables: {} })
  }, 300_000)

  it('adds set 2: late, duplicate and malformed rows land where the documented counts say', async () => {
    manifests.push(await produceDataSet(lakehouse.root, 'retail', 2))
    clock.setTo(RETAIL_START_MS + 14 * DAY_MS - 3600_000)
    await runSamplePipeline(lakehouse, 'retail', clock)
    const { expected, actual } = await compareCounts(lakehouse, retailExpectedCounts(2))
    expect(actual).toEqual(expected)
    expect(await warnFailures(lakehouse, 'silver.stg_customers', 'valid_email'), 'valid_email').toBe(warned('customers_'))
    expect(await warnFailures(lakehouse, 'silver.stg_transactions', 'large_order'), 'large_order').toBe(warned('transactions_'))
    expect(await controlTables()).toEqual(expectedControl(2))
  }, 300_000)
})
