// Crash recovery: a child process runs the pipeline and SIGKILLs itself at a durable step of a flow; every table must
// stay readable, and rerunning must converge to exactly the state of a clean run (same files, same clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPipeline } from './runner'
import { contentOf, fixedClock, removeTestLakehouses, shopLakehouse, writeFiles, runPipelineUntilKilled } from './run/testPipelineLakehouse'

const NEW_FILES = {
  'landing/users/u2.csv': 'id,name,age,signup\n5,eve,22,2024-02-01 09:00:00\n6,,19,2024-02-02 09:00:00\n',
  'landing/events/e2.json': '{"user_id":5,"kind":"login","amount":3}\n{"kind":"orphan"}\n'
}

const CRASH_POINTS: [stage: string, flow: string][] = [
  ['offset_written', 'bronze.users'],
  ['target_committed', 'bronze.events'],
  ['quarantine_committed', 'silver.users'],
  ['target_committed', 'silver.users'],
  ['batch_committed', 'silver.events'],
  ['target_committed', 'gold.user_activity']
]

afterAll(removeTestLakehouses)

describe('pipeline crash recovery', () => {
  let clean: Record<string, string[]>
  let cleanAfterNewFiles: Record<string, string[]>
  beforeAll(async () => {
    const lakehouse = await shopLakehouse()
    expect((await runPipeline(lakehouse, 'shop', { clock: fixedClock })).status).toBe('completed')
    clean = await contentOf(lakehouse)
    await writeFiles(lakehouse, NEW_FILES)
    expect((await runPipeline(lakehouse, 'shop', { clock: fixedClock })).status).toBe('completed')
    cleanAfterNewFiles = await contentOf(lakehouse)
  }, 60_000)

  it.each(CRASH_POINTS)('killed at %s of %s, a rerun converges to the clean state', async (stage, flow) => {
    const lakehouse = await shopLakehouse()
    await runPipelineUntilKilled(lakehouse.root, 'shop', stage, flow)
    // Every table that exists opens at its last commit.
    await contentOf(lakehouse)
    const rerun = await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    expect(rerun.status, rerun.error).toBe('completed')
    expect(await contentOf(lakehouse)).toEqual(clean)
  }, 60_000)

  it('killed during an incremental batch, a rerun converges to the clean state', async () => {
    const lakehouse = await shopLakehouse()
    expect((await runPipeline(lakehouse, 'shop', { clock: fixedClock })).status).toBe('completed')
    await writeFiles(lakehouse, NEW_FILES)
    await runPipelineUntilKilled(lakehouse.root, 'shop', 'quarantine_committed', 'silver.users')
    const rerun = await runPipeline(lakehouse, 'shop', { clock: fixedClock })
    expect(rerun.status, rerun.error).toBe('completed')
    expect(await contentOf(lakehouse)).toEqual(cleanAfterNewFiles)
    expect(cleanAfterNewFiles['silver.users_quarantine']).toHaveLength(2)
  }, 60_000)
})
