// streamFormat: how the streaming panel prints counts, times, durations, triggers, and why a row was late.
import type { LateRowInfo, StreamBatchInfo, StreamTrigger } from '../../../engine/api/streamApi'

/** Thousands separated; null (unknown) as an em dash. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US')
}

/** A rate with one decimal below 100 (`12.5`), whole above (`1,250`). */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return Math.abs(n) < 100 ? n.toFixed(1).replace(/\.0$/, '') : formatCount(n)
}

/** UTC time as `YYYY-MM-DD HH:MM:SS` (milliseconds added when `withMs`), the way the engine's SQL prints timestamps. */
export function formatTime(ms: number | null | undefined, withMs = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, withMs ? 23 : 19)}`
}

/** A duration for people: `250 ms`, `1.5 s`, `2 min 5 s`, `1 h 3 min`. Negative durations keep their sign. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms < 0) return `-${formatDuration(-ms)}`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0).replace(/\.0$/, '')} s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`
}

/** A fraction in [0, 1] as a percentage: `5%`, `2.5%`. */
export function formatFraction(f: number): string {
  return `${Number((f * 100).toFixed(2))}%`
}

/** `processingTime 500 ms`, `availableNow`, `once`. */
export function triggerLabel(trigger: StreamTrigger): string {
  return trigger.kind === 'processingTime' ? `processingTime ${formatDuration(trigger.intervalMs)}` : trigger.kind
}

/** State rows the batch kept: the sum over its stateful operators. */
export function stateRowsOf(batch: StreamBatchInfo): number {
  return batch.stateOperators.reduce((n, op) => n + op.numRowsTotal, 0)
}

/**
 * Why a row was late, in the engine's terms: `event time T ≤ watermark W (flow batch N: the batch of the late table's flow), late by X`. The batch is left out
 * when it was not recorded.
 */
export function lateExplanation(row: LateRowInfo): string {
  const batch = row.batchId === null ? '' : ` (flow batch ${row.batchId})`
  return `event time ${formatTime(row.eventTime, true)} ≤ watermark ${formatTime(row.watermark, true)}${batch}, late by ${formatDuration(row.latenessMs)}`
}

/** A stable identity for a late row, so a selection survives a reload of the list. */
export function lateRowKey(row: LateRowInfo): string {
  return `${row.table}|${row.batchId ?? ''}|${row.processedAt ?? ''}|${row.eventTime}|${JSON.stringify(row.row)}`
}

/** A cell of a late row as text: null as NULL, numbers separated, the rest as is. */
export function formatValue(value: string | number | boolean | null): string {
  if (value === null) return 'NULL'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)))
  return String(value)
}
