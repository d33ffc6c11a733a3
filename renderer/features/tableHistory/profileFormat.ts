// profileFormat: how the Profile tab prints statistics: numbers to four significant digits, histogram edges by scale, percentages.
import type { ColumnProfile, ProfileHistogram } from '../../../engine/api/tablesApi'

/** Integers exact with separators; other numbers to 4 significant digits ("1.235e+9" avoided below 1e15). */
export function formatStat(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US')
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return n.toExponential(2)
  return n.toLocaleString('en-US', { maximumSignificantDigits: 4 })
}

/** A histogram edge: dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM (UTC), numbers via formatStat. */
export function formatEdge(value: number, scale: ProfileHistogram['scale']): string {
  if (scale === 'number') return formatStat(value)
  const iso = new Date(value * 1000).toISOString()
  return scale === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/** "[lower, upper)" for a bin, the last one closed: what a bar's tooltip says it counts. */
export function binLabel(histogram: ProfileHistogram, index: number): string {
  const bin = histogram.bins[index]!
  const last = index === histogram.bins.length - 1
  return `${formatEdge(bin.lower, histogram.scale)} – ${formatEdge(bin.upper, histogram.scale)}${last ? ' (inclusive)' : ''}`
}

/** 0 → "0%"; tiny shares stay visible as "<0.1%"; otherwise one decimal below 10 %, whole numbers above. */
export function formatPercent(percent: number): string {
  if (percent === 0) return '0%'
  if (percent < 0.1) return '<0.1%'
  if (percent < 10) return `${percent.toFixed(1)}%`
  return `${Math.round(percent)}%`
}

/** The one-line summary under a column's range: moments and quartiles for numbers, lengths for strings. */
export function statsLine(column: ColumnProfile): string | null {
  if (column.kind === 'numeric' && column.mean !== null) {
    const parts = [`μ ${formatStat(column.mean)}`]
    if (column.stddev !== null) parts.push(`σ ${formatStat(column.stddev)}`)
    if (column.quartiles) parts.push(`median ${formatStat(column.quartiles[1])}`)
    return parts.join(' · ')
  }
  if (column.kind === 'string' && column.minLength !== null && column.maxLength !== null) {
    return column.minLength === column.maxLength ? `length ${column.minLength}` : `length ${column.minLength}–${column.maxLength}`
  }
  return null
}
