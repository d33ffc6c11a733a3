import { describe, expect, it } from 'vitest'
import { encodeAddPath, escapePartitionPathName, HIVE_DEFAULT_PARTITION, partitionDirectory } from './partitionPath'

describe('partition directories and add.path encoding (checked against Spark-written tables in delta-conformance)', () => {
  it('Hive-escapes path characters and leaves spaces and non-ASCII alone', () => {
    expect(escapePartitionPathName('/%20%f')).toBe('%2F%2520%25f')
    expect(escapePartitionPathName('2021-09-08 11:11:11')).toBe('2021-09-08 11%3A11%3A11')
    expect(escapePartitionPathName('A/A')).toBe('A%2FA')
    expect(escapePartitionPathName('😈 ü')).toBe('😈 ü')
    expect(escapePartitionPathName('a=b?c#d\u0001')).toBe('a%3Db%3Fc%23d%01')
  })

  it('builds col=value directories in partition column order with the Hive default partition for null', () => {
    expect(partitionDirectory(['letter', 'date', 'data'], { data: null, letter: '/%20%f', date: '1970-01-01' }))
      .toBe('letter=%2F%2520%25f/date=1970-01-01/data=__HIVE_DEFAULT_PARTITION__')
    expect(partitionDirectory(['x'], { x: null })).toBe(`x=${HIVE_DEFAULT_PARTITION}`)
    expect(partitionDirectory([], {})).toBe('')
  })

  it('URI-encodes the relative path exactly as dat-multi_partitioned / drs special-partition record it', () => {
    const dir = partitionDirectory(['letter', 'date', 'data'], { letter: '/%20%f', date: '1970-01-01', data: 'hello' })
    expect(encodeAddPath(`${dir}/part-00000-e53b7132-1cb4-4673-9555-3e79f708a535.c000.snappy.parquet`))
      .toBe('letter=%252F%252520%2525f/date=1970-01-01/data=hello/part-00000-e53b7132-1cb4-4673-9555-3e79f708a535.c000.snappy.parquet')
    expect(encodeAddPath(`${partitionDirectory(['x'], { x: 'B B' })}/f.parquet`)).toBe('x=B%20B/f.parquet')
    expect(encodeAddPath(`${partitionDirectory(['data'], { data: '😈' })}/f.parquet`)).toBe('data=😈/f.parquet')
    expect(encodeAddPath(partitionDirectory(['as_timestamp'], { as_timestamp: '2021-09-08 11:11:11' }))).toBe('as_timestamp=2021-09-08%2011%253A11%253A11')
  })

  it('round-trips through URI decoding back to the on-disk directory', () => {
    for (const value of ['a b', 'x/y', '100%', 'ünï', '[]{}^', 'tab\there', "quote'\""]) {
      const dir = partitionDirectory(['p'], { p: value })
      expect(decodeURIComponent(encodeAddPath(dir))).toBe(dir)
    }
  })
})
