// Event time and state of a micro-batch from a hand-built pipeline run: min watermark, widest range, one operator per stateful flow, named by its table.
import { describe, expect, it } from 'vitest'
import type { FlowResult } from '../pipeline/runner'
import { batchEventTime, batchStateOperators } from './pipelineBatchProgress'

function flow(name: string, extra: Partial<FlowResult> = {}): FlowResult {
  return { flow: name, target: `gold.${name}`, kind: 'streaming_table', status: 'completed', rowsIn: 0, rowsWritten: 0, rowsQuarantined: 0, expectations: [], version: null, durationMs: 1, ...extra }
}

describe('batch progress of a pipeline run', () => {
  it('takes the lowest watermark and the widest event-time range of the watermarked flows', () => {
    const run = {
      flows: [
        flow('bronze'),
        flow('a', { eventTime: { watermark: 5_000, min: 1_000, max: 9_000 } }),
        flow('b', { eventTime: { watermark: 3_000, min: 2_000, max: 12_000 } }),
        flow('c', { eventTime: { watermark: null, min: null, max: null } })
      ]
    }
    expect(batchEventTime(run)).toEqual({ watermark: 3_000, min: 1_000, max: 12_000 })
  })

  it('has no event time without watermarked flows, and a null watermark before any flow has one', () => {
    expect(batchEventTime({ flows: [flow('bronze'), flow('silver')] })).toBeUndefined()
    expect(batchEventTime({ flows: [flow('a', { eventTime: { watermark: null, min: 10, max: 20 } })] })).toEqual({ watermark: null, min: 10, max: 20 })
  })

  it('reports one state operator per stateful flow with its late rows as dropped by the watermark', () => {
    const run = {
      flows: [
        flow('bronze', { rowsLate: 4 }),
        flow('windows', { rowsLate: 2, state: { rowsTotal: 30, rowsUpdated: 7, rowsRemoved: 5 }, eventTime: { watermark: 100, min: 50, max: 900 } }),
        flow('sessions', { state: { rowsTotal: 3, rowsUpdated: 1, rowsRemoved: 0 } })
      ]
    }
    expect(batchStateOperators(run)).toEqual([
      { operatorName: 'gold.windows', eventTime: { watermark: 100, min: 50, max: 900 }, numRowsTotal: 30, numRowsUpdated: 7, numRowsDroppedByWatermark: 2, numRowsRemoved: 5 },
      { operatorName: 'gold.sessions', numRowsTotal: 3, numRowsUpdated: 1, numRowsDroppedByWatermark: 0, numRowsRemoved: 0 }
    ])
    expect(batchStateOperators({ flows: [flow('bronze')] })).toEqual([])
  })
})
