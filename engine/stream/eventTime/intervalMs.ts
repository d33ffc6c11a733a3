// Parses Spark-style interval strings ('10 minutes', '1 hour 30 minutes', '500 ms') into milliseconds.
import { EventTimeError } from './eventTimeError'

const unitMs: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000
}

/**
 * Converts an interval to milliseconds. Numbers are taken as milliseconds already. Strings are one or more
 * `<number> <unit>` pairs, optionally prefixed by `INTERVAL` (as in `WATERMARK ts DELAY OF INTERVAL 10 MINUTES`).
 * Months and years are refused because their length depends on the calendar, as Spark refuses them for windows.
 * @throws EventTimeError INVALID_INTERVAL when the text does not parse or the result is negative (or zero when `positive`).
 */
export function parseIntervalMs(interval: string | number, options: { positive?: boolean } = {}): number {
  let total: number
  if (typeof interval === 'number') {
    total = interval
  } else {
    const text = interval.trim().replace(/^interval\s+/i, '').replace(/^'(.*)'$/, '$1').toLowerCase()
    const pattern = /(\d+(?:\.\d+)?)\s*([a-z]+)/g
    total = 0
    let consumed = ''
    for (const m of text.matchAll(pattern)) {
      const unit = unitMs[m[2]!]
      if (unit === undefined) throw new EventTimeError('INVALID_INTERVAL', `unknown unit '${m[2]}' in interval '${interval}'`)
      total += Number(m[1]) * unit
      consumed += m[0]
    }
    if (consumed.replace(/\s+/g, '') !== text.replace(/\s+/g, '') || consumed === '') {
      throw new EventTimeError('INVALID_INTERVAL', `cannot parse interval '${interval}' (expected e.g. '10 minutes')`)
    }
  }
  if (!Number.isFinite(total) || total < 0 || (options.positive && total === 0)) {
    throw new EventTimeError('INVALID_INTERVAL', `interval '${interval}' must be ${options.positive ? 'positive' : 'non-negative'}`)
  }
  return Math.round(total)
}
