// Runs the sbit pipeline over data sets 1 and 2 and checks every table against the documented counts
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../engine/lakehouse/folder'
import { buildPipelineSample } from '../buildPipelineSample'
import { produceDataSet } from '../dataSets'
import { runSamplePipeline, SimulatedClock } from '../pipelineRunner'
import { compareCounts, rerunChanges, warnFailures } from '../samplePipelineCheck'
import type { DataSetManifest } from '../landingManifest'
import { sbitExpectedCounts } from './expectedCounts'
import { SBIT_START_MS } from './gymTimeline'

const DAY_MS = 86_400_000

describe('sbit pipeline over data sets 1 and 2', () => {
  let dir: string
  let lakehouse: Lakehouse
  const manifests: DataSetManifest[] = []
  const clock = new SimulatedClock(SBIT_START_MS)

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sbit-run-'))
    lakehouse = (await buildPipelineSample(path.join(dir, 'sbit'), 'sbit', { dataSets: 0 })).lakehouse
  }, 120_000)

  /** Warned rows the landed files of `fileNamePart` hold, over the sets produced so far. */
  const warned = (fileNamePart: string): number =>
    manifests.flatMap((m) => m.files).filter((f) => f.path.includes(fileNamePart)).reduce((n, f) => n + f.rows.warned, 0)

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  })

  it('builds bronze, silver and gold from set 1 with the documented counts', async () => {
    manifests.push(await produceDataSet(lakehouse.root, 'sbit', 1))
    clock.setTo(SBIT_START_MS + 3 * DAY_MS - 3600_000)
    await runSamplePipeline(lakehouse, 'sbit', clock)
    const { expected, actual } = await compareCounts(lakehouse, sbitExpectedCounts(1))
    expect(actual).toEqual(expected)
    expect(await warnFailures(lakehouse, 'bronze.gym_logins', 'visit_under_4_hours'), 'visit_under_4_hours').toBe(warned('gym_logins'))
  }, 300_000)

  it('commits nothing when run again without new data', async () => {
    expect(await rerunChanges(lakehouse, 'sbit', clock)).toEqual({ committedFlows: [], movedTables: {} })
  }, 300_000)

  it('adds set 2: late, duplicate and malformed rows land where the documented counts say', async () => {
    manifests.push(await produceDataSet(lakehouse.root, 'sbit', 2))
    clock.setTo(SBIT_START_MS + 6 * DAY_MS - 3600_000)
    await runSamplePipeline(lakehouse, 'sbit', clock)
    const { expected, actual } = await compareCounts(lakehouse, sbitExpectedCounts(2))
    expect(actual).toEqual(expected)
    expect(await warnFailures(lakehouse, 'bronze.gym_logins', 'visit_under_4_hours'), 'visit_under_4_hours').toBe(warned('gym_logins'))
  }, 300_000)
})
