// S3: every way of damaging a checkpoint either resumes exactly or refuses with a named error; never silent reprocessing.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { StreamingQuery, type StreamingQueryOptions } from '../streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from '../testing/streamTestLakehouse'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const options = (root: string, over: Partial<StreamingQueryOptions> = {}): StreamingQueryOptions => ({
  name: 'q', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
  trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port, recordProgress: false, ...over
})

async function run(opts: StreamingQueryOptions): Promise<number[]> {
  const q = new StreamingQuery(opts)
  const batches: number[] = []
  q.onProgress((p) => batches.push(p.batchId))
  await q.start()
  expect(await q.awaitTermination()).toBe('completed')
  return batches
}

/** A lakehouse whose query committed batches 0..2 (one file each), plus a fourth file not read yet. */
async function committedThree(): Promise<{ root: string; cp: string }> {
  const root = await streamTestLakehouse()
  for (let f = 0; f < 3; f++) await landEvents(root, `f${f}.json`, [f])
  expect(await run(options(root))).toEqual([0, 1, 2])
  await landEvents(root, 'f3.json', [3])
  return { root, cp: path.join(root, 'checkpoints', 'q') }
}

async function startError(opts: StreamingQueryOptions): Promise<{ code: string; message: string }> {
  const error = await new StreamingQuery(opts).start().then(() => null, (e: unknown) => e as { code: string; message: string })
  expect(error).not.toBeNull()
  return error!
}

describe('checkpoint tampering (S3)', () => {
  it('deleted commits/N: batch N re-runs with the same offsets and the txn makes its sink write a no-op', async () => {
    const { root, cp } = await committedThree()
    const before = await fs.readFile(path.join(cp, 'offsets', '2'), 'utf8')
    await fs.rm(path.join(cp, 'commits', '2'))
    expect(await run(options(root))).toEqual([2, 3])
    expect(JSON.parse(await fs.readFile(path.join(cp, 'offsets', '2'), 'utf8'))).toEqual(JSON.parse(before))
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2, 3])
  })

  it('deleted offsets/N of an older batch: resumes from the newest complete pair', async () => {
    const { root, cp } = await committedThree()
    await fs.rm(path.join(cp, 'offsets', '1'))
    expect(await run(options(root))).toEqual([3])
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2, 3])
  })

  it('deleted offsets/N of the newest committed batch: refuses, naming the file', async () => {
    const { root, cp } = await committedThree()
    await fs.rm(path.join(cp, 'offsets', '2'))
    const e = await startError(options(root))
    expect(e.code).toBe('CHECKPOINT_CORRUPT')
    expect(e.message).toContain(path.join(cp, 'offsets', '2'))
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2])
  })

  it('deleted metadata with offsets present: MISSING_METADATA_FILE', async () => {
    const { root, cp } = await committedThree()
    await fs.rm(path.join(cp, 'metadata'))
    const e = await startError(options(root))
    expect(e.code).toBe('MISSING_METADATA_FILE')
    expect(e.message).toContain(path.join(cp, 'metadata'))
  })

  it.each([
    ['truncated to 0 bytes', ''],
    ['garbage JSON', '{"batchId": 2, "sources": {"files:landing/ev']
  ])('offsets file %s: CHECKPOINT_CORRUPT naming it', async (_what, body) => {
    const { root, cp } = await committedThree()
    await fs.writeFile(path.join(cp, 'offsets', '2'), body)
    const e = await startError(options(root))
    expect(e.code).toBe('CHECKPOINT_CORRUPT')
    expect(e.message).toContain(path.join(cp, 'offsets', '2'))
  })

  it('garbage metadata: CHECKPOINT_CORRUPT naming it', async () => {
    const { root, cp } = await committedThree()
    await fs.writeFile(path.join(cp, 'metadata'), 'not json')
    const e = await startError(options(root))
    expect(e.code).toBe('CHECKPOINT_CORRUPT')
    expect(e.message).toContain(path.join(cp, 'metadata'))
  })

  it('whole checkpoint deleted while the sink has batches of this stream: CHECKPOINT_RESET_REQUIRED unless reset', async () => {
    const { root, cp } = await committedThree()
    await fs.rm(cp, { recursive: true })
    const e = await startError(options(root))
    expect(e.code).toBe('CHECKPOINT_RESET_REQUIRED')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2])
    // An explicit reset reprocesses everything under a new query id: the user asked for it.
    expect(await run(options(root, { reset: true }))).toEqual([0, 1, 2, 3])
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 0, 1, 1, 2, 2, 3])
  })

  it('changed sources or sink: QUERY_CHANGED naming the change', async () => {
    const { root } = await committedThree()
    const other = eventsSource(root)
    Object.defineProperty(other, 'id', { value: 'files:landing/other' })
    const e1 = await startError(options(root, { sources: [other] }))
    expect(e1.code).toBe('QUERY_CHANGED')
    expect(e1.message).toContain('sources changed from [files:landing/events] to [files:landing/other]')
    const e2 = await startError(options(root, { sink: { table: 'silver.other', mode: 'append' } }))
    expect(e2.code).toBe('QUERY_CHANGED')
    expect(e2.message).toContain('sink changed from silver.events to silver.other')
  })
})
