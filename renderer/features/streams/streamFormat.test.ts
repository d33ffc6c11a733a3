// Tests of the streaming panel's formatting, draft validation, batch merging and chart series.
import { describe, expect, it } from 'vitest'
import type { LateRowInfo, StreamBatchInfo } from '../../../engine/api/streamApi'
import { checkDraft, draftOf } from './producerForm'
import { defaultEventTimeTable, eventTimeSeries, eventTimeTables, hasEventTime, stateSeries } from './streamChartData'
import { formatDuration, formatFraction, lateExplanation, triggerLabel } from './streamFormat'
import { BATCH_LIMIT, mergeBatches } from './streamsStore'

const settings = { filesPerSecond: 2, recordsPerFile: 100, outOfOrder: 0.1, late: 0.02, duplicate: 0.01, malformed: 0 }

function batch(runId: string, batchId: number, timestamp: number, extra: Partial<StreamBatchInfo> = {}): StreamBatchInfo {
  return {
    id: 'pipeline/p', runId, name: 'p', batchId, timestamp, numInputRows: 10, inputRowsPerSecond: 10, processedRowsPerSecond: 20,
    durationMs: { triggerExecution: 5, latestOffset: 1, getBatch: 1, addBatch: 1, walCommit: 1, commitOffsets: 1 },
    stateOperators: [{ numRowsTotal: 3, numRowsUpdated: 1, numRowsDroppedByWatermark: 0 }, { numRowsTotal: 4, numRowsUpdated: 0, numRowsDroppedByWatermark: 0 }],
    sources: [], sink: { description: 's', numOutputRows: 10 }, numRowsLate: 0, ...extra
  }
}

describe('streamFormat', () => {
  it('prints durations, fractions and triggers for people', () => {
    expect([formatDuration(250), formatDuration(1500), formatDuration(60_000), formatDuration(125_000), formatDuration(3_780_000)]).toEqual(['250 ms', '1.5 s', '1 min', '2 min 5 s', '1 h 3 min'])
    expect([formatFraction(0.05), formatFraction(0.025)]).toEqual(['5%', '2.5%'])
    expect(triggerLabel({ kind: 'processingTime', intervalMs: 500 })).toBe('processingTime 500 ms')
    expect(triggerLabel({ kind: 'availableNow' })).toBe('availableNow')
  })

  it('explains a late row by its event time, the watermark and the batch', () => {
    const row: LateRowInfo = { table: 's.t_late', target: 's.t', eventTime: Date.UTC(2026, 0, 1, 7, 48, 30), watermark: Date.UTC(2026, 0, 1, 7, 50), latenessMs: 90_000, batchId: 7, processedAt: null, row: {} }
    expect(lateExplanation(row)).toBe('event time 2026-01-01 07:48:30.000 ≤ watermark 2026-01-01 07:50:00.000 (flow batch 7), late by 1 min 30 s')
    expect(lateExplanation({ ...row, batchId: null })).toBe('event time 2026-01-01 07:48:30.000 ≤ watermark 2026-01-01 07:50:00.000, late by 1 min 30 s')
  })
})

describe('producer draft', () => {
  it('sends only the changed knobs and catches what is visibly wrong', () => {
    expect(checkDraft({ ...draftOf(settings), late: '0.05', filesPerSecond: '10' }, settings).changes).toEqual({ late: 0.05, filesPerSecond: 10 })
    expect(checkDraft(draftOf(settings), settings).changes).toEqual({})
    const bad = checkDraft({ ...draftOf(settings), late: '1.5', recordsPerFile: '2.5', filesPerSecond: '' }, settings)
    expect(bad.errors).toEqual({ late: 'Late fraction must be between 0 and 1', recordsPerFile: 'Records per file must be a whole number of at least 1', filesPerSecond: 'Rate (files/s) must be a number' })
    expect(bad.changes).toEqual({})
    const sum = checkDraft({ ...draftOf(settings), duplicate: '0.9' }, settings)
    expect(sum.sumError).toBe('The late, out-of-order, duplicate and malformed fractions add up to 1.02; at most 1 is possible')
  })
})

