// Tests for partition value typing (evaluated by DuckDB) and log path decoding.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaError } from './errors'
import { decodeLogPath, partitionValueLiteral, resolveTablePath } from './partitionValues'

let session: DuckdbSession
beforeAll(async () => {
  session = await DuckdbSession.create({ threads: 1 })
})
afterAll(() => session?.close())

async function evaluate(raw: string | null, type: string): Promise<string | null> {
  const rows = await session.query(`SELECT CAST(v AS VARCHAR) AS v, typeof(v) AS t FROM (SELECT ${partitionValueLiteral(raw, type, 'f.parquet, partition column c')} AS v)`)
  return rows[0]!.v === null ? `NULL:${rows[0]!.t}` : `${rows[0]!.v}:${rows[0]!.t}`
}

describe('partitionValueLiteral', () => {
  it('types every primitive partition value as DuckDB would read the column', async () => {
    expect(await evaluate('42', 'integer')).toBe('42:INTEGER')
    expect(await evaluate('-9223372036854775808', 'long')).toBe('-9223372036854775808:BIGINT')
    expect(await evaluate('-7', 'byte')).toBe('-7:TINYINT')
    expect(await evaluate('12', 'short')).toBe('12:SMALLINT')
    expect(await evaluate('true', 'boolean')).toBe('true:BOOLEAN')
    expect(await evaluate('1.5', 'double')).toBe('1.5:DOUBLE')
    expect(await evaluate('NaN', 'float')).toBe('nan:FLOAT')
    expect(await evaluate('123.45', 'decimal(10,2)')).toBe('123.45:DECIMAL(10,2)')
    expect(await evaluate('2021-09-08', 'date')).toBe('2021-09-08:DATE')
    expect(await evaluate('it\'s', 'string')).toBe("it's:VARCHAR")
    expect(await evaluate('null', 'string')).toBe('null:VARCHAR')
  })

  it('reads zone-less timestamps as UTC, keeps zones, and keeps timestamp_ntz wall-clock microseconds', async () => {
    expect(await evaluate('2021-09-08 11:11:11', 'timestamp')).toBe('2021-09-08 11:11:11+00:TIMESTAMP WITH TIME ZONE')
    expect(await evaluate('2021-09-08T11:11:11.5+02:00', 'timestamp')).toBe('2021-09-08 09:11:11.5+00:TIMESTAMP WITH TIME ZONE')
    expect(await evaluate('2021-11-18 02:30:00.123456', 'timestamp_ntz')).toBe('2021-11-18 02:30:00.123456:TIMESTAMP')
  })

  it('reads binary partition values as the UTF-8 bytes of the string', async () => {
    const rows = await session.query(`SELECT hex(${partitionValueLiteral('😈', 'binary', 'x')}) AS h`)
    expect(rows[0]!.h).toBe('F09F9888')
  })

  it('treats null, missing and empty values as typed NULL', async () => {
    expect(await evaluate(null, 'date')).toBe('NULL:DATE')
    expect(await evaluate('', 'integer')).toBe('NULL:INTEGER')
  })

  it('names the file and column when a value does not parse', () => {
    for (const [raw, type] of [['4.5', 'integer'], ['300', 'byte'], ['yes', 'boolean'], ['2021-13', 'date'], ['noon', 'timestamp'], ['1,5', 'decimal(5,2)']]) {
      let error: unknown
      try {
        partitionValueLiteral(raw!, type!, 'part-1.parquet, partition column c')
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(DeltaError)
      expect((error as DeltaError).code).toBe('CORRUPT_LOG')
      expect((error as DeltaError).message).toContain('part-1.parquet, partition column c')
    }
  })
})

describe('log paths', () => {
  it('URI-decodes relative paths once: %2520 is a directory named with %20', () => {
    expect(decodeLogPath('x=B%2520B/part-1.parquet')).toBe('x=B%20B/part-1.parquet')
    expect(decodeLogPath('a%20b/c.parquet')).toBe('a b/c.parquet')
    expect(decodeLogPath('data=%F0%9F%98%88/f.parquet')).toBe('data=😈/f.parquet')
    expect(decodeLogPath('100%/f.parquet')).toBe('100%/f.parquet')
  })

  it('resolves relative, file: and Hadoop-style file: paths; refuses remote storage', () => {
    expect(resolveTablePath('/t', 'a%20b/c.parquet')).toBe(path.join('/t', 'a b', 'c.parquet'))
    expect(resolveTablePath('/t', 'file:///data/x%20y.parquet')).toBe('/data/x y.parquet')
    expect(resolveTablePath('/t', 'file:/data/x.parquet')).toBe('/data/x.parquet')
    expect(() => resolveTablePath('/t', 's3://bucket/x.parquet')).toThrow(/s3 storage/)
  })
})
