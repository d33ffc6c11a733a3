// Spark (java.time DateTimeFormatter) datetime patterns: parsing text to an instant and formatting an instant, in a zone.

/** One element of a pattern: a run of one letter, literal text, or an optional section. */
type PatternPart = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string } | { kind: 'optional'; parts: PatternPart[] }

/** Raised for patterns Spark rejects (it raises SparkUpgradeException / INCONSISTENT_BEHAVIOR_CROSS_VERSION for them). */
export class DatePatternError extends Error {}

/** Letters Spark accepts, with the longest run it allows. */
const MAX_RUN: Record<string, number> = {
  y: 9, u: 9, M: 4, L: 4, d: 2, D: 3, H: 2, h: 2, k: 2, K: 2, m: 2, s: 2, S: 9, a: 1, E: 4, q: 4, Q: 4,
  z: 4, Z: 5, X: 5, x: 5, V: 2, O: 4
}

const parsedPatterns = new Map<string, PatternPart[]>()

/** Splits a pattern into parts (cached). @throws DatePatternError for letters or runs Spark rejects. */
export function parsePattern(pattern: string): PatternPart[] {
  let parts = parsedPatterns.get(pattern)
  if (!parts) {
    parts = splitPattern(pattern)
    if (parsedPatterns.size > 1000) parsedPatterns.clear()
    parsedPatterns.set(pattern, parts)
  }
  return parts
}

function splitPattern(pattern: string): PatternPart[] {
  const stack: PatternPart[][] = [[]]
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!
    const top = stack[stack.length - 1]!
    if (ch === "'") {
      const close = pattern.indexOf("'", i + 1)
      const text = close < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, close)
      top.push({ kind: 'literal', text: close === i + 1 ? "'" : text })
      i = close < 0 ? pattern.length : close + 1
    } else if (ch === '[') {
      const parts: PatternPart[] = []
      top.push({ kind: 'optional', parts })
      stack.push(parts)
      i++
    } else if (ch === ']') {
      if (stack.length > 1) stack.pop()
      i++
    } else if (/[A-Za-z]/.test(ch)) {
      let n = 1
      while (pattern[i + n] === ch) n++
      const max = MAX_RUN[ch]
      if (max === undefined || n > max) throw new DatePatternError(`Spark rejects the datetime pattern '${pattern}' ('${ch.repeat(n)}')`)
      top.push({ kind: 'field', letter: ch, count: n })
      i += n
    } else {
      top.push({ kind: 'literal', text: ch })
      i++
    }
  }
  return stack[0]!
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const SHORT_ZONES: Record<string, string> = { PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', EST: '-05:00', CST: 'America/Chicago', MST: '-07:00', UTC: 'UTC', GMT: 'UTC', Z: 'UTC', CET: 'Europe/Paris' }

/** Wall-clock fields in a zone. */
export interface WallClock {
  year: number; month: number; day: number; hour: number; minute: number; second: number; micros: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Offsets per zone and UTC quarter-hour: zone rules change on quarter-hour boundaries, and Intl is slow per row. */
const offsetCache = new Map<string, number>()

/** The offset (ms, local minus UTC) of a zone at an instant. `+hh:mm` zones are fixed. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  const key = `${zone}@${Math.floor(epochMs / 900_000)}`
  let offset = offsetCache.get(key)
  if (offset === undefined) {
    offset = computeZoneOffsetMs(zone, Math.floor(epochMs / 900_000) * 900_000)
    if (offsetCache.size > 100_000) offsetCache.clear()
    offsetCache.set(key, offset)
  }
  return offset
}

/**
 * Epoch ms of a UTC wall clock, for any year (Date.UTC maps years 0..99 to 1900..1999). Year, month and day are set
 * together: setting the day in a stand-in year first would roll Feb 29 over to Mar 1.
 */
function utcWallMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, 0)
  return d.getTime()
}

function computeZoneOffsetMs(zone: string, epochMs: number): number {
  const fixed = /^([+-])(\d\d):?(\d\d)$/.exec(zone)
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000
  if (zone === 'UTC') return 0
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' })
    formatters.set(zone, f)
  }
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]))
  let year = Number(p.year)
  if (p.era === 'BC' || p.era === 'B') year = 1 - year
  const wallMs = utcWallMs(year, Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return wallMs - (epochMs - (((epochMs % 1000) + 1000) % 1000))
}

/** Epoch microseconds of a wall clock in a zone (the earlier instant in a DST overlap, as java.time does). */
export function instantOf(wall: WallClock, zone: string): bigint {
  const local = utcWallMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)
  let offset = zoneOffsetMs(zone, local)
  offset = zoneOffsetMs(zone, local - offset)
  return BigInt(local - offset) * 1000n + BigInt(wall.micros)
}

