// tableFacts: how the explorer prints a table's row count, size and last change (short text plus the exact value for a tooltip).

/** 1925 → "1,925"; from a million on "12.3M" (the exact count goes in the tooltip). */
export function shortCount(n: number): string {
  if (n < 1_000_000) return n.toLocaleString('en-US')
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M']]
  const [size, unit] = units.find(([s]) => n >= s)!
  const value = n / size
  return `${value.toFixed(value < 10 ? 1 : 0)}${unit}`
}

/** A table's size for the explorer line (the same units as everywhere else). */
export { formatBytes as shortBytes } from '../../ui/formatBytes'

/** How long before `now` `time` was, coarsely: "just now", "5 min ago", "3 h ago", "2 d ago", "4 mo ago", "2 y ago". */
export function relativeTime(time: number, now: number): string {
  const seconds = Math.max(0, (now - time) / 1000)
  if (seconds < 45) return 'just now'
  const minutes = seconds / 60
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))} min ago`
  const hours = minutes / 60
  if (hours < 24) return `${Math.round(hours)} h ago`
  const days = hours / 24
  if (days < 30) return `${Math.round(days)} d ago`
  const months = days / 30.44
  if (months < 12) return `${Math.max(1, Math.round(months))} mo ago`
  return `${Math.max(1, Math.round(months / 12))} y ago`
}

/** The exact commit time for the tooltip: `YYYY-MM-DD HH:MM:SS UTC`, as the table page prints commit times. */
export function exactTime(time: number): string {
  const iso = new Date(time).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}
