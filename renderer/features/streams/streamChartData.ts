// streamChartData: the live charts' series, computed from batches and late rows (x is always the batch's trigger time).
import type { LateRowInfo, StreamBatchInfo } from '../../../engine/api/streamApi'
import { lateRowKey, stateRowsOf } from './streamFormat'

/** A point of a time-axis series: [x ms, y]; y null leaves a gap. */
export type Point = [number, number | null]

export interface ThroughputSeries {
  input: Point[]
  processed: Point[]
}

export interface EventTimeSeries {
  maxEventTime: Point[]
  watermark: Point[]
  /** Late rows that can be placed (processedAt known): [processedAt, eventTime], with the row's key for clicks. */
  late: { point: [number, number]; key: string }[]
  /** Late rows without a processing time: listed beside the chart, not drawn. */
  unplaced: number
}

/** (a) Input rows/s and processed rows/s per batch. */
export function throughputSeries(batches: StreamBatchInfo[]): ThroughputSeries {
  return {
    input: batches.map((b) => [b.timestamp, b.inputRowsPerSecond]),
    processed: batches.map((b) => [b.timestamp, b.processedRowsPerSecond])
  }
}

/** The stateful tables whose batches record their own event time (StreamStateOperatorInfo), in first-seen order. */
export function eventTimeTables(batches: StreamBatchInfo[]): string[] {
  const names = new Set<string>()
  for (const b of batches) for (const op of b.stateOperators) if (op.operatorName && op.eventTime) names.add(op.operatorName)
  return [...names]
}

/**
 * The table chart (b) shows first: the one with the most late rows listed (late rows are what the chart explains), else
 * the first watermarked table; null when batches carry no per-table event time (the batch-wide one is shown).
 */
export function defaultEventTimeTable(tables: string[], lateRows: LateRowInfo[]): string | null {
  if (tables.length === 0) return null
  const lateCount = (t: string) => lateRows.filter((r) => r.target === t).length
  return tables.reduce((best, t) => (lateCount(t) > lateCount(best) ? t : best), tables[0]!)
}

/**
 * (b) Event time against processing time: the newest event time each batch read and the watermark it ran with
 * (gaps where none was recorded), and the late rows as points. With `table`, only that table's operator and late rows,
 * so one stream's line is not squeezed by another's far-off event times; with null, the batch-wide values and every row.
 */
export function eventTimeSeries(batches: StreamBatchInfo[], lateRows: LateRowInfo[], table: string | null = null): EventTimeSeries {
  const eventTimeOf = (b: StreamBatchInfo) => (table === null ? b.eventTime : b.stateOperators.find((op) => op.operatorName === table)?.eventTime)
  const rows = table === null ? lateRows : lateRows.filter((r) => r.target === table)
  const placed = rows.filter((r) => r.processedAt !== null)
  return {
    maxEventTime: batches.map((b) => [b.timestamp, eventTimeOf(b)?.max ?? null]),
    watermark: batches.map((b) => [b.timestamp, eventTimeOf(b)?.watermark ?? null]),
    late: placed.map((r) => ({ point: [r.processedAt!, r.eventTime], key: lateRowKey(r) })),
    unplaced: rows.length - placed.length
  }
}

/** (c) State rows kept after each batch (all stateful operators together). */
export function stateSeries(batches: StreamBatchInfo[]): Point[] {
  return batches.map((b) => [b.timestamp, stateRowsOf(b)])
}

/** True when the pipeline records event time (a watermarked table): otherwise chart (b) has nothing to draw. */
export function hasEventTime(batches: StreamBatchInfo[]): boolean {
  return batches.some((b) => b.eventTime !== undefined && (b.eventTime.max !== null || b.eventTime.watermark !== null))
}
