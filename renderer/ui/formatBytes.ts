// formatBytes: how every panel prints a size in bytes (binary units, one decimal below 10).

/** 1536 → "1.5 KB", 52650 → "51 KB"; bytes below 1 KB stay exact; a non-finite size prints as an em dash. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