describe('batches and chart series', () => {
  it('merges batches without repeats, in trigger order, keeping the newest BATCH_LIMIT', () => {
    const merged = mergeBatches([batch('r1', 0, 100), batch('r1', 1, 200)], [batch('r1', 1, 200), batch('r2', 0, 150)])
    expect(merged.map((b) => `${b.runId}/${b.batchId}`)).toEqual(['r1/0', 'r2/0', 'r1/1'])
    const many = mergeBatches([], Array.from({ length: BATCH_LIMIT + 5 }, (_, i) => batch('r', i, i)))
    expect([many.length, many[0]!.batchId]).toEqual([BATCH_LIMIT, 5])
  })

  it('places late rows with a processing time and sums state rows', () => {
    const b = batch('r', 0, 1000, { eventTime: { watermark: 400, max: 900, min: 500 } })
    const late: LateRowInfo = { table: 't_late', target: 't', eventTime: 300, watermark: 400, latenessMs: 100, batchId: 0, processedAt: 1000, row: {} }
    const series = eventTimeSeries([b], [late, { ...late, processedAt: null }])
    expect(series.maxEventTime).toEqual([[1000, 900]])
    expect(series.watermark).toEqual([[1000, 400]])
    expect(series.late.map((l) => l.point)).toEqual([[1000, 300]])
    expect(series.unplaced).toBe(1)
    expect(stateSeries([b])).toEqual([[1000, 7]])
    expect([hasEventTime([b]), hasEventTime([batch('r', 1, 2)])]).toEqual([true, false])
  })

  it('charts one watermarked table on its own: its operator\'s event time and its late rows only', () => {
    const ops = (far: number) => [
      { operatorName: 'silver.windows', eventTime: { watermark: 400, max: 900, min: 500 }, numRowsTotal: 3, numRowsUpdated: 1, numRowsDroppedByWatermark: 1 },
      { operatorName: 'silver.pairs', eventTime: { watermark: far - 600, max: far, min: far - 100 }, numRowsTotal: 4, numRowsUpdated: 0, numRowsDroppedByWatermark: 0 },
      { numRowsTotal: 1, numRowsUpdated: 0, numRowsDroppedByWatermark: 0 }
    ]
    const b0 = batch('r', 0, 1000, { eventTime: { watermark: 400, max: 90_000, min: 500 }, stateOperators: ops(90_000) })
    const b1 = batch('r', 1, 2000, { eventTime: { watermark: 400, max: 95_000, min: 500 }, stateOperators: ops(95_000).slice(1) })
    const late = (target: string, eventTime: number): LateRowInfo => ({ table: `${target}_late`, target, eventTime, watermark: 400, latenessMs: 400 - eventTime, batchId: 1, processedAt: 2000, row: {} })
    const rows = [late('silver.windows', 300), late('silver.windows', 350), late('silver.pairs', 100)]
    expect(eventTimeTables([b0, b1])).toEqual(['silver.windows', 'silver.pairs'])
    expect(defaultEventTimeTable(['silver.pairs', 'silver.windows'], rows)).toBe('silver.windows')
    expect(defaultEventTimeTable(['silver.pairs', 'silver.windows'], [])).toBe('silver.pairs')
    expect(defaultEventTimeTable([], rows)).toBeNull()
    const windows = eventTimeSeries([b0, b1], rows, 'silver.windows')
    // Batch 1 has no operator for the table: a gap, not the batch-wide value.
    expect(windows.maxEventTime).toEqual([[1000, 900], [2000, null]])
    expect(windows.watermark).toEqual([[1000, 400], [2000, null]])
    expect(windows.late.map((l) => l.point)).toEqual([[2000, 300], [2000, 350]])
    expect(eventTimeSeries([b0, b1], rows, null).maxEventTime).toEqual([[1000, 90_000], [2000, 95_000]])
    expect(eventTimeSeries([b0, b1], rows, null).late).toHaveLength(3)
  })
})
