// Tests the explorer's short forms of row counts, sizes and commit times.
import { describe, expect, it } from 'vitest'
import { exactTime, relativeTime, shortBytes, shortCount } from './tableFacts'

describe('tableFacts', () => {
  it('keeps counts exact below a million and shortens them above', () => {
    expect([shortCount(0), shortCount(1925), shortCount(999_999)]).toEqual(['0', '1,925', '999,999'])
    expect([shortCount(1_250_000), shortCount(12_345_678), shortCount(3_000_000_000)]).toEqual(['1.3M', '12M', '3.0B'])
  })

  it('prints sizes in binary units', () => {
    expect([shortBytes(512), shortBytes(1536), shortBytes(52_650), shortBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KB', '51 KB', '5.0 GB'])
  })

  it('says how long ago a commit was, coarsely, and exactly for the tooltip', () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0)
    expect(relativeTime(now - 10_000, now)).toBe('just now')
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(relativeTime(now - 3 * 3600_000, now)).toBe('3 h ago')
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe('2 d ago')
    expect(relativeTime(now - 40 * 86_400_000, now)).toBe('1 mo ago')
    expect(relativeTime(Date.UTC(2025, 6, 5), now)).toBe('8 mo ago')
    expect(relativeTime(Date.UTC(2024, 2, 9), now)).toBe('2 y ago')
    // A clock slightly behind the commit's is not "in the future".
    expect(relativeTime(now + 5_000, now)).toBe('just now')
    expect(exactTime(Date.UTC(2026, 2, 10, 9, 5, 7))).toBe('2026-03-10 09:05:07 UTC')
  })
})
