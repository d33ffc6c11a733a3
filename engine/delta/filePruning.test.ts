// Tests for data skipping: exact examples and a property that a file holding a matching row is never dropped.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AddFile } from './actions'
import { pruneFiles, type PruneFilter } from './filePruning'
import type { StructField } from './schema'
import type { Snapshot } from './snapshot'

const field = (name: string, type: string, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable: true, metadata })

function snapshotOf(fields: StructField[], files: AddFile[], partitionColumns: string[] = [], configuration: Record<string, string> = {}): Snapshot {
  const schemaString = JSON.stringify({ type: 'struct', fields })
  return {
    tableRoot: '/t', version: 0, timestamp: 0,
    protocol: { minReaderVersion: 1, minWriterVersion: 2 },
    metadata: { id: 'x', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns, configuration },
    schema: { type: 'struct', fields }, partitionColumns, files, tombstones: [], txns: new Map(), domainMetadata: new Map()
  }
}

const file = (path: string, stats: object | null, partitionValues: Record<string, string | null> = {}): AddFile => ({
  path, partitionValues, size: 1, modificationTime: 0, dataChange: true, stats: stats === null ? null : JSON.stringify(stats)
})

const names = (files: AddFile[]) => files.map((f) => f.path)

describe('pruneFiles', () => {
  const fields = [field('p', 'integer'), field('n', 'long'), field('s', 'string'), field('ts', 'timestamp')]
  const files = [
    file('a', { numRecords: 3, minValues: { n: 1, s: 'apple', ts: '2024-01-01T00:00:00.000Z' }, maxValues: { n: 5, s: 'cherry', ts: '2024-01-01T10:00:00.123Z' }, nullCount: { n: 0, s: 1, ts: 0 } }, { p: '1' }),
    file('b', { numRecords: 2, minValues: { n: 10, s: 'kiwi' }, maxValues: { n: 20, s: 'lemon' }, nullCount: { n: 0, s: 0 } }, { p: '2' }),
    file('c', null, { p: null }),
    file('d', { numRecords: 4, minValues: {}, maxValues: {}, nullCount: { n: 4, s: 4 } }, { p: '2' })
  ]
  const snap = snapshotOf(fields, files, ['p'])
  const prune = (...filters: PruneFilter[]) => names(pruneFiles(snap, filters))

  it('uses partition values, including null partitions', () => {
    expect(prune({ column: 'p', op: '=', value: 2 })).toEqual(['b', 'd'])
    expect(prune({ column: 'P', op: 'IS NULL' })).toEqual(['c'])
    expect(prune({ column: 'p', op: 'IN', value: [1, 3] })).toEqual(['a'])
  })

  it('uses min/max/nullCount and keeps files without stats', () => {
    expect(prune({ column: 'n', op: '>', value: 7 })).toEqual(['b', 'c'])
    expect(prune({ column: 'n', op: '<=', value: 1 })).toEqual(['a', 'c'])
    expect(prune({ column: 's', op: '=', value: 'banana' })).toEqual(['a', 'c'])
    expect(prune({ column: 'n', op: 'IS NOT NULL' })).toEqual(['a', 'b', 'c'])
    expect(prune({ column: 's', op: 'IS NULL' })).toEqual(['a', 'c', 'd'])
    expect(prune({ column: 'n', op: '>', value: 7 }, { column: 'p', op: '=', value: 2 })).toEqual(['b'])
  })

  it('widens truncated timestamp max by a millisecond', () => {
    expect(prune({ column: 'ts', op: '>', value: '2024-01-01T10:00:00.123456Z' })).toEqual(['a', 'b', 'c', 'd'])
    expect(prune({ column: 'ts', op: '>', value: '2024-01-01T10:00:01Z' })).toEqual(['b', 'c', 'd'])
  })

  it('does not trust the max of possibly truncated long strings', () => {
    const long = 'x'.repeat(40)
    const s = snapshotOf([field('s', 'string')], [file('f', { numRecords: 1, minValues: { s: long.slice(0, 32) }, maxValues: { s: long.slice(0, 32) }, nullCount: { s: 0 } })])
    expect(names(pruneFiles(s, [{ column: 's', op: '=', value: long }]))).toEqual(['f'])
  })

  it('looks stats and partition values up by physical name under column mapping', () => {
    const cm = [field('p', 'integer', { 'delta.columnMapping.physicalName': 'col-p' }), field('n', 'long', { 'delta.columnMapping.physicalName': 'col-n' })]
    const s = snapshotOf(cm, [file('x', { numRecords: 1, minValues: { 'col-n': 5 }, maxValues: { 'col-n': 6 }, nullCount: { 'col-n': 0 } }, { 'col-p': '3' })], ['p'], { 'delta.columnMapping.mode': 'name' })
    expect(names(pruneFiles(s, [{ column: 'n', op: '=', value: 9 }]))).toEqual([])
    expect(names(pruneFiles(s, [{ column: 'p', op: '=', value: 3 }, { column: 'n', op: '>=', value: 6 }]))).toEqual(['x'])
  })

  it('rejects unknown columns and comparisons with null', () => {
    expect(() => prune({ column: 'nope', op: '=', value: 1 })).toThrow(/not in the schema/)
    expect(() => prune({ column: 'n', op: '=', value: null })).toThrow(/IS NULL/)
  })

  it('never drops a file that holds a matching row (property)', () => {
    const ops = ['=', '<', '<=', '>', '>=', '!=', 'IS NULL', 'IS NOT NULL', 'IN'] as const
    const value = fc.option(fc.integer({ min: -20, max: 20 }), { nil: null })
    const fileRows = fc.record({ part: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), rows: fc.array(value, { minLength: 1, maxLength: 6 }), withStats: fc.boolean() })
    const matches = (v: number | null, op: (typeof ops)[number], t: number | number[]): boolean => {
      if (op === 'IS NULL') return v === null
      if (op === 'IS NOT NULL') return v !== null
      if (v === null) return false
      const x = t as number
      switch (op) {
        case '=': return v === x
        case '<': return v < x
        case '<=': return v <= x
        case '>': return v > x
        case '>=': return v >= x
        case '!=': return v !== x
        default: return (t as number[]).includes(v)
      }
    }
    fc.assert(
      fc.property(fc.array(fileRows, { minLength: 1, maxLength: 6 }), fc.constantFrom(...ops), fc.constantFrom('n', 'p'), fc.integer({ min: -20, max: 20 }), fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 3 }), (specs, op, column, x, list) => {
        const adds = specs.map((spec, i) => {
          const nonNull = spec.rows.filter((v): v is number => v !== null)
          const stats = spec.withStats
            ? { numRecords: spec.rows.length, minValues: nonNull.length ? { n: Math.min(...nonNull) } : {}, maxValues: nonNull.length ? { n: Math.max(...nonNull) } : {}, nullCount: { n: spec.rows.length - nonNull.length } }
            : null
          return file(`f${i}`, stats, { p: spec.part === null ? null : String(spec.part) })
        })
        const snap = snapshotOf([field('p', 'integer'), field('n', 'long')], adds, ['p'])
        const target = op === 'IN' ? list : x
        const kept = new Set(names(pruneFiles(snap, [{ column, op, value: target }])))
        specs.forEach((spec, i) => {
          const values = column === 'p' ? spec.rows.map(() => spec.part) : spec.rows
          if (values.some((v) => matches(v, op, target))) expect(kept.has(`f${i}`), `f${i} holds a row matching ${column} ${op} ${JSON.stringify(target)}`).toBe(true)
        })
      }),
      { numRuns: 300 }
    )
  })
})
