// gridSelection: the grid's selection model (an anchor and a focus cell spanning a rectangle) and its keyboard moves.

/** A cell by display position: `row` in the sorted order on screen, `column` by index. */
export interface CellPosition {
  row: number
  column: number
}

/** The rectangle between `anchor` (where the selection started) and `focus` (the active cell, moved by arrows). */
export interface GridSelection {
  anchor: CellPosition
  focus: CellPosition
}

/** Inclusive bounds of a selection. */
export interface SelectionBounds {
  firstRow: number
  lastRow: number
  firstColumn: number
  lastColumn: number
}

export function selectionBounds(selection: GridSelection): SelectionBounds {
  const { anchor, focus } = selection
  return {
    firstRow: Math.min(anchor.row, focus.row),
    lastRow: Math.max(anchor.row, focus.row),
    firstColumn: Math.min(anchor.column, focus.column),
    lastColumn: Math.max(anchor.column, focus.column)
  }
}

export function isCellSelected(bounds: SelectionBounds | null, row: number, column: number): boolean {
  return bounds !== null && row >= bounds.firstRow && row <= bounds.lastRow && column >= bounds.firstColumn && column <= bounds.lastColumn
}

/** A click on a cell: a single-cell selection, or (with shift) the range from the current anchor. */
export function clickCell(current: GridSelection | null, cell: CellPosition, extend: boolean): GridSelection {
  return extend && current ? { anchor: current.anchor, focus: cell } : { anchor: cell, focus: cell }
}

/** A click on a row number: whole rows, from the anchor's row when extending. */
export function clickRow(current: GridSelection | null, row: number, columnCount: number, extend: boolean): GridSelection {
  const last = Math.max(0, columnCount - 1)
  const anchorRow = extend && current ? current.anchor.row : row
  return { anchor: { row: anchorRow, column: 0 }, focus: { row, column: last } }
}

/** Everything (Ctrl/Cmd+A); null for an empty grid. */
export function selectAll(rowCount: number, columnCount: number): GridSelection | null {
  if (rowCount === 0 || columnCount === 0) return null
  return { anchor: { row: 0, column: 0 }, focus: { row: rowCount - 1, column: columnCount - 1 } }
}

export type GridMove = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'top' | 'bottom'

/**
 * The selection after a navigation key: the focus moves (clamped to the grid); without `extend` the anchor follows
 * it (a single cell), with it (shift) the range grows. `pageRows` is how many rows a page key moves.
 */
export function moveSelection(current: GridSelection | null, move: GridMove, extend: boolean, rowCount: number, columnCount: number, pageRows: number): GridSelection | null {
  if (rowCount === 0 || columnCount === 0) return null
  const from = current?.focus ?? { row: 0, column: 0 }
  let { row, column } = from
  if (current) {
    switch (move) {
      case 'up': row -= 1; break
      case 'down': row += 1; break
      case 'left': column -= 1; break
      case 'right': column += 1; break
      case 'pageUp': row -= pageRows; break
      case 'pageDown': row += pageRows; break
      case 'home': column = 0; break
      case 'end': column = columnCount - 1; break
      case 'top': row = 0; break
      case 'bottom': row = rowCount - 1; break
    }
  }
  const focus = { row: clamp(row, 0, rowCount - 1), column: clamp(column, 0, columnCount - 1) }
  return extend && current ? { anchor: current.anchor, focus } : { anchor: focus, focus }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
