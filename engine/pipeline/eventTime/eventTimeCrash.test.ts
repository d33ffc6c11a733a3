// Crash recovery of a windowed streaming table: killed at a durable step of a batch, a rerun gives the clean run's tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../lakehouse/folder'
import { runPipeline } from '../runner'
import { contentOf, createTestLakehouse, fixedClock, removeTestLakehouses, writeFiles, runPipelineUntilKilled } from '../run/testPipelineLakehouse'
import { fileOf, HR_PIPELINE } from './eventTimeTestPipeline'


/** Two runs over files 0 and 1, then file 2 arrives (it brings late rows and closes windows). */
async function twoRuns(): Promise<Lakehouse> {
  const lakehouse = await createTestLakehouse({ ...HR_PIPELINE, ...fileOf(0) })
  for (const next of [fileOf(1), null]) {
    expect((await runPipeline(lakehouse, 'hr', { clock: fixedClock })).status).toBe('completed')
    if (next) await writeFiles(lakehouse, next)
  }
  await writeFiles(lakehouse, fileOf(2))
  return lakehouse
}

afterAll(removeTestLakehouses)

describe('windowed streaming table crash recovery', () => {
  let clean: Record<string, string[]>
  beforeAll(async () => {
    const lakehouse = await twoRuns()
    expect((await runPipeline(lakehouse, 'hr', { clock: fixedClock })).status).toBe('completed')
    clean = await contentOf(lakehouse)
    expect(clean['gold.hr_10min_late']!.length).toBeGreaterThan(0)
  }, 60_000)

  it.each([
    ['offset_written', 'gold.hr_10min'],
    ['target_committed', 'gold.hr_10min'],
    ['batch_committed', 'gold.hr_sessions']
  ])('killed at %s of %s during an incremental batch, a rerun converges to the clean state', async (stage, flow) => {
    const lakehouse = await twoRuns()
    await runPipelineUntilKilled(lakehouse.root, 'hr', stage, flow)
    await contentOf(lakehouse)
    const rerun = await runPipeline(lakehouse, 'hr', { clock: fixedClock })
    expect(rerun.status, rerun.error).toBe('completed')
    expect(await contentOf(lakehouse)).toEqual(clean)
  }, 60_000)
})
