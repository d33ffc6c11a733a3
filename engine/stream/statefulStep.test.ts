// The StatefulStep seam: what the runner passes a stateful stage and how its emitted and late rows reach the sink and <sink>_late.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { ManualClock } from './clock'
import type { StatefulStepInput } from './statefulStep'
import { StreamingQuery } from './streamingQuery'
import { eventsSource, eventsTransform, landEvents, sinkIds, streamTestLakehouse, useStreamTestSession } from './testing/streamTestLakehouse'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

describe('StatefulStep seam', () => {
  it('gets each batch with its recorded watermark and state folder; emitted rows go to the sink, late rows to <sink>_late', async () => {
    const root = await streamTestLakehouse()
    await landEvents(root, 'a.json', [100, 200])
    await landEvents(root, 'b.json', [50, 300])
    const calls: Omit<StatefulStepInput, 'port'>[] = []
    const query = new StreamingQuery({
      name: 'windows', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform,
      sink: { table: 'silver.events', mode: 'append' }, trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port,
      recordProgress: false, eventTime: { column: 'id', delayMs: 10 },
      // A stand-in operator: rows below the watermark are late, the rest are emitted; it records its state as a file.
      statefulStep: async ({ port: p, relation, watermarkMs, batchId, stateDir, restoreFrom }) => {
        calls.push({ relation, watermarkMs, batchId, stateDir, restoreFrom })
        const wm = watermarkMs ?? -1
        await p.exec(`CREATE OR REPLACE TEMP TABLE op_out AS SELECT * FROM ${relation} WHERE id >= ${wm}`)
        await p.exec(`CREATE OR REPLACE TEMP TABLE op_late AS SELECT *, ${wm} - id AS _lateness_ms FROM ${relation} WHERE id < ${wm}`)
        const late = Number((await p.query('SELECT count(*) AS n FROM op_late'))[0]!.n)
        await fs.mkdir(stateDir, { recursive: true })
        await fs.writeFile(path.join(stateDir, 'state.json'), '{}')
        return { emitted: 'op_out', late: ['op_late'], numLateRows: late, stateOperators: [{ numRowsTotal: 0, numRowsUpdated: 0, numRowsDroppedByWatermark: 0 }] }
      }
    })
    const late: number[] = []
    query.onProgress((p) => late.push(p.numRowsLate))
    await query.start()
    expect(await query.awaitTermination()).toBe('completed')
    // Batch 1 uses the watermark computed at the end of batch 0: max(100, 200) - 10 = 190. Batch 1 moved it to 300 - 10 = 290
    // with no data left: Spark's no-data batch 2 runs so a stateful step can emit what that watermark closes.
    expect(calls.map((c) => [c.batchId, c.watermarkMs])).toEqual([[0, null], [1, 190], [2, 290]])
    expect(calls[1]!.stateDir).toBe(path.join(root, 'checkpoints', 'windows', 'state', '1'))
    expect(calls.map((c) => c.restoreFrom)).toEqual([null, null, null])
    expect(late).toEqual([0, 1, 0])
    expect(await sinkIds(port, root, 'silver.events')).toEqual([100, 200, 300])
    expect(await sinkIds(port, root, 'silver.events_late')).toEqual([50])
    // A restart hands the step the last committed batch's state folder to restore, and resumes the saved watermark.
    await landEvents(root, 'c.json', [400])
    const again = new StreamingQuery({
      name: 'windows', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
      trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port, recordProgress: false, eventTime: { column: 'id', delayMs: 10 },
      statefulStep: async (input) => {
        calls.push(input)
        return { emitted: input.relation, late: [], numLateRows: 0, stateOperators: [] }
      }
    })
    await again.start()
    await again.awaitTermination()
    expect(calls[3]!.restoreFrom).toBe(path.join(root, 'checkpoints', 'windows', 'state', '2'))
    expect(calls[3]!.watermarkMs).toBe(290)
    // 400 moved the watermark to 390: one more no-data batch; nothing after it.
    expect(calls.slice(3).map((c) => [c.batchId, c.watermarkMs])).toEqual([[3, 290], [4, 390]])
  })
})
