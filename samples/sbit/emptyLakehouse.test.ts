// The sbit pipeline run before any feed landed (what `lakebench stream` does on an empty sbit lakehouse): no flow fails, and data set 1 then gives the documented counts.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildPipelineSample } from '../buildPipelineSample'
import { produceDataSet } from '../dataSets'
import { runSamplePipeline, SimulatedClock } from '../pipelineRunner'
import { compareCounts } from '../samplePipelineCheck'
import { sbitExpectedCounts } from './expectedCounts'
import { SBIT_START_MS } from './gymTimeline'

const DAY_MS = 86_400_000
let dir: string | undefined

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

describe('sbit on an empty lakehouse', () => {
  it('creates the bronze tables empty, runs every flow without failing, then reaches the data set 1 counts', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sbit-empty-'))
    const { lakehouse } = await buildPipelineSample(path.join(dir, 'sbit'), 'sbit', { dataSets: 0 })
    const clock = new SimulatedClock(SBIT_START_MS)
    const empty = await runSamplePipeline(lakehouse, 'sbit', clock)
    expect(empty.flows.filter((f) => f.status === 'failed')).toEqual([])
    // Every bronze feed declares its schema, so its table exists (empty) before the first file lands.
    for (const table of ['bronze.registered_users', 'bronze.gym_logins', 'bronze.kafka_multiplex']) {
      expect(empty.flows.find((f) => f.target === table), table).toMatchObject({ status: 'completed', rowsWritten: 0 })
    }
    const live = await runSamplePipeline(lakehouse, 'sbit_live', clock)
    expect(live.flows.filter((f) => f.status === 'failed')).toEqual([])

    await produceDataSet(lakehouse.root, 'sbit', 1)
    clock.setTo(SBIT_START_MS + 3 * DAY_MS - 3600_000)
    await runSamplePipeline(lakehouse, 'sbit', clock)
    const { expected, actual } = await compareCounts(lakehouse, sbitExpectedCounts(1))
    expect(actual).toEqual(expected)
  }, 300_000)
})
