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

/**
 * (b) Event time against processing time: the newest event time each batch read and the watermark it ran with
 * (gaps where the pipeline recorded none), and the late rows as points.
 */
export function eventTimeSeries(batches: StreamBatchInfo[], lateRows: LateRowInfo[]): EventTimeSeries {
  const placed = lateRows.filter((r) => r.processedAt !== null)
  return {
    maxEventTime: batches.map((b) => [b.timestamp, b.eventTime?.max ?? null]),
    watermark: batches.map((b) => [b.timestamp, b.eventTime?.watermark ?? null]),
    late: placed.map((r) => ({ point: [r.processedAt!, r.eventTime], key: lateRowKey(r) })),
    unplaced: lateRows.length - placed.length
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
