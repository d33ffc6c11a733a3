// A UnitSource over a RecordProfile with seeded noise: batch b = originals [b × recordsPerBatch, (b+1) × recordsPerBatch) and their duplicates, as a landing file or a topic append.
import { noiseSpec, noisyRecords, type FieldValue, type NoiseBounds, type NoiseFractions, type NoisyRecord, type RecordProfile } from './noisyRecords'
import type { ProducedUnit, UnitSource } from './producedUnit'
import { ProducerError } from './producerError'

export type RecordOutput =
  /** Files landing/<source>/<profile>-<batch, 6 digits>.<csv|json|parquet>. */
  | { kind: 'files'; source: string; format: 'csv' | 'ndjson' | 'parquet' }
  /** Topic records: key = the profile's key column, value = the record as JSON, partition = hash(key) mod partitions. */
  | { kind: 'topic'; topic: string; partitions: number }

export interface RecordSourceOptions {
  profile: RecordProfile
  seed: number
  fractions?: NoiseFractions
  bounds?: Partial<NoiseBounds>
  recordsPerBatch: number
  output: RecordOutput
  /** Batches before the source is exhausted (default: never). */
  maxBatches?: number
}

/**
 * A deterministic source of noisy record batches. Topic records carry the record's event time as their timestamp (the
 * time the simulated device created it), so the output is a pure function of (profile, seed, position).
 * Errors: ProducerError INVALID_ARGUMENT for bad fractions/bounds (see noiseSpec), batch size, partitions or source name.
 */
export function recordSource(options: RecordSourceOptions): UnitSource {
  const spec = noiseSpec(options.profile, options.seed, options.fractions, options.bounds)
  const { recordsPerBatch, output, maxBatches } = options
  if (!(Number.isInteger(recordsPerBatch) && recordsPerBatch >= 1)) throw new ProducerError('INVALID_ARGUMENT', `recordsPerBatch must be a positive integer, got ${recordsPerBatch}`)
  if (output.kind === 'topic' && !(Number.isInteger(output.partitions) && output.partitions >= 1)) {
    throw new ProducerError('INVALID_ARGUMENT', `topic ${output.topic}: partitions must be a positive integer, got ${output.partitions}`)
  }
  if (output.kind === 'files' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(output.source)) throw new ProducerError('INVALID_ARGUMENT', `bad landing source name ${output.source}`)
  const fingerprint = {
    kind: 'records', profile: options.profile.name, seed: options.seed, fractions: spec.fractions, bounds: spec.bounds,
    recordsPerBatch, output, ...(maxBatches === undefined ? {} : { maxBatches })
  }
  return {
    fingerprint,
    unit(position: number): ProducedUnit | null {
      if (maxBatches !== undefined && position >= maxBatches) return null
      const records = noisyRecords(spec, position * recordsPerBatch, (position + 1) * recordsPerBatch)
      return renderUnit(options.profile, output, position, records)
    }
  }
}

/** FNV-1a of the key: the same key always lands in the same partition. */
export function partitionOfKey(key: string | null, partitions: number, fallback: number): number {
  if (key === null) return fallback % partitions
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0
  return h % partitions
}

/** The unit of batch `batch`: a topic append, or a landing file named after the profile and batch. */
export function renderUnit(profile: RecordProfile, output: RecordOutput, batch: number, records: NoisyRecord[]): ProducedUnit {
  if (output.kind === 'topic') {
    return {
      kind: 'topic', topic: output.topic, partitions: output.partitions,
      records: records.map((r) => ({ partition: partitionOfKey(r.key, output.partitions, r.index), key: r.key, value: jsonLine(profile, r), timestamp: r.eventTimeMs }))
    }
  }
  const base = `landing/${output.source}/${profile.name}-${String(batch).padStart(6, '0')}`
  if (output.format === 'parquet') {
    return { kind: 'parquet', path: `${base}.parquet`, columns: profile.columns, rows: records.map((r) => r.values) }
  }
  if (output.format === 'ndjson') {
    return { kind: 'file', path: `${base}.json`, text: records.map((r) => jsonLine(profile, r) + '\n').join(''), records: records.length }
  }
  const header = profile.columns.map((c) => csvCell(c.name)).join(',')
  const lines = records.map((r) => profile.columns.map((c) => csvCell(r.values[c.name] ?? null)).join(','))
  return { kind: 'file', path: `${base}.csv`, text: [header, ...lines].join('\n') + '\n', records: records.length }
}

/** The record as one JSON object (typed values as JSON numbers); a truncated malformed record is cut in half. */
function jsonLine(profile: RecordProfile, r: NoisyRecord): string {
  const text = JSON.stringify(Object.fromEntries(profile.columns.map((c) => [c.name, r.values[c.name] ?? null])))
  return r.truncated ? text.slice(0, Math.floor(text.length / 2)) : text
}

function csvCell(value: FieldValue): string {
  if (value === null) return ''
  const s = String(value)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