/** Wall clock of epoch microseconds in a zone. */
export function wallClockOf(micros: bigint, zone: string): WallClock {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0)
  const rest = Number(micros - BigInt(ms) * 1000n)
  const local = new Date(ms + zoneOffsetMs(zone, ms))
  return {
    year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(),
    minute: local.getUTCMinutes(), second: local.getUTCSeconds(), micros: local.getUTCMilliseconds() * 1000 + rest
  }
}

/** Why a text did not parse: 'mismatch' (text does not fit the pattern) or 'invalid' (fields form no real date). */
export type ParseFailure = 'mismatch' | 'invalid'

interface Fields { year?: number; month?: number; day?: number; dayOfYear?: number; hour?: number; hour12?: number; pm?: boolean; minute?: number; second?: number; micros?: number; zone?: string }

/** Parses `text` at `pos` with parts; returns the end position or -1. */
function parseParts(parts: PatternPart[], text: string, pos: number, f: Fields): number {
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!
    if (part.kind === 'literal') {
      if (!text.startsWith(part.text, pos)) return -1
      pos += part.text.length
    } else if (part.kind === 'optional') {
      const copy = { ...f }
      const end = parseParts(part.parts, text, pos, copy)
      if (end >= 0) {
        Object.assign(f, copy)
        pos = end
      }
    } else {
      const end = parseField(part, text, pos, f)
      if (end < 0) return -1
      pos = end
    }
  }
  return pos
}

/** Reads min..max digits greedily (java.time reads a fixed-width field exactly, a variable one greedily). */
function digits(text: string, pos: number, min: number, max: number): [number, number] | null {
  let end = pos
  while (end < text.length && end - pos < max && /\d/.test(text[end]!)) end++
  if (end - pos < min) return null
  return [Number(text.slice(pos, end)), end]
}

function parseField(part: { letter: string; count: number }, text: string, pos: number, f: Fields): number {
  const { letter, count } = part
  const num = (min: number, max: number): [number, number] | null => digits(text, pos, min, max)
  switch (letter) {
    case 'y':
    case 'u': {
      const r = count === 2 ? num(2, 2) : num(count >= 4 ? 4 : 1, count >= 4 ? 10 : 9)
      if (!r) return -1
      f.year = count === 2 ? 2000 + r[0] : r[0]
      return r[1]
    }
    case 'M':
    case 'L': {
      if (count >= 3) {
        const names = MONTHS.map((m) => (count === 3 ? m.slice(0, 3) : m))
        const i = names.findIndex((m) => text.startsWith(m, pos))
        if (i < 0) return -1
        f.month = i + 1
        return pos + names[i]!.length
      }
      const r = count === 2 ? num(2, 2) : num(1, 2)
      if (!r) return -1
      f.month = r[0]
      return r[1]
    }
    case 'd': case 'H': case 'h': case 'k': case 'K': case 'm': case 's': {
      const r = count === 2 ? num(2, 2) : num(1, 2)
      if (!r) return -1
      const key = ({ d: 'day', H: 'hour', k: 'hour', h: 'hour12', K: 'hour12', m: 'minute', s: 'second' } as const)[letter]
      f[key] = r[0]
      return r[1]
    }
    case 'D': {
      const r = count === 3 ? num(3, 3) : num(count, 3)
      if (!r) return -1
      f.dayOfYear = r[0]
      return r[1]
    }
    case 'S': {
      // Spark reads 1..n fraction digits (greedy), not exactly n.
      let end = pos
      while (end < text.length && end - pos < count && /\d/.test(text[end]!)) end++
      if (end === pos) return -1
      f.micros = Math.floor(Number(`0.${text.slice(pos, end)}`) * 1e6 + 1e-7)
      return end
    }
    case 'a': {
      const am = text.startsWith('AM', pos) || text.startsWith('am', pos)
      const pm = text.startsWith('PM', pos) || text.startsWith('pm', pos)
      if (!am && !pm) return -1
      f.pm = pm
      return pos + 2
    }
    case 'E': {
      const names = DAYS.map((d) => (count === 4 ? d : d.slice(0, 3)))
      const i = names.findIndex((d) => text.startsWith(d, pos))
      return i < 0 ? -1 : pos + names[i]!.length
    }
    case 'z': case 'V': case 'O': case 'X': case 'x': case 'Z': {
      const m = /^(?:([+-]\d\d:?\d\d)|Z|[A-Za-z_]+(?:\/[A-Za-z_]+)*)/.exec(text.slice(pos))
      if (!m) return -1
      const raw = m[0]
      const zone = m[1] ? raw : SHORT_ZONES[raw] ?? raw
      try {
        if (!m[1]) new Intl.DateTimeFormat('en-US', { timeZone: zone === 'UTC' ? 'UTC' : zone })
      } catch {
        return -1
      }
      f.zone = zone
      return pos + raw.length
    }
    default:
      return -1
  }
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const daysIn = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!

/**
 * Parses text with a Spark datetime pattern into epoch microseconds; missing fields default to 1970-01-01 00:00:00,
 * a zone in the text wins over `zone`.
 * @throws DatePatternError when Spark rejects the pattern itself.
 */
export function parseWithPattern(text: string, pattern: string, zone: string): bigint | ParseFailure {
  const parts = parsePattern(pattern)
  const f: Fields = {}
  const end = parseParts(parts, text, 0, f)
  if (end !== text.length) return 'mismatch'
  const year = f.year ?? 1970
  let month = f.month ?? 1
  let day = f.day ?? 1
  if (f.dayOfYear !== undefined) {
    let rest = f.dayOfYear
    month = 1
    while (month <= 12 && rest > daysIn(year, month)) rest -= daysIn(year, month++)
    day = rest
  }
  let hour = f.hour ?? 0
  if (f.hour12 !== undefined) hour = (f.hour12 % 12) + (f.pm ? 12 : 0)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || (f.minute ?? 0) > 59 || (f.second ?? 0) > 59) return 'invalid'
  return instantOf({ year, month, day, hour, minute: f.minute ?? 0, second: f.second ?? 0, micros: f.micros ?? 0 }, f.zone ?? zone)
}

