// Synthetic records with seeded noise: out-of-order, late, duplicate and malformed records, each a pure function of (profile, seed, index).
//
// Original record n has a clean event time t(n) = startMs + n * intervalMs and one kind drawn from its own seeded random:
//   onTime      event time t(n)
//   outOfOrder  older than the max event time seen so far, by less than outOfOrderMs (≤ latenessMs: never late)
//   late        older than the max seen by more than latenessMs (up to 2 × latenessMs)
//   malformed   one column holds a value of the wrong type, or (JSON outputs) the line is cut short and does not parse
// After original n, with a seeded chance, a duplicate follows: an exact copy of original n - j (0 ≤ j < duplicateWindow),
// the way an at-least-once producer redelivers. "Max seen" is the time of the last earlier onTime record (out-of-order,
// late and malformed records never raise it), so it too is a pure function of n. Record 0 is never out of order or late.
// Fractions are of all emitted records: with fractions f, about f.late of the output is late, f.duplicate are copies, etc.
import { SeededRandom } from './seededRandom'
import { ProducerError } from './producerError'

export type ColumnType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP'
export interface ColumnSpec {
  name: string
  type: ColumnType
}
export type FieldValue = string | number | null

/** A generator of clean records: the columns, which holds the event time, and the fields of record n. */
export interface RecordProfile {
  readonly name: string
  readonly columns: readonly ColumnSpec[]
  /** A TIMESTAMP column; its value is set from the event time. */
  readonly eventTimeColumn: string
  /** The column whose value is the topic key (partitioning); records have a null key without it. */
  readonly keyColumn?: string
  readonly startMs: number
  /** Event-time spacing of consecutive clean records, ms > 0. */
  readonly intervalMs: number
  /** Fields of record n except the event time column. Must depend only on n and the draws from `random`. */
  fields(n: number, random: SeededRandom): Record<string, FieldValue>
}

export interface NoiseFractions {
  outOfOrder?: number
  late?: number
  duplicate?: number
  malformed?: number
}

export interface NoiseBounds {
  /** How far behind the max seen an out-of-order record may be (default 60 s). */
  outOfOrderMs: number
  /** Records older than max seen - latenessMs are late (default 10 min). */
  latenessMs: number
  /** A duplicate copies one of the last `duplicateWindow` originals (default 20). */
  duplicateWindow: number
}

export type RecordKind = 'onTime' | 'outOfOrder' | 'late' | 'duplicate' | 'malformed'

export interface NoisyRecord {
  /** The original record this is (for a duplicate: the one it copies). */
  index: number
  kind: RecordKind
  eventTimeMs: number
  key: string | null
  /** Column values as rendered (the event time as text); a malformed record's wrong-type value is a string. */
  values: Record<string, FieldValue>
  /** Malformed for JSON outputs: the line is cut short. CSV and parquet use the wrong-type value instead. */
  truncated: boolean
}

export interface NoiseSpec {
  profile: RecordProfile
  seed: number
  fractions: Required<NoiseFractions>
  bounds: NoiseBounds
  /**
   * Fractions that change along the stream: from original `fromRecord` on, `fractions` apply (ascending; before the
   * first one, `fractions` above). A record's kind depends only on the fractions in force at its own index, so a
   * change never alters the records before it.
   */
  changes?: { fromRecord: number; fractions: Required<NoiseFractions> }[]
}

/**
 * Checks and completes noise options. Errors: ProducerError INVALID_ARGUMENT when a fraction is outside [0, 1], the
 * fractions sum above 1, duplicate > 0.5, outOfOrderMs > latenessMs, or the profile's event-time column is not a TIMESTAMP.
 */
export function noiseSpec(profile: RecordProfile, seed: number, fractions: NoiseFractions = {}, bounds: Partial<NoiseBounds> = {}): NoiseSpec {
  const f = { outOfOrder: fractions.outOfOrder ?? 0, late: fractions.late ?? 0, duplicate: fractions.duplicate ?? 0, malformed: fractions.malformed ?? 0 }
  for (const [name, value] of Object.entries(f)) {
    if (!(value >= 0 && value <= 1)) throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: fraction ${name} must be in [0, 1], got ${value}`)
  }
  if (f.outOfOrder + f.late + f.duplicate + f.malformed > 1) throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: the fractions sum above 1`)
  if (f.duplicate > 0.5) throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: fraction duplicate must be at most 0.5, got ${f.duplicate}`)
  const b = { outOfOrderMs: bounds.outOfOrderMs ?? 60_000, latenessMs: bounds.latenessMs ?? 600_000, duplicateWindow: bounds.duplicateWindow ?? 20 }
  if (!(b.outOfOrderMs >= 1 && b.outOfOrderMs <= b.latenessMs)) {
    throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: outOfOrderMs must be in [1, latenessMs], got ${b.outOfOrderMs}`)
  }
  if (!(Number.isInteger(b.duplicateWindow) && b.duplicateWindow >= 1)) throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: duplicateWindow must be a positive integer`)
  const column = profile.columns.find((c) => c.name === profile.eventTimeColumn)
  if (column?.type !== 'TIMESTAMP') throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: event time column ${profile.eventTimeColumn} must be a TIMESTAMP column`)
  if (!(profile.intervalMs > 0)) throw new ProducerError('INVALID_ARGUMENT', `profile ${profile.name}: intervalMs must be > 0`)
  return { profile, seed, fractions: f, bounds: b }
}

