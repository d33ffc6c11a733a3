// Tests for cell formatting against real Arrow vectors (bigint, dates, microsecond timestamps, binary, nested, NULL).
import { Binary, DateDay, Field, Float64, Int64, TimestampMicrosecond, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { cellFormatter, typeLabel } from './formatCell'

function formatAll(field: Field, vector: { length: number; get(i: number): unknown }): string[] {
  const format = cellFormatter(field)
  return Array.from({ length: vector.length }, (_, i) => format(vector.get(i)).text)
}

describe('cellFormatter', () => {
  it('prints Int64 exactly, beyond 2^53', () => {
    const vector = vectorFromArray([9007199254740993n, -1n, null], new Int64())
    expect(formatAll(new Field('n', new Int64()), vector)).toEqual(['9007199254740993', '-1', 'NULL'])
  })

  it('prints dates as YYYY-MM-DD and microsecond timestamps to the microsecond', () => {
    const dates = vectorFromArray([new Date('2024-02-29T00:00:00Z'), null], new DateDay())
    expect(formatAll(new Field('d', new DateDay()), dates)).toEqual(['2024-02-29', 'NULL'])
    const micros = makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: 2, nullCount: 0, data: new BigInt64Array([1704164645123456n, 1704164645000000n]) }))
    expect(formatAll(new Field('t', new TimestampMicrosecond('UTC')), micros)).toEqual(['2024-01-02 03:04:05.123456', '2024-01-02 03:04:05'])
  })

  it('prints binary as hex, floats compactly and strings as is', () => {
    expect(formatAll(new Field('b', new Binary()), vectorFromArray([new Uint8Array([0, 255, 16])], new Binary()))).toEqual(['0x00ff10'])
    expect(formatAll(new Field('f', new Float64()), vectorFromArray([0.1 + 0.2, 2], new Float64()))).toEqual(['0.3', '2'])
    expect(formatAll(new Field('s', new Utf8()), vectorFromArray(['a', null], new Utf8()))).toEqual(['a', 'NULL'])
  })

  it('labels headers with Spark type names', () => {
    expect(typeLabel(new Field('n', new Int64()))).toBe('bigint')
    expect(typeLabel(new Field('s', new Utf8()))).toBe('string')
    expect(typeLabel(new Field('t', new TimestampMicrosecond('UTC')))).toBe('timestamp')
  })
})
