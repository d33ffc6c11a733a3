// DataGrid: a virtualized, read-only table over an Arrow Table (only the cells in view are in the DOM), sortable, selectable, copyable.
import type { Table } from 'apache-arrow'
import { type KeyboardEvent, type MouseEvent, type UIEvent, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { writeClipboard } from './dataGrid/clipboard'
import './dataGrid/dataGrid.css'
import { type FormattedCell, cellFormatter, typeLabel } from './dataGrid/formatCell'
import { type GridMove, type GridSelection, clickCell, clickRow, isCellSelected, moveSelection, selectAll, selectionBounds } from './dataGrid/gridSelection'
import { columnWidth, scrollToReveal, visibleColumnRange, visibleRowRange } from './dataGrid/gridLayout'
import { selectionToTsv } from './dataGrid/selectionTsv'
import { type SortSpec, nextSort, sortPermutation } from './dataGrid/sortPermutation'

export interface DataGridProps {
  table: Table
  /** Type names for the headers (the engine's Spark types); Arrow's types are used where absent. */
  columnTypes?: string[]
  ariaLabel: string
  /**
   * Extra class for one cell (e.g. `cell-changed` in a diff), by row index in `table` and column index; undefined
   * leaves it plain. Called only for rendered cells, so it may be as slow as a lookup per cell.
   */
  cellClass?: (row: number, column: number) => string | undefined
  /** Extra class for one row (e.g. `row-added`), by row index in `table`. */
  rowClass?: (row: number) => string | undefined
  /** Called with a row's index in `table` when it is clicked (e.g. to open it in a detail view). */
  onRowActivate?: (row: number) => void
  /** Index in `table` of the row shown as active (aria-selected, `row-active`). */
  activeRow?: number
}

const rowHeight = 26
const headerHeight = 42
const sampleRows = 200
const sortMarks = { asc: '▲', desc: '▼' } as const
const moveKeys: Record<string, GridMove> = {
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', PageUp: 'pageUp', PageDown: 'pageDown', Home: 'home', End: 'end'
}

/**
 * Renders `table` with a sticky header (name + type; click to sort ascending, descending, unsorted) and a sticky
 * row-number column. Only the rows and columns in the viewport are rendered, so 1M rows cost the same as 30. Sorting
 * reorders through an index permutation; the Arrow data is never copied. Cells are selected by click, shift-click,
 * drag, row-number click, Ctrl/Cmd+A and arrow keys (shift extends), and copied as TSV with Ctrl/Cmd+C or the footer's
 * Copy button.
 */
export function DataGrid({ table, columnTypes, ariaLabel, cellClass, rowClass, onRowActivate, activeRow }: DataGridProps) {
  const gridId = useId()
  const viewport = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [scrollLeft, setScrollLeft] = useState(0)
  const [viewportHeight, setViewportHeight] = useState(600)
  const [viewportWidth, setViewportWidth] = useState(0)
  const [sort, setSort] = useState<SortSpec | null>(null)
  const [selection, setSelection] = useState<GridSelection | null>(null)
  const [note, setNote] = useState<{ text: string; problem: boolean } | null>(null)
  const dragging = useRef(false)

  useLayoutEffect(() => {
    const element = viewport.current!
    const measure = () => {
      setViewportHeight(element.clientHeight)
      setViewportWidth(element.clientWidth)
    }
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    measure()
    return () => observer.disconnect()
  }, [])

  // A new result starts at the top, unsorted and unselected.
  useLayoutEffect(() => {
    viewport.current?.scrollTo({ top: 0, left: 0 })
    setScrollTop(0)
    setScrollLeft(0)
    setSort(null)
    setSelection(null)
    setNote(null)
  }, [table])

  // "Copied …" describes the selection it copied; a new selection makes it stale.
  useEffect(() => setNote(null), [selection])

  useEffect(() => {
    const stop = () => (dragging.current = false)
    window.addEventListener('mouseup', stop)
    return () => window.removeEventListener('mouseup', stop)
  }, [])

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
  const offsets = useMemo(() => columns.reduce<number[]>((acc, c) => [...acc, acc[acc.length - 1]! + c.width], [0]), [columns])
  const order = useMemo(() => (sort ? sortPermutation(table, sort.column, sort.direction) : null), [table, sort])
  const dataRow = useCallback((display: number) => (order ? order[display]! : display), [order])

  const rowCount = table.numRows
  const columnCount = columns.length
  const numberWidth = Math.max(48, String(rowCount).length * 8 + 20)
  const totalWidth = numberWidth + offsets[columnCount]!
  const { first, last } = visibleRowRange(scrollTop, viewportHeight - headerHeight, rowHeight, rowCount)
  // Without a measured width (no layout yet) every column renders.
  const visibleColumns = viewportWidth > 0 ? visibleColumnRange(offsets, scrollLeft, viewportWidth - numberWidth) : { first: 0, last: columnCount }
  const bounds = selection ? selectionBounds(selection) : null
  const pageRows = Math.max(1, Math.floor((viewportHeight - headerHeight) / rowHeight) - 1)
  const cellId = (row: number, column: number) => `${gridId}-r${row}-c${column}`

  const reveal = (target: GridSelection | null) => {
    const element = viewport.current
    if (!element || !target) return
    const { row, column } = target.focus
    const top = scrollToReveal(element.scrollTop, Math.max(rowHeight, element.clientHeight - headerHeight), row * rowHeight, rowHeight)
    const left = element.clientWidth > 0 ? scrollToReveal(element.scrollLeft, Math.max(1, element.clientWidth - numberWidth), offsets[column]!, columns[column]!.width) : element.scrollLeft
    if (top !== element.scrollTop || left !== element.scrollLeft) element.scrollTo({ top, left })
  }

  const copySelection = async (current: GridSelection | null) => {
    if (!current) {
      setNote({ text: 'Select cells to copy first', problem: true })
      return
    }
    const range = selectionBounds(current)
    const wholeRows = range.firstColumn === 0 && range.lastColumn === columnCount - 1
    const copied = selectionToTsv(table, range, order, wholeRows)
    const ok = await writeClipboard(copied.text)
    const what = `${copied.rows.toLocaleString('en-US')} ${copied.rows === 1 ? 'row' : 'rows'} × ${copied.columns} ${copied.columns === 1 ? 'column' : 'columns'}`
    setNote(ok
      ? { text: `Copied ${what} as TSV${copied.truncated ? ' (only the first rows: the selection is too large for the clipboard)' : ''}`, problem: false }
      : { text: 'The browser refused clipboard access', problem: true })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const command = event.ctrlKey || event.metaKey
    const key = event.key.toLowerCase()
    if (command && key === 'a') {
      event.preventDefault()
      setSelection(selectAll(rowCount, columnCount))
      return
    }
    if (command && key === 'c') {
      event.preventDefault()
      void copySelection(selection)
      return
    }
    if (event.key === 'Escape' && selection) {
      setSelection(null)
      return
    }
    let move = moveKeys[event.key]
    if (!move) return
    if (command && move === 'home') move = 'top'
    if (command && move === 'end') move = 'bottom'
    if (command && move === 'up') move = 'top'
    if (command && move === 'down') move = 'bottom'
    event.preventDefault()
    const next = moveSelection(selection, move, event.shiftKey, rowCount, columnCount, pageRows)
    setSelection(next)
    reveal(next)
  }

  const onCellDown = (event: MouseEvent, row: number, column: number) => {
    if (event.button !== 0) return
    dragging.current = true
    setSelection((current) => clickCell(current, { row, column }, event.shiftKey))
  }
  const onCellEnter = (row: number, column: number) => {
    if (dragging.current) setSelection((current) => (current ? { anchor: current.anchor, focus: { row, column } } : current))
  }
  const onRowNumberDown = (event: MouseEvent, row: number) => {
    if (event.button !== 0) return
    setSelection((current) => clickRow(current, row, columnCount, event.shiftKey))
  }

  const spacer = visibleColumns.first > 0 ? <div className="grid-spacer" style={{ width: offsets[visibleColumns.first] }} aria-hidden="true" /> : null
  const shownColumns = columns.slice(visibleColumns.first, visibleColumns.last)

  const rows = []
  for (let display = first; display < last; display++) {
    const row = dataRow(display)
    const rowSelected = bounds !== null && display >= bounds.firstRow && display <= bounds.lastRow
    rows.push(
      <div
        key={display}
        role="row"
        aria-rowindex={display + 2}
        aria-selected={activeRow === undefined ? undefined : activeRow === row}
        className={`grid-row${display % 2 ? ' odd' : ''}${rowClass ? ` ${rowClass(row) ?? ''}` : ''}${activeRow === row ? ' row-active' : ''}${onRowActivate ? ' row-activatable' : ''}`}
        style={{ top: headerHeight + display * rowHeight, width: totalWidth }}
        onClick={onRowActivate ? () => onRowActivate(row) : undefined}
      >
        <div role="rowheader" className={`grid-cell grid-rownum${rowSelected ? ' row-selected' : ''}`} style={{ width: numberWidth }} onMouseDown={(e) => onRowNumberDown(e, display)}>
          {display + 1}
        </div>
        {spacer}
        {shownColumns.map((column, offset) => {
          const index = visibleColumns.first + offset
          const cell: FormattedCell = column.format(column.vector?.get(row))
          const selected = isCellSelected(bounds, display, index)
          const focused = selection !== null && selection.focus.row === display && selection.focus.column === index
          return (
            <div
              key={index}
              id={cellId(display, index)}
              role="gridcell"
              aria-colindex={index + 2}
              aria-selected={selected}
              className={`grid-cell cell-${cell.kind}${selected ? ' cell-selected' : ''}${focused ? ' cell-focus' : ''}${cellClass ? ` ${cellClass(row, index) ?? ''}` : ''}`}
              style={{ width: column.width }}
              title={cell.text.length > 40 ? cell.text : undefined}
              onMouseDown={(e) => onCellDown(e, display, index)}
              onMouseEnter={() => onCellEnter(display, index)}
            >
              {cell.text}
            </div>
          )
        })}
      </div>
    )
  }

  const focusRendered = selection !== null && selection.focus.row >= first && selection.focus.row < last
    && selection.focus.column >= visibleColumns.first && selection.focus.column < visibleColumns.last
  const selectedRows = bounds ? bounds.lastRow - bounds.firstRow + 1 : 0
  const selectedColumns = bounds ? bounds.lastColumn - bounds.firstColumn + 1 : 0

  return (
    <div className="grid-frame">
      <div
        ref={viewport}
        className="grid-viewport"
        role="grid"
        aria-label={ariaLabel}
        aria-rowcount={rowCount + 1}
        aria-colcount={columnCount + 1}
        aria-multiselectable="true"
        aria-activedescendant={focusRendered ? cellId(selection!.focus.row, selection!.focus.column) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(event: UIEvent<HTMLDivElement>) => {
          setScrollTop(event.currentTarget.scrollTop)
          setScrollLeft(event.currentTarget.scrollLeft)
        }}
      >
        <div className="grid-canvas" style={{ height: headerHeight + rowCount * rowHeight, width: totalWidth }}>
          <div role="row" aria-rowindex={1} className="grid-header" style={{ height: headerHeight, width: totalWidth }}>
            <div role="columnheader" className="grid-cell grid-rownum" style={{ width: numberWidth }}>
              #
            </div>
            {spacer}
            {shownColumns.map((column, offset) => {
              const index = visibleColumns.first + offset
              const direction = sort?.column === index ? sort.direction : null
              return (
                <div
                  key={index}
                  role="columnheader"
                  aria-colindex={index + 2}
                  aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}
                  className="grid-cell grid-headcell"
                  style={{ width: column.width }}
                  title={`${column.name}: ${column.type}. Click to sort`}
                >
                  <button type="button" className="grid-sort" onClick={() => setSort((current) => nextSort(current, index))} aria-label={`Sort by ${column.name}`}>
                    <span className="grid-colname">
                      {column.name}
                      {direction && <span className="grid-sort-mark" aria-hidden="true">{sortMarks[direction]}</span>}
                    </span>
                    <span className="grid-coltype">{column.type}</span>
                  </button>
                </div>
              )
            })}
          </div>
          {rows}
        </div>
      </div>
      <div className="grid-footer" aria-label={`${ariaLabel} selection`}>
        <span className="grid-footer-info">
          {bounds
            ? `${selectedRows.toLocaleString('en-US')} ${selectedRows === 1 ? 'row' : 'rows'} × ${selectedColumns} ${selectedColumns === 1 ? 'column' : 'columns'} selected`
            : 'Click a cell to select; Shift+click or drag extends, Ctrl+A selects all, arrows move'}
          {sort && ` · sorted by ${columns[sort.column]?.name} ${sort.direction === 'asc' ? 'ascending' : 'descending'}`}
        </span>
        {note && (
          <span className={`grid-footer-note${note.problem ? ' problem' : ''}`} role="status">
            {note.text}
          </span>
        )}
        <button type="button" className="button small" onClick={() => void copySelection(selection)} disabled={!selection} title="Copy the selected cells as tab-separated text (Ctrl+C)">
          Copy
        </button>
      </div>
    </div>
  )
}
