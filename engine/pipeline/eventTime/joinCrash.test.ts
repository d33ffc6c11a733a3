// Crash recovery of a stream-stream join: killed at a durable step of a batch, a rerun gives the clean run's tables and late rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../lakehouse/folder'
import { runPipeline } from '../runner'
import { contentOf, createTestLakehouse, fixedClock, removeTestLakehouses, writeFiles, runPipelineUntilKilled } from '../run/testPipelineLakehouse'
import { JOIN_PIPELINE, JOIN_RUNS, workoutFile } from './joinTestPipeline'


/** Runs 0 and 1 done, the events of run 2 landed (a pair, a late stop, state to evict). */
async function twoRuns(): Promise<Lakehouse> {
  const lakehouse = await createTestLakehouse(JOIN_PIPELINE)
  for (let i = 0; i < 2; i++) {
    await writeFiles(lakehouse, workoutFile(i, JOIN_RUNS[i]!.events))
    expect((await runPipeline(lakehouse, 'wk', { clock: fixedClock })).status).toBe('completed')
  }
  await writeFiles(lakehouse, workoutFile(2, JOIN_RUNS[2]!.events))
  return lakehouse
}

afterAll(removeTestLakehouses)

describe('stream-stream join crash recovery', () => {
  let clean: Record<string, string[]>
  beforeAll(async () => {
    const lakehouse = await twoRuns()
    expect((await runPipeline(lakehouse, 'wk', { clock: fixedClock })).status).toBe('completed')
    clean = await contentOf(lakehouse)
    expect(clean['silver.workout_sessions_late']!.length).toBe(2)
  }, 120_000)

  it.each([
    ['offset_written', 'silver.workout_sessions'],
    ['target_committed', 'silver.workout_sessions'],
    ['batch_committed', 'silver.workout_sessions'],
    ['target_committed', 'silver.workout_outcomes']
  ])('killed at %s of %s during an incremental batch, a rerun converges to the clean state', async (stage, flow) => {
    const lakehouse = await twoRuns()
    await runPipelineUntilKilled(lakehouse.root, 'wk', stage, flow)
    const rerun = await runPipeline(lakehouse, 'wk', { clock: fixedClock })
    expect(rerun.status, rerun.error).toBe('completed')
    expect(await contentOf(lakehouse)).toEqual(clean)
  }, 120_000)
})
