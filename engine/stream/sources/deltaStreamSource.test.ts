// DeltaStreamSource: the initial snapshot, then appends version by version; commits that remove data fail unless skipped.
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../delta/deltaTable'
import { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { tableRootOf } from '../deltaSink'
import { StreamingQuery, type StreamingQueryOptions } from '../streamingQuery'
import { sinkIds, streamTestLakehouse, useStreamTestSession } from '../testing/streamTestLakehouse'
import { DeltaStreamSource } from './deltaStreamSource'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

async function bronze(root: string): Promise<DeltaTable> {
  const table = await DeltaTable.create(tableRootOf(root, 'bronze.events'), port, {
    schema: { type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] }, sourceSql: 'SELECT range AS id FROM range(3)'
  })
  return table
}

const options = (root: string, skipChangeCommits = false): StreamingQueryOptions => ({
  name: 'bronze_to_silver', lakehouseRoot: root, sources: [new DeltaStreamSource({ lakehouseRoot: root, table: 'bronze.events', skipChangeCommits })],
  sink: { table: 'silver.events', mode: 'append' }, trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port, recordProgress: false
})

async function run(opts: StreamingQueryOptions): Promise<string> {
  const q = new StreamingQuery(opts)
  await q.start()
  return q.awaitTermination()
}

describe('DeltaStreamSource', () => {
  it('streams the snapshot, then only rows of new append commits', async () => {
    const root = await streamTestLakehouse()
    const table = await bronze(root)
    expect(await run(options(root))).toBe('completed')
    await table.write({ mode: 'append', sourceSql: 'SELECT 10 AS id' })
    await table.write({ mode: 'append', sourceSql: 'SELECT 11 AS id UNION ALL SELECT 12' })
    expect(await run(options(root))).toBe('completed')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2, 10, 11, 12])
  })

  it('a commit that removes rows fails the query naming the version, unless skipChangeCommits', async () => {
    const root = await streamTestLakehouse()
    const table = await bronze(root)
    expect(await run(options(root))).toBe('completed')
    await table.delete('id = 1')
    await table.write({ mode: 'append', sourceSql: 'SELECT 20 AS id' })
    await expect(run(options(root))).rejects.toMatchObject({ code: 'DELTA_SOURCE_CHANGE_COMMIT', message: expect.stringContaining('version 1 of table bronze.events') })
    // The failed batch's offsets are recorded; the restart with skipChangeCommits re-runs it without the delete.
    expect(await run(options(root, true))).toBe('completed')
    expect(await sinkIds(port, root, 'silver.events')).toEqual([0, 1, 2, 20])
  })
})
