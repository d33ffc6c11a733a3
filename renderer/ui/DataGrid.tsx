// DataGrid: a virtualized, read-only table over an Arrow Table: only the rows in view are in the DOM.
import type { Table } from 'apache-arrow'
import { type UIEvent, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { type FormattedCell, cellFormatter, typeLabel } from './dataGrid/formatCell'
import { columnWidth, visibleRowRange } from './dataGrid/gridLayout'

export interface DataGridProps {
  table: Table
  /** Type names for the headers (the engine's Spark types); Arrow's types are used where absent. */
  columnTypes?: string[]
  ariaLabel: string
  /**
   * Extra class for one cell (e.g. `cell-changed` in a diff), by row and column index; undefined leaves it plain.
   * Called only for rendered cells, so it may be as slow as a lookup per cell.
   */
  cellClass?: (row: number, column: number) => string | undefined
  /** Extra class for one row (e.g. `row-added`). */
  rowClass?: (row: number) => string | undefined
}

const rowHeight = 26
const headerHeight = 42
const sampleRows = 200

/**
 * Renders `table` with a sticky header (name + type) and a sticky row-number column. Scrolling re-renders only the
 * visible window (see visibleRowRange), so 100k+ rows cost the same as 30.
 */
export function DataGrid({ table, columnTypes, ariaLabel, cellClass, rowClass }: DataGridProps) {
  const viewport = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewportHeight, setViewportHeight] = useState(600)

  useLayoutEffect(() => {
    const element = viewport.current!
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight))
    observer.observe(element)
    setViewportHeight(element.clientHeight)
    return () => observer.disconnect()
  }, [])

  // A new result starts at the top.
  useLayoutEffect(() => {
    viewport.current?.scrollTo({ top: 0, left: 0 })
    setScrollTop(0)
  }, [table])

  const columns = useMemo(
    () =>
      table.schema.fields.map((field, index) => {
        const vector = table.getChildAt(index)
        const format = cellFormatter(field)
        const type = columnTypes?.[index] ?? typeLabel(field)
        const samples: string[] = []
        for (let row = 0; row < Math.min(sampleRows, table.numRows); row++) samples.push(format(vector?.get(row)).text)
        return { name: field.name, type, vector, format, width: columnWidth(field.name, type, samples) }
      }),
    [table, columnTypes]
  )

  const rowCount = table.numRows
  const numberWidth = Math.max(48, String(rowCount).length * 8 + 20)
  const totalWidth = numberWidth + columns.reduce((sum, c) => sum + c.width, 0)
  const { first, last } = visibleRowRange(scrollTop, viewportHeight - headerHeight, rowHeight, rowCount)

  const rows = []
  for (let row = first; row < last; row++) {
    rows.push(
      <div key={row} role="row" aria-rowindex={row + 2} className={`grid-row${row % 2 ? ' odd' : ''}${rowClass ? ` ${rowClass(row) ?? ''}` : ''}`} style={{ top: headerHeight + row * rowHeight, width: totalWidth }}>
        <div role="rowheader" className="grid-cell grid-rownum" style={{ width: numberWidth }}>
          {row + 1}
        </div>
        {columns.map((column, index) => {
          const cell: FormattedCell = column.format(column.vector?.get(row))
          return (
            <div key={index} role="gridcell" className={`grid-cell cell-${cell.kind}${cellClass ? ` ${cellClass(row, index) ?? ''}` : ''}`} style={{ width: column.width }} title={cell.text.length > 40 ? cell.text : undefined}>
              {cell.text}
            </div>
          )
        })}
      </div>
    )
  }

  return (
    <div
      ref={viewport}
      className="grid-viewport"
      role="grid"
      aria-label={ariaLabel}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length + 1}
      tabIndex={0}
      onScroll={(event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div className="grid-canvas" style={{ height: headerHeight + rowCount * rowHeight, width: totalWidth }}>
        <div role="row" aria-rowindex={1} className="grid-header" style={{ height: headerHeight, width: totalWidth }}>
          <div role="columnheader" className="grid-cell grid-rownum" style={{ width: numberWidth }}>
            #
          </div>
          {columns.map((column, index) => (
            <div key={index} role="columnheader" className="grid-cell grid-headcell" style={{ width: column.width }} title={`${column.name}: ${column.type}`}>
              <span className="grid-colname">{column.name}</span>
              <span className="grid-coltype">{column.type}</span>
            </div>
          ))}
        </div>
        {rows}
      </div>
    </div>
  )
}
