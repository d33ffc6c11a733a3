// A UnitSource whose settings change while it runs: file p is a pure function of (profile, seed, settings history, p).
//
//   segments [{fromPosition: 0, settings}, {fromPosition: 40, settings'} ...]  ── kept in the producer's state.json
//   file p ─► its segment ─► originals [firstRecord(p), firstRecord(p) + recordsPerFile) with that segment's noise
// Original n always has the clean event time startMs + n × intervalMs, so a change (even of records per file) continues
// the event time where the last file left it instead of restarting at the profile's start.
import type { ProducerSettings } from '../../api/streamApi'
import { noiseSpec, noisyRecords, type NoiseBounds, type NoiseFractions, type RecordProfile } from './noisyRecords'
import type { ProducedUnit, UnitSource } from './producedUnit'
import { ProducerError } from './producerError'
import { canonicalJson } from './producerState'
import { renderUnit, type RecordOutput } from './recordSource'

export type { ProducerSettings } from '../../api/streamApi'

/** Settings in force from file `fromPosition` on (until the next segment). */
export interface SettingsSegment {
  fromPosition: number
  settings: ProducerSettings
}

export interface LiveSourceOptions {
  profile: RecordProfile
  seed: number
  bounds?: Partial<NoiseBounds>
  output: RecordOutput
  /** Ascending fromPosition, the first at 0. */
  segments: SettingsSegment[]
}

/** A live source: its settings history and how to extend it. */
export interface LiveUnitSource extends UnitSource {
  readonly segments: readonly SettingsSegment[]
  /** The settings of the last segment (those the next file is written with). */
  readonly settings: ProducerSettings
  /** Event time range (ms) of the records of file `position`, duplicates included. */
  eventTimeRange(position: number): { min: number; max: number } | null
  /** The same source with `settings` in force from file `position` on (files before it unchanged). */
  withSettings(position: number, settings: ProducerSettings): LiveUnitSource
}

const FRACTIONS = ['outOfOrder', 'late', 'duplicate', 'malformed'] as const

/**
 * Checks a full set of settings. Errors: ProducerError INVALID_ARGUMENT naming the knob: filesPerSecond must be a
 * positive finite number, recordsPerFile a whole number in [1, 100000], each fraction in [0, 1], duplicate at most 0.5,
 * and the fractions may sum to at most 1.
 */
export function checkProducerSettings(s: ProducerSettings): void {
  const bad = (knob: string, why: string): never => {
    throw new ProducerError('INVALID_ARGUMENT', `producer setting ${knob} ${why}`, { path: knob.split(' ')[0] })
  }
  if (!(typeof s.filesPerSecond === 'number' && s.filesPerSecond > 0 && Number.isFinite(s.filesPerSecond))) bad('filesPerSecond', `must be a positive number, got ${s.filesPerSecond}`)
  if (!(Number.isInteger(s.recordsPerFile) && s.recordsPerFile >= 1 && s.recordsPerFile <= 100_000)) bad('recordsPerFile', `must be a whole number from 1 to 100000, got ${s.recordsPerFile}`)
  for (const knob of FRACTIONS) {
    const v = s[knob]
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) bad(knob, `must be a fraction in [0, 1], got ${v}`)
  }
  if (s.duplicate > 0.5) bad('duplicate', `must be at most 0.5, got ${s.duplicate}`)
  const sum = FRACTIONS.reduce((n, k) => n + s[k], 0)
  if (sum > 1 + 1e-9) bad(FRACTIONS.join(' + '), `must sum to at most 1, got ${sum}`)
}

/** The knobs that shape the output (the rate only paces it). */
function outputShape(s: ProducerSettings): Record<string, number> {
  return { recordsPerFile: s.recordsPerFile, outOfOrder: s.outOfOrder, late: s.late, duplicate: s.duplicate, malformed: s.malformed }
}

function settingsAt(segments: readonly SettingsSegment[], position: number): ProducerSettings {
  let current = segments[0]!.settings
  for (const s of segments) {
    if (s.fromPosition > position) break
    current = s.settings
  }
  return current
}

