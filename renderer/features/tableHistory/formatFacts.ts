// formatFacts: how the table page prints sizes, counts, commit times and operation parameters.

export { formatBytes } from '../../ui/formatBytes'

/** Thousands separated; null (unknown) as an em dash. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US')
}

/** Commit time in UTC as `YYYY-MM-DD HH:MM:SS`, the way the engine's SQL prints timestamps. */
export function formatCommitTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

/** A parameter or metric value as short text: JSON strings unwrapped, objects compact. */
export function formatParameter(value: unknown): string {
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/**
 * A file statistic as short text: Delta stores timestamp stats as ISO strings (`2024-03-03T20:01:00.000Z`), shown
 * as `2024-03-03 20:01:00` (fractional seconds kept only when not zero) so a min … max pair fits on one line.
 */
export function formatStatValue(value: unknown): string {
  if (typeof value === 'string') {
    const iso = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(value)
    if (iso) {
      const fraction = iso[3] && Number(iso[3]) !== 0 ? iso[3].replace(/0+$/, '') : ''
      const zone = iso[4] && iso[4] !== 'Z' && iso[4] !== '+00:00' ? ` ${iso[4]}` : ''
      return `${iso[1]} ${iso[2]}${fraction}${zone}`
    }
  }
  return formatParameter(value)
}

/** The commit's rows added/removed from its operationMetrics, where the writer recorded them. */
export function rowsChanged(metrics: Record<string, unknown>): { added: number | null; removed: number | null } {
  const num = (...keys: string[]) => {
    for (const key of keys) {
      const v = metrics[key]
      if (v !== undefined && v !== null && v !== '' && Number.isFinite(Number(v))) return Number(v)
    }
    return null
  }
  const inserted = num('numTargetRowsInserted')
  const updated = num('numTargetRowsUpdated', 'numUpdatedRows')
  const added = inserted !== null ? inserted + (updated ?? 0) : num('numOutputRows', 'numAddedRows')
  const removed = num('numTargetRowsDeleted', 'numDeletedRows', 'numRemovedRows')
  return { added, removed }
}

/** One raw action line, re-indented for reading; invalid JSON is shown as it is. */
export function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2)
  } catch {
    return json
  }
}
