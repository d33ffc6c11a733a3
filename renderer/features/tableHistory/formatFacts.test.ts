// Tests for the table page's number, time, metric and JSON formatting.
import { describe, expect, it } from 'vitest'
import { formatBytes, formatCommitTime, formatCount, formatStatValue, prettyJson, rowsChanged } from './formatFacts'

describe('formatFacts', () => {
  it('prints timestamp statistics without the ISO T, zero fractions and Z', () => {
    expect(formatStatValue('2024-03-03T20:01:00.000Z')).toBe('2024-03-03 20:01:00')
    expect(formatStatValue('2024-03-03T20:01:00.120Z')).toBe('2024-03-03 20:01:00.12')
    expect(formatStatValue('2024-03-03T20:01:00.000+02:00')).toBe('2024-03-03 20:01:00 +02:00')
    expect(formatStatValue('Austin')).toBe('Austin')
    expect(formatStatValue(10)).toBe('10')
  })

  it('prints sizes and counts', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB')
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatCount(null)).toBe('—')
  })

  it('prints commit times in UTC', () => {
    expect(formatCommitTime(Date.UTC(2024, 2, 6, 23, 0, 44))).toBe('2024-03-06 23:00:44')
  })

  it('reads rows added and removed from the metrics each operation writes', () => {
    expect(rowsChanged({ numOutputRows: '11', numDeletedRows: '0' })).toEqual({ added: 11, removed: 0 })
    expect(rowsChanged({ numTargetRowsInserted: '3', numTargetRowsUpdated: '2', numTargetRowsDeleted: '1', numOutputRows: '40' })).toEqual({ added: 5, removed: 1 })
    expect(rowsChanged({})).toEqual({ added: null, removed: null })
  })

  it('indents raw actions and leaves broken JSON alone', () => {
    expect(prettyJson('{"add":{"path":"a"}}')).toBe('{\n  "add": {\n    "path": "a"\n  }\n}')
    expect(prettyJson('{oops')).toBe('{oops')
  })
})