/** Originals [from, until) with their duplicates, in emission order. */
export function noisyRecords(spec: NoiseSpec, from: number, until: number): NoisyRecord[] {
  const out: NoisyRecord[] = []
  for (let n = from; n < until; n++) {
    out.push(original(spec, n))
    const draws = noiseDraws(spec, n)
    const d = fractionsAt(spec, n).duplicate
    if (d > 0 && draws.duplicate < d / (1 - d)) {
      const back = Math.floor(draws.duplicateBack * Math.min(n + 1, spec.bounds.duplicateWindow))
      out.push({ ...original(spec, n - back), kind: 'duplicate' })
    }
  }
  return out
}

/** `yyyy-MM-dd HH:mm:ss.SSS` UTC: parsed by DuckDB and Spark without a pattern. */
export function timestampMsText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ')
}

interface Draws {
  kind: number
  shift: number
  duplicate: number
  duplicateBack: number
  malformedTruncated: number
  malformedColumn: number
}

/** A 32-bit seed for record n of a stream: distinct streams for noise and fields so fields never depend on the noise. */
function recordSeed(seed: number, n: number, stream: number): number {
  const mix = (h: number, v: number): number => {
    const x = Math.imul((h ^ v) >>> 0, 0x9e3779b1)
    return (x ^ (x >>> 15)) >>> 0
  }
  return mix(mix(mix(mix(seed >>> 0, stream), n >>> 0), Math.floor(n / 4294967296)), 0x27d4eb2f)
}

function noiseDraws(spec: NoiseSpec, n: number): Draws {
  const r = new SeededRandom(recordSeed(spec.seed, n, 0))
  return { kind: r.next(), shift: r.next(), duplicate: r.next(), duplicateBack: r.next(), malformedTruncated: r.next(), malformedColumn: r.next() }
}

/** The fractions in force for original n. */
function fractionsAt(spec: NoiseSpec, n: number): Required<NoiseFractions> {
  let current = spec.fractions
  for (const change of spec.changes ?? []) {
    if (change.fromRecord > n) break
    current = change.fractions
  }
  return current
}

function rawKind(spec: NoiseSpec, n: number): Exclude<RecordKind, 'duplicate'> {
  const { late, outOfOrder, malformed, duplicate } = fractionsAt(spec, n)
  // Scaled so that, counting duplicates in the output, each kind is its fraction of all emitted records.
  const u = noiseDraws(spec, n).kind * (1 - duplicate)
  // Record 0 has nothing before it to be out of order or late against.
  if (u < late) return n === 0 ? 'onTime' : 'late'
  if (u < late + outOfOrder) return n === 0 ? 'onTime' : 'outOfOrder'
  if (u < late + outOfOrder + malformed) return 'malformed'
  return 'onTime'
}

function cleanTime(spec: NoiseSpec, n: number): number {
  return spec.profile.startMs + n * spec.profile.intervalMs
}

/** Event time of the last onTime original before n (record 0 counts as onTime when it is malformed). */
function maxSeenBefore(spec: NoiseSpec, n: number): number {
  for (let k = n - 1; k > 0; k--) if (rawKind(spec, k) === 'onTime') return cleanTime(spec, k)
  return cleanTime(spec, 0)
}

function original(spec: NoiseSpec, n: number): NoisyRecord {
  const { profile, bounds } = spec
  const kind = rawKind(spec, n)
  const draws = noiseDraws(spec, n)
  let eventTimeMs = cleanTime(spec, n)
  if (kind === 'outOfOrder') eventTimeMs = maxSeenBefore(spec, n) - 1 - Math.floor(draws.shift * (bounds.outOfOrderMs - 1))
  if (kind === 'late') eventTimeMs = maxSeenBefore(spec, n) - bounds.latenessMs - 1 - Math.floor(draws.shift * bounds.latenessMs)
  const fields = profile.fields(n, new SeededRandom(recordSeed(spec.seed, n, 1)))
  const values: Record<string, FieldValue> = {}
  for (const c of profile.columns) values[c.name] = c.name === profile.eventTimeColumn ? timestampMsText(eventTimeMs) : (fields[c.name] ?? null)
  const keyValue = profile.keyColumn === undefined ? null : values[profile.keyColumn]
  const key = keyValue === null || keyValue === undefined ? null : String(keyValue)
  let truncated = false
  if (kind === 'malformed') {
    truncated = draws.malformedTruncated < 0.5
    const typed = profile.columns.filter((c) => c.type !== 'VARCHAR')
    const column = typed[Math.floor(draws.malformedColumn * typed.length)]
    if (column) values[column.name] = column.type === 'TIMESTAMP' ? 'not-a-timestamp' : 'abc'
  }
  return { index: n, kind, eventTimeMs, key, values, truncated }
}
