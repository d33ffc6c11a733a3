// Tests the grid's sort permutation on real Arrow tables: by type, nulls last, stable, decimals by value, a million rows.
import {
  DateDay, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, TimestampMicrosecond, Utf8, makeData, makeVector, tableFromArrays, vectorFromArray
} from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { nextSort, sortPermutation } from './sortPermutation'

const valuesInOrder = (table: Table, column: number, order: Uint32Array): unknown[] => Array.from(order, (row) => table.getChildAt(column)!.get(row))

describe('sortPermutation', () => {
  it('sorts doubles numerically (not as text) with NULL and NaN last in both directions', () => {
    const table = new Table({ x: vectorFromArray([10, null, 2, -1.5, NaN, 100], new Float64()) })
    expect(valuesInOrder(table, 0, sortPermutation(table, 0, 'asc'))).toEqual([-1.5, 2, 10, 100, null, NaN])
    expect(valuesInOrder(table, 0, sortPermutation(table, 0, 'desc'))).toEqual([100, 10, 2, -1.5, null, NaN])
  })

  it('sorts Int64 exactly beyond 2^53', () => {
    const table = new Table({ n: vectorFromArray([9007199254740993n, 9007199254740992n, null, -5n], new Int64()) })
    expect(valuesInOrder(table, 0, sortPermutation(table, 0, 'asc'))).toEqual([-5n, 9007199254740992n, 9007199254740993n, null])
    expect(valuesInOrder(table, 0, sortPermutation(table, 0, 'desc'))).toEqual([9007199254740993n, 9007199254740992n, -5n, null])
  })

  it('sorts dates and microsecond timestamps by instant', () => {
    const days = vectorFromArray([new Date('2024-03-01Z'), new Date('2023-12-31Z'), null, new Date('2024-01-15Z')], new DateDay())
    const micros = makeVector(makeData({ type: new TimestampMicrosecond(), length: 3, nullCount: 0, data: new BigInt64Array([1704164645000002n, 1704164645000001n, 1000n]) }))
    const dayTable = new Table({ d: days })
    expect(Array.from(sortPermutation(dayTable, 0, 'asc'))).toEqual([1, 3, 0, 2])
    const tsTable = new Table({ t: micros })
    expect(Array.from(sortPermutation(tsTable, 0, 'asc'))).toEqual([2, 1, 0])
  })

  it('sorts text by code units, is stable for ties and keeps rows with their other columns', () => {
    const table = tableFromArrays({ name: ['b', 'a', 'B', 'a', 'é'], id: Int32Array.from([0, 1, 2, 3, 4]) })
    const order = sortPermutation(table, 0, 'asc')
    expect(valuesInOrder(table, 0, order)).toEqual(['B', 'a', 'a', 'b', 'é'])
    expect(valuesInOrder(table, 1, order)).toEqual([2, 1, 3, 0, 4])
    // Descending keeps equal keys in their original order too.
    expect(valuesInOrder(table, 1, sortPermutation(table, 0, 'desc'))).toEqual([4, 0, 1, 3, 2])
  })

  it('sorts decimals the engine sends as exact text by their value', () => {
    const field = new Field('amount', new Utf8(), true, new Map([['lakebench.encoding', 'decimal-string']]))
    const values = vectorFromArray(['10.50', '9.99', null, '-2.00', '100.00'], new Utf8())
    const schema = new Schema([field])
    const table = new Table([new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: values.length, nullCount: 0, children: [values.data[0]!] }))])
    expect(valuesInOrder(table, 0, sortPermutation(table, 0, 'asc'))).toEqual(['-2.00', '9.99', '10.50', '100.00', null])
  })

  it('orders a million rows (a permutation: every row exactly once, keys non-decreasing)', () => {
    const n = 1_000_000
    const values = new Int32Array(n)
    let seed = 7
    for (let i = 0; i < n; i++) values[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 100_000
    const table = tableFromArrays({ v: values })
    const order = sortPermutation(table, 0, 'desc')
    expect(order.length).toBe(n)
    const seen = new Uint8Array(n)
    for (let i = 0; i < n; i++) seen[order[i]!] = 1
    expect(seen.every((s) => s === 1)).toBe(true)
    for (let i = 1; i < n; i++) if (values[order[i]!]! > values[order[i - 1]!]!) throw new Error(`row ${i} breaks the descending order`)
  })

  it('rejects a column that does not exist', () => {
    const table = tableFromArrays({ a: Int32Array.from([1]) })
    expect(() => sortPermutation(table, 3, 'asc')).toThrow(/Column 3 does not exist \(the table has 1 columns\)/)
  })
})

describe('nextSort', () => {
  it('cycles a header through ascending, descending and unsorted; another header starts ascending', () => {
    expect(nextSort(null, 2)).toEqual({ column: 2, direction: 'asc' })
    expect(nextSort({ column: 2, direction: 'asc' }, 2)).toEqual({ column: 2, direction: 'desc' })
    expect(nextSort({ column: 2, direction: 'desc' }, 2)).toBeNull()
    expect(nextSort({ column: 2, direction: 'desc' }, 0)).toEqual({ column: 0, direction: 'asc' })
  })
})
