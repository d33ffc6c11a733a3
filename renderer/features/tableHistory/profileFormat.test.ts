// Tests the Profile tab's number, edge, percentage and summary-line formats.
import { describe, expect, it } from 'vitest'
import { binLabel, formatEdge, formatPercent, formatStat, statsLine } from './profileFormat'
import type { ColumnProfile } from '../../../engine/api/tablesApi'

const column = (over: Partial<ColumnProfile>): ColumnProfile => ({
  name: 'c', type: 'double', kind: 'numeric', count: 10, nulls: 0, nullPercent: 0, distinct: 10, distinctExact: true, min: '1', max: '9',
  mean: null, stddev: null, quartiles: null, minLength: null, maxLength: null, topValues: [], outliers: null, histogram: null, ...over
})

describe('profileFormat', () => {
  it('prints integers exactly and other numbers to four significant digits', () => {
    expect([formatStat(1925), formatStat(-3), formatStat(29.011491975), formatStat(0.00012345), formatStat(null), formatStat(Number.NaN)]).toEqual([
      '1,925', '-3', '29.01', '1.23e-4', '—', '—'
    ])
  })

  it('prints histogram edges by scale and closes the last bin', () => {
    expect(formatEdge(Date.UTC(2024, 0, 3) / 1000, 'date')).toBe('2024-01-03')
    expect(formatEdge(Date.UTC(2024, 0, 3, 7, 50) / 1000, 'timestamp')).toBe('2024-01-03 07:50')
    const histogram = { scale: 'number' as const, bins: [{ lower: 0, upper: 5, count: 2 }, { lower: 5, upper: 10, count: 1 }] }
    expect([binLabel(histogram, 0), binLabel(histogram, 1)]).toEqual(['0 – 5', '5 – 10 (inclusive)'])
  })

  it('keeps small percentages visible', () => {
    expect([formatPercent(0), formatPercent(0.05), formatPercent(5.26), formatPercent(52.6)]).toEqual(['0%', '<0.1%', '5.3%', '53%'])
  })

  it('summarises numbers by moments and strings by length', () => {
    expect(statsLine(column({ mean: 49.5, stddev: 29.01149, quartiles: [24.75, 49.5, 74.25] }))).toBe('μ 49.5 · σ 29.01 · median 49.5')
    expect(statsLine(column({ kind: 'string', type: 'string', minLength: 2, maxLength: 12 }))).toBe('length 2–12')
    expect(statsLine(column({ kind: 'string', type: 'string', minLength: 3, maxLength: 3 }))).toBe('length 3')
    expect(statsLine(column({ kind: 'boolean', type: 'boolean' }))).toBeNull()
  })
})
