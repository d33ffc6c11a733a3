// Noise injection: configured fractions, the meaning of each kind, purity by position, option checks.
import { describe, expect, it } from 'vitest'
import { noiseSpec, noisyRecords, type NoisyRecord, type RecordKind } from './noisyRecords'
import { ProducerError } from './producerError'
import { sensorProfile } from './testProfiles'

const fractions = { outOfOrder: 0.1, late: 0.05, duplicate: 0.1, malformed: 0.05 }
const bounds = { outOfOrderMs: 30_000, latenessMs: 120_000, duplicateWindow: 10 }

function kindShares(records: NoisyRecord[]): Record<RecordKind, number> {
  const shares: Record<RecordKind, number> = { onTime: 0, outOfOrder: 0, late: 0, duplicate: 0, malformed: 0 }
  for (const r of records) shares[r.kind] += 1 / records.length
  return shares
}

describe('noisyRecords', () => {
  it('emits each kind at its configured fraction of the output (within 1 point over 20000 records)', () => {
    const records = noisyRecords(noiseSpec(sensorProfile, 7, fractions, bounds), 0, 20_000)
    const shares = kindShares(records)
    expect(Math.abs(shares.outOfOrder - 0.1)).toBeLessThan(0.01)
    expect(Math.abs(shares.late - 0.05)).toBeLessThan(0.01)
    expect(Math.abs(shares.duplicate - 0.1)).toBeLessThan(0.01)
    expect(Math.abs(shares.malformed - 0.05)).toBeLessThan(0.01)
    expect(Math.abs(shares.onTime - 0.7)).toBeLessThan(0.015)
  })

  it('gives each kind its meaning relative to the max event time seen before it', () => {
    const records = noisyRecords(noiseSpec(sensorProfile, 11, fractions, bounds), 0, 5000)
    let maxSeen = -Infinity
    const emitted = new Map<number, NoisyRecord>()
    for (const r of records) {
      if (r.kind === 'onTime') expect(r.eventTimeMs).toBeGreaterThanOrEqual(maxSeen)
      if (r.kind === 'outOfOrder') {
        expect(r.eventTimeMs).toBeLessThan(maxSeen)
        expect(r.eventTimeMs).toBeGreaterThanOrEqual(maxSeen - bounds.outOfOrderMs)
      }
      if (r.kind === 'late') expect(r.eventTimeMs).toBeLessThan(maxSeen - bounds.latenessMs)
      if (r.kind === 'duplicate') {
        // An exact copy of a record already emitted, from the last `duplicateWindow` originals.
        const first = emitted.get(r.index)
        expect(first).toBeDefined()
        expect({ ...r, kind: first!.kind }).toEqual(first)
        expect(Math.max(...emitted.keys()) - r.index).toBeLessThan(bounds.duplicateWindow)
      } else {
        emitted.set(r.index, r)
      }
      if (r.kind === 'malformed') {
        const wrong = Object.values(r.values).filter((v) => v === 'abc' || v === 'not-a-timestamp')
        expect(wrong).toHaveLength(1)
      }
      if (r.kind === 'onTime') maxSeen = r.eventTimeMs
    }
  })

  it('is a pure function of (seed, index): batches computed apart equal one run, and seeds differ', () => {
    const spec = noiseSpec(sensorProfile, 3, fractions, bounds)
    expect([...noisyRecords(spec, 0, 150), ...noisyRecords(spec, 150, 400)]).toEqual(noisyRecords(spec, 0, 400))
    expect(noisyRecords(spec, 0, 400)).toEqual(noisyRecords(noiseSpec(sensorProfile, 3, fractions, bounds), 0, 400))
    expect(noisyRecords(noiseSpec(sensorProfile, 4, fractions, bounds), 0, 400)).not.toEqual(noisyRecords(spec, 0, 400))
  })

  it('keeps the fields of on-time records whatever the noise', () => {
    const clean = noisyRecords(noiseSpec(sensorProfile, 5), 0, 500)
    const noisy = noisyRecords(noiseSpec(sensorProfile, 5, fractions, bounds), 0, 500)
    expect(clean.every((r) => r.kind === 'onTime')).toBe(true)
    const onTime = noisy.filter((r) => r.kind === 'onTime')
    expect(onTime.length).toBeGreaterThan(300)
    for (const r of onTime) expect(r).toEqual(clean[r.index])
  })

  it('refuses fractions and bounds it cannot honour', () => {
    const bad = [
      () => noiseSpec(sensorProfile, 1, { late: -0.1 }),
      () => noiseSpec(sensorProfile, 1, { late: 0.6, outOfOrder: 0.5 }),
      () => noiseSpec(sensorProfile, 1, { duplicate: 0.6 }),
      () => noiseSpec(sensorProfile, 1, {}, { outOfOrderMs: 10_000, latenessMs: 5000 }),
      () => noiseSpec({ ...sensorProfile, eventTimeColumn: 'label' }, 1)
    ]
    for (const f of bad) expect(f).toThrow(ProducerError)
  })
})