/**
 * The live source of `options`. Its fingerprint holds the whole history; `continues` accepts a saved fingerprint whose
 * history agrees with this one on every file before the saved position (segments appended later, or a last segment
 * replaced before any file used it), and refuses any other change (profile, seed, bounds, output, or the settings of a
 * file already written). Errors: ProducerError INVALID_ARGUMENT for bad segments or settings (checkProducerSettings).
 */
export function liveSource(options: LiveSourceOptions): LiveUnitSource {
  const { profile, seed, output } = options
  const segments = options.segments.map((s) => ({ fromPosition: s.fromPosition, settings: { ...s.settings } }))
  if (segments.length === 0 || segments[0]!.fromPosition !== 0) throw new ProducerError('INVALID_ARGUMENT', `live producer ${profile.name}: the settings history must start at file 0`)
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!
    if (!Number.isInteger(s.fromPosition) || (i > 0 && s.fromPosition <= segments[i - 1]!.fromPosition)) {
      throw new ProducerError('INVALID_ARGUMENT', `live producer ${profile.name}: segment ${i} starts at file ${s.fromPosition}, not after the previous one`)
    }
    checkProducerSettings(s.settings)
  }
  // Original record index where each segment's first file starts.
  const firstRecords: number[] = []
  segments.forEach((s, i) => {
    const prev = segments[i - 1]
    firstRecords.push(prev ? firstRecords[i - 1]! + (s.fromPosition - prev.fromPosition) * prev.settings.recordsPerFile : 0)
  })
  const fractionsOf = (s: ProducerSettings): Required<NoiseFractions> => ({ outOfOrder: s.outOfOrder, late: s.late, duplicate: s.duplicate, malformed: s.malformed })
  const base = noiseSpec(profile, seed, fractionsOf(segments[0]!.settings), options.bounds)
  for (const s of segments) noiseSpec(profile, seed, fractionsOf(s.settings), options.bounds)
  const spec = { ...base, changes: segments.slice(1).map((s, i) => ({ fromRecord: firstRecords[i + 1]!, fractions: fractionsOf(s.settings) })) }
  const fingerprintBase = { kind: 'liveRecords', profile: profile.name, seed, bounds: base.bounds, output }
  const fingerprint = { ...fingerprintBase, segments: segments.map((s) => ({ fromPosition: s.fromPosition, settings: s.settings })) }

  const recordsOf = (position: number) => {
    let i = 0
    while (i + 1 < segments.length && segments[i + 1]!.fromPosition <= position) i++
    const seg = segments[i]!
    const first = firstRecords[i]! + (position - seg.fromPosition) * seg.settings.recordsPerFile
    return noisyRecords(spec, first, first + seg.settings.recordsPerFile)
  }

  return {
    fingerprint,
    segments,
    settings: segments.at(-1)!.settings,
    unit(position: number): ProducedUnit | null {
      return renderUnit(profile, output, position, recordsOf(position))
    },
    eventTimeRange(position) {
      const times = recordsOf(position).map((r) => r.eventTimeMs)
      return times.length === 0 ? null : { min: Math.min(...times), max: Math.max(...times) }
    },
    continues(saved: Record<string, unknown>, position: number): boolean {
      const { segments: savedSegments, ...savedBase } = saved as { segments?: unknown }
      if (canonicalJson(savedBase) !== canonicalJson(fingerprintBase) || !Array.isArray(savedSegments) || savedSegments.length === 0) return false
      const old = savedSegments as SettingsSegment[]
      // Settings are constant between breakpoints, so agreeing at every breakpoint below `position` is agreeing on every file written.
      const breakpoints = [...old, ...segments].map((s) => s.fromPosition).filter((p) => p < position)
      return breakpoints.every((p) => canonicalJson(outputShape(settingsAt(old, p))) === canonicalJson(outputShape(settingsAt(segments, p))))
    },
    withSettings(position: number, settings: ProducerSettings): LiveUnitSource {
      const kept = segments.filter((s) => s.fromPosition < position)
      return liveSource({ ...options, segments: [...kept, { fromPosition: position, settings }] })
    }
  }
}

/** The settings history stored in a live source's fingerprint, or null when the fingerprint is not a live one. */
export function segmentsOfFingerprint(fingerprint: Record<string, unknown>): SettingsSegment[] | null {
  if (fingerprint.kind !== 'liveRecords' || !Array.isArray(fingerprint.segments)) return null
  return fingerprint.segments as SettingsSegment[]
}
