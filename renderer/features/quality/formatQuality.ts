// formatQuality: how the quality page prints counts, pass rates, variances and times.

/** Thousands separated; null (unknown) as an em dash. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US')
}

/** UTC time as `YYYY-MM-DD HH:MM:SS`, the way the engine's SQL prints timestamps; null as an em dash. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

/**
 * Share of rows that passed, as a percentage with just enough decimals that a small failure never rounds to 100%
 * (2 failed of 1,140 is 99.82%, not 100%). No rows evaluated gives null.
 */
export function passRate(passed: number, failed: number): number | null {
  const total = passed + failed
  return total === 0 ? null : (passed / total) * 100
}

/** A pass rate for people: `100%`, `99.82%`, `50%`; null as `no rows`. Never prints 100% while rows failed. */
export function formatPassRate(rate: number | null): string {
  if (rate === null) return 'no rows'
  if (rate === 100 || rate === 0) return `${rate}%`
  const text = rate.toFixed(2).replace(/\.?0+$/, '')
  return text === '100' ? '99.99%' : `${text}%`
}

/** A reconciliation variance (a fraction) as a signed percentage; null means the source was 0. */
export function formatVariance(variance: number | null): string {
  if (variance === null) return 'source empty'
  const percent = variance * 100
  return `${percent > 0 ? '+' : ''}${percent.toFixed(2)}%`
}
