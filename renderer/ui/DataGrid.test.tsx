// Component tests for DataGrid: a 100k-row Arrow table renders only the rows in view, and scrolling moves that window.
import { fireEvent, render, screen, within } from '@testing-library/react'
import { type Table, tableFromArrays } from 'apache-arrow'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DataGrid } from './DataGrid'

const rowCount = 100_000
const viewportHeight = 600

/** 100k rows: id = row index, label = `row <index>`, so every rendered cell can be checked against its row. */
const table100k: Table = tableFromArrays({
  id: Int32Array.from({ length: rowCount }, (_, i) => i),
  label: Array.from({ length: rowCount }, (_, i) => `row ${i}`)
})

const dataRows = () => screen.getAllByRole('row').filter((row) => row.getAttribute('aria-rowindex') !== '1')

describe('DataGrid', () => {
  // happy-dom has no layout, so every element is 0px tall; the grid's viewport is given the height a window would give it.
  beforeEach(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('grid-viewport') ? viewportHeight : 0
      }
    })
  })
  afterEach(() => {
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight
  })

  it('renders a header and only about a viewport of rows out of 100,000', () => {
    render(<DataGrid table={table100k} ariaLabel="Query results" />)
    const grid = screen.getByRole('grid', { name: 'Query results' })
    expect(grid.getAttribute('aria-rowcount')).toBe(String(rowCount + 1))
    const rows = dataRows()
    // 600px at 26px a row is about 22 rows; a few more either side are fine, thousands are not.
    expect(rows.length).toBeGreaterThanOrEqual(Math.floor(viewportHeight / 26) - 2)
    expect(rows.length).toBeLessThan(60)
    expect(within(grid).getAllByRole('gridcell')).toHaveLength(rows.length * 2)
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2')
    expect(within(rows[0]!).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['0', 'row 0'])
  })

  it('shows column names with their types, the engine’s where given', () => {
    render(<DataGrid table={table100k} columnTypes={['int', 'string']} ariaLabel="Query results" />)
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['#', 'idint', 'labelstring'])
  })

  it('renders the rows at the scroll position after a scroll, and nothing near the top', () => {
    render(<DataGrid table={table100k} ariaLabel="Query results" />)
    const grid = screen.getByRole('grid', { name: 'Query results' })
    grid.scrollTop = 50_000 * 26
    fireEvent.scroll(grid)
    const rows = dataRows()
    expect(rows.length).toBeLessThan(60)
    const indexes = rows.map((row) => Number(row.getAttribute('aria-rowindex')) - 2)
    expect(indexes).toContain(50_000)
    expect(Math.min(...indexes)).toBeGreaterThan(49_900)
    const row = rows.find((r) => r.getAttribute('aria-rowindex') === String(50_000 + 2))!
    expect(within(row).getByRole('rowheader').textContent).toBe('50001')
    expect(within(row).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['50000', 'row 50000'])
  })

  it('starts a new table at the top', () => {
    const { rerender } = render(<DataGrid table={table100k} ariaLabel="Query results" />)
    const grid = screen.getByRole('grid', { name: 'Query results' })
    grid.scrollTop = 10_000 * 26
    fireEvent.scroll(grid)
    expect(dataRows()[0]!.getAttribute('aria-rowindex')).not.toBe('2')
    rerender(<DataGrid table={tableFromArrays({ n: Int32Array.from([7, 8, 9]) })} ariaLabel="Query results" />)
    expect(dataRows().map((r) => within(r).getByRole('gridcell').textContent)).toEqual(['7', '8', '9'])
  })

  it('applies row and cell classes to rendered rows only', () => {
    const asked: number[] = []
    render(
      <DataGrid
        table={table100k}
        ariaLabel="Diff"
        rowClass={(row) => (row % 2 === 0 ? 'row-added' : undefined)}
        cellClass={(row, column) => {
          asked.push(row)
          return column === 1 && row === 3 ? 'cell-changed' : undefined
        }}
      />
    )
    const rows = dataRows()
    expect(rows[2]!.classList.contains('row-added')).toBe(true)
    expect(rows[3]!.classList.contains('row-added')).toBe(false)
    expect(within(rows[3]!).getAllByRole('gridcell')[1]!.classList.contains('cell-changed')).toBe(true)
    expect(Math.max(...asked)).toBeLessThan(60)
  })
})