const pad = (n: number, width: number): string => (n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0'))
const ORDINAL = ['1st', '2nd', '3rd', '4th']

function formatParts(parts: PatternPart[], w: WallClock, micros: bigint, zone: string): string {
  let out = ''
  for (const part of parts) {
    if (part.kind === 'literal') out += part.text
    else if (part.kind === 'optional') out += formatParts(part.parts, w, micros, zone)
    else out += formatField(part.letter, part.count, w, micros, zone)
  }
  return out
}

function formatField(letter: string, count: number, w: WallClock, micros: bigint, zone: string): string {
  const quarter = Math.floor((w.month - 1) / 3) + 1
  const dayOfYear = Math.round((Date.UTC(2001, w.month - 1, w.day) - Date.UTC(2001, 0, 1)) / 86_400_000) + 1 + (isLeap(w.year) && w.month > 2 ? 1 : 0)
  switch (letter) {
    case 'y': case 'u': return count === 2 ? pad(w.year % 100, 2) : pad(w.year, count)
    case 'M': case 'L': return count >= 4 ? MONTHS[w.month - 1]! : count === 3 ? MONTHS[w.month - 1]!.slice(0, 3) : pad(w.month, count)
    case 'd': return pad(w.day, count)
    case 'D': return pad(dayOfYear, count)
    case 'H': return pad(w.hour, count)
    case 'k': return pad(w.hour === 0 ? 24 : w.hour, count)
    case 'h': return pad(w.hour % 12 === 0 ? 12 : w.hour % 12, count)
    case 'K': return pad(w.hour % 12, count)
    case 'm': return pad(w.minute, count)
    case 's': return pad(w.second, count)
    case 'S': return String(w.micros).padStart(6, '0').padEnd(9, '0').slice(0, count)
    case 'a': return w.hour < 12 ? 'AM' : 'PM'
    case 'E': {
      const dow = new Date(utcWallMs(w.year, w.month, w.day, 0, 0, 0))
      const name = DAYS[dow.getUTCDay()]!
      return count === 4 ? name : name.slice(0, 3)
    }
    case 'q': case 'Q': return count === 1 ? String(quarter) : count === 2 ? pad(quarter, 2) : count === 3 ? `Q${quarter}` : `${ORDINAL[quarter - 1]} quarter`
    case 'z': case 'V': return zone
    default: {
      const offsetMin = Math.round(zoneOffsetMs(zone, Number(micros / 1000n)) / 60_000)
      if (offsetMin === 0 && (letter === 'X')) return 'Z'
      const sign = offsetMin < 0 ? '-' : '+'
      const hh = pad(Math.floor(Math.abs(offsetMin) / 60), 2)
      const mm = pad(Math.abs(offsetMin) % 60, 2)
      return count >= 3 || letter === 'Z' ? (letter === 'Z' ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`) : `${sign}${hh}${count === 2 ? mm : ''}`
    }
  }
}

/** Formats epoch microseconds with a Spark datetime pattern in a zone. @throws DatePatternError for rejected patterns. */
export function formatWithPattern(micros: bigint, pattern: string, zone: string): string {
  return formatParts(parsePattern(pattern), wallClockOf(micros, zone), micros, zone)
}
