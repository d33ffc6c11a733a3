// Tests for the quality page's number and time formatting.
import { describe, expect, it } from 'vitest'
import { formatCount, formatPassRate, formatTime, formatVariance, passRate } from './formatQuality'

describe('formatQuality', () => {
  it('never shows a pass rate of 100% when a row failed', () => {
    expect(formatPassRate(passRate(1140, 0))).toBe('100%')
    expect(formatPassRate(passRate(1138, 2))).toBe('99.82%')
    expect(formatPassRate(passRate(999_999, 1))).toBe('99.99%')
    expect(formatPassRate(passRate(1, 1))).toBe('50%')
    expect(formatPassRate(passRate(0, 3))).toBe('0%')
    expect(formatPassRate(passRate(0, 0))).toBe('no rows')
  })

  it('prints variances as signed percentages and a zero source readably', () => {
    expect(formatVariance(-0.015686)).toBe('-1.57%')
    expect(formatVariance(0.05)).toBe('+5.00%')
    expect(formatVariance(0)).toBe('0.00%')
    expect(formatVariance(null)).toBe('source empty')
  })

  it('prints counts and UTC times like the SQL results do', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatCount(null)).toBe('—')
    expect(formatTime(Date.UTC(2024, 2, 9, 23, 0, 1))).toBe('2024-03-09 23:00:01')
    expect(formatTime(null)).toBe('—')
  })
})
