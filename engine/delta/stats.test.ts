import { describe, expect, it } from 'vitest'
import { truncateMaxString, truncateMinString } from './stats'

const MAX = String.fromCodePoint(0x10ffff)

describe('string stats truncation (Spark StatisticsCollection rules)', () => {
  it('keeps short strings as they are', () => {
    expect(truncateMinString('abc', 4)).toBe('abc')
    expect(truncateMaxString('abc', 4)).toBe('abc')
  })

  it('truncates the min to a prefix and never splits a surrogate pair', () => {
    expect(truncateMinString('abcdef', 3)).toBe('abc')
    expect(truncateMinString('ab😈cd', 3)).toBe('ab😈')
  })

  it('appends U+007F to a max whose next character is below it, else U+10FFFF, so the bound still holds', () => {
    expect(truncateMaxString('abcdef', 3)).toBe('abc\u007f')
    expect(truncateMaxString('abcüdef', 3)).toBe('abc' + MAX)
    for (const [value, cut] of [['abcdef', 3], ['abcüdef', 3], ['zz\u007fzz', 2]] as const) {
      const max = truncateMaxString(value, cut)!
      // UTF-8 byte order is what DuckDB and Spark compare by.
      expect(Buffer.compare(Buffer.from(max), Buffer.from(value))).toBeGreaterThanOrEqual(0)
    }
  })

  it('skips U+10FFFF characters and gives up (null) past twice the prefix length', () => {
    expect(truncateMaxString('ab' + MAX + 'cd', 2)).toBe('ab' + MAX + '\u007f')
    expect(truncateMaxString(MAX.repeat(5), 2)).toBeNull()
  })
})
