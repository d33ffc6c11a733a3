// Tests for diff highlighting over a real Arrow diff table: changed pairs marked, equal pairs and added rows left plain.
import { Int64, Utf8, tableFromArrays, vectorFromArray, Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { diffCells, diffColumnOrder } from './diffCells'

function diffTable(): Table {
  return new Table({
    _change: vectorFromArray(['changed', 'added', 'changed'], new Utf8()),
    id: vectorFromArray([1n, 2n, 3n], new Int64()),
    city: vectorFromArray(['Austin', 'Reno', 'Denver'], new Utf8()),
    city__from: vectorFromArray(['Boston', null, 'Denver'], new Utf8()),
    zip: vectorFromArray([10n, 20n, 31n], new Int64()),
    zip__from: vectorFromArray([10n, null, 30n], new Int64())
  })
}

describe('diffCells', () => {
  it('marks the to-value and the from-value of a pair that differs in a changed row', () => {
    const cells = diffCells(diffTable())
    expect(cells.cellClass(0, 2)).toBe('cell-changed')
    expect(cells.cellClass(0, 3)).toBe('cell-was')
    expect(cells.cellClass(0, 4)).toBeUndefined() // zip equal in row 0
    expect(cells.cellClass(2, 2)).toBeUndefined() // city equal in row 2
    expect(cells.cellClass(2, 4)).toBe('cell-changed') // bigint 31 vs 30
  })

  it('leaves added rows and key columns unmarked, and classes rows by their change', () => {
    const cells = diffCells(diffTable())
    expect(cells.cellClass(1, 2)).toBeUndefined()
    expect(cells.cellClass(0, 1)).toBeUndefined()
    expect([0, 1, 2].map(cells.rowClass)).toEqual(['row-changed', 'row-added', 'row-changed'])
    expect(cells.cellClass(1, 0)).toBe('change-badge change-added')
  })

  it('does nothing for a table without a _change column', () => {
    const cells = diffCells(tableFromArrays({ a: ['x'], a__from: ['y'] }))
    expect(cells.rowClass(0)).toBeUndefined()
    expect(cells.cellClass(0, 0)).toBeUndefined()
  })
})

describe('diffColumnOrder', () => {
  it('puts the change, the key, then the most-changed pairs first', () => {
    const names = ['_change', 'id', 'city', 'city__from', 'zip', 'zip__from', 'note', 'note__from']
    expect(diffColumnOrder(names, ['id'], { city: 1, zip: 5, note: 0 })).toEqual(['_change', 'id', 'zip', 'zip__from', 'city', 'city__from', 'note', 'note__from'])
    expect(diffColumnOrder(names, ['id'], { gone: 3 })).toEqual(names)
  })
})
