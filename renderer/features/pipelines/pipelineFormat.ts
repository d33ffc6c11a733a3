// pipelineFormat: how the pipeline panel writes counts, durations, times, rates, statuses and pipeline file paths.
import type { NodeStatus } from './runProgress'

/** 1234567 → "1,234,567". */
export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** 850 → "850 ms", 12_400 → "12.4 s", 125_000 → "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** Wall-clock time with milliseconds, for the event log: "14:03:07.215". */
export function formatClock(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** A date and time for the run history: "2026-01-04 02:00:00". */
export function formatDateTime(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** 0.99712 → "99.7%"; exactly 1 → "100%"; null (nothing checked) → "–". */
export function formatRate(rate: number | null): string {
  if (rate === null) return '–'
  if (rate === 1) return '100%'
  return `${(Math.floor(rate * 1000) / 10).toFixed(1)}%`
}

const statusLabels: Record<NodeStatus, string> = {
  idle: 'not run',
  running: 'running',
  completed: 'completed',
  no_new_data: 'no new data',
  unchanged: 'unchanged',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled'
}

export const statusLabel = (status: NodeStatus): string => statusLabels[status]

/** A pipeline file as people find it in the lakehouse folder: the part from `pipelines/` on, else the path as given. */
export function shortPipelinePath(file: string): string {
  const normalised = file.replace(/\\/g, '/')
  const at = normalised.lastIndexOf('/pipelines/')
  return at >= 0 ? normalised.slice(at + 1) : normalised
}
