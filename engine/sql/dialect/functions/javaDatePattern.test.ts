// Tests for Java datetime patterns: parsing (defaults, fractions, zones, rejected patterns) and formatting.
import { describe, expect, it } from 'vitest'
import { DatePatternError, formatWithPattern, parseWithPattern } from './javaDatePattern'

const LA = 'America/Los_Angeles'
const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n

describe('javaDatePattern', () => {
  it('parses in the given zone, with 1970-01-01 defaults for missing fields', () => {
    expect(parseWithPattern('2016-12-31 00:12:00', 'yyyy-MM-dd HH:mm:ss', LA)).toBe(micros('2016-12-31T08:12:00Z'))
    expect(parseWithPattern('16', 'dd', 'UTC')).toBe(micros('1970-01-16T00:00:00Z'))
  })

  it('reads fractions greedily up to the pattern width and zones from the text', () => {
    expect(parseWithPattern('2019-10-06 10:11:12.123UTC', 'yyyy-MM-dd HH:mm:ss.SSSSSS[zzz]', LA)).toBe(micros('2019-10-06T10:11:12.123Z'))
    expect(parseWithPattern('12.1232019-10-06S10:11', "ss.SSSSyyyy-MM-dd'S'HH:mm", LA)).toBe('mismatch')
  })

  it('tells text that does not fit from fields that form no date', () => {
    expect(parseWithPattern('02-29', 'MM-dd', LA)).toBe('invalid')
    expect(parseWithPattern('2019-13', 'yyyy-MM', LA)).toBe('invalid')
    expect(parseWithPattern('abc', 'yyyy', LA)).toBe('mismatch')
  })

  it('rejects patterns Spark rejects', () => {
    expect(() => parseWithPattern('26/October/2015', 'dd/MMMMM/yyyy', LA)).toThrow(DatePatternError)
    expect(() => formatWithPattern(0n, 'GGGGG', LA)).toThrow(DatePatternError)
  })

  it('formats quarters, day of year, names and literals', () => {
    const t = micros('2018-11-17T13:33:33.123Z')
    expect(formatWithPattern(t, "q QQ QQQ QQQQ 'at' D EEE MMM", LA)).toBe('4 04 Q4 4th quarter at 321 Sat Nov')
    expect(formatWithPattern(t, 'yyyy-MM-dd HH:mm:ss.SSS a', LA)).toBe('2018-11-17 05:33:33.123 AM')
  })
})
