// Tests copying grid selections as TSV: rectangles, sorted order, NULLs, quoting, headers and the row cap.
import { Int32, Int64, Table, Utf8, tableFromArrays, vectorFromArray } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { clickCell, clickRow, moveSelection, selectAll, selectionBounds } from './gridSelection'
import { maxCopyRows, selectionToTsv } from './selectionTsv'
import { sortPermutation } from './sortPermutation'

const table = new Table({
  id: vectorFromArray([3n, 1n, 2n], new Int64()),
  name: vectorFromArray(['tab\there', null, 'say "hi"'], new Utf8()),
  score: vectorFromArray([7, 8, 9], new Int32())
})

describe('selectionToTsv', () => {
  it('copies a rectangle in display order, NULL as an empty field, awkward text quoted', () => {
    const bounds = selectionBounds(clickCell(clickCell(null, { row: 0, column: 0 }, false), { row: 2, column: 1 }, true))
    const copied = selectionToTsv(table, bounds, null, false)
    expect(copied.text).toBe('3\t"tab\there"\n1\t\n2\t"say ""hi"""\n')
    expect(copied).toMatchObject({ rows: 3, columns: 2, truncated: false })
  })

  it('follows the sort permutation and adds the column names for whole rows', () => {
    const order = sortPermutation(table, 0, 'asc')
    const rows = selectionBounds(clickRow(clickRow(null, 0, 3, false), 1, 3, true))
    expect(selectionToTsv(table, rows, order, true).text).toBe('id\tname\tscore\n1\t\t8\n2\t"say ""hi"""\t9\n')
    const all = selectionBounds(selectAll(3, 3)!)
    expect(selectionToTsv(table, all, order, true).text.split('\n')).toHaveLength(5)
  })

  it('stops at maxCopyRows and says so', () => {
    const big = tableFromArrays({ n: Int32Array.from({ length: maxCopyRows + 5 }, (_, i) => i) })
    const copied = selectionToTsv(big, selectionBounds(selectAll(big.numRows, 1)!), null, false)
    expect(copied.rows).toBe(maxCopyRows)
    expect(copied.truncated).toBe(true)
    expect(copied.text.split('\n').at(-2)).toBe(String(maxCopyRows - 1))
  })
})

describe('grid selection moves', () => {
  it('arrows move a single cell, shift+arrows grow the range, and both stop at the edges', () => {
    let selection = moveSelection(null, 'down', false, 3, 2, 10)
    expect(selection).toEqual({ anchor: { row: 0, column: 0 }, focus: { row: 0, column: 0 } })
    selection = moveSelection(selection, 'down', false, 3, 2, 10)
    selection = moveSelection(selection, 'right', true, 3, 2, 10)
    selection = moveSelection(selection, 'right', true, 3, 2, 10)
    expect(selectionBounds(selection!)).toEqual({ firstRow: 1, lastRow: 1, firstColumn: 0, lastColumn: 1 })
    expect(moveSelection(selection, 'pageDown', false, 3, 2, 10)!.focus).toEqual({ row: 2, column: 1 })
    expect(moveSelection(selection, 'top', false, 3, 2, 10)!.focus).toEqual({ row: 0, column: 1 })
    expect(selectAll(0, 2)).toBeNull()
  })
})
