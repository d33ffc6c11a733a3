// selectionTsv: the selected cells of the grid as tab-separated text for the clipboard, in the order on screen.
import type { Table } from 'apache-arrow'
import { cellFormatter } from './formatCell'
import type { SelectionBounds } from './gridSelection'

/** The most rows one copy takes: beyond this the text would be tens of MB and freeze the page while it is built. */
export const maxCopyRows = 200_000

export interface SelectionText {
  text: string
  rows: number
  columns: number
  /** True when the selection had more than maxCopyRows rows and only the first maxCopyRows were copied. */
  truncated: boolean
}

/**
 * TSV of the cells inside `bounds` (display rows, mapped through `order` to table rows when the grid is sorted).
 * Values print as the grid shows them; NULL is an empty field. A field containing a tab, newline or double quote is
 * quoted with inner quotes doubled (what spreadsheets paste back correctly). With `header`, the first line holds the
 * column names. Lines end with \n, the last one too.
 */
export function selectionToTsv(table: Table, bounds: SelectionBounds, order: Uint32Array | null, header: boolean): SelectionText {
  const fields = table.schema.fields.slice(bounds.firstColumn, bounds.lastColumn + 1)
  const vectors = fields.map((_, i) => table.getChildAt(bounds.firstColumn + i))
  const formatters = fields.map((f) => cellFormatter(f))
  const lastRow = Math.min(bounds.lastRow, bounds.firstRow + maxCopyRows - 1, table.numRows - 1)
  const lines: string[] = []
  if (header) lines.push(fields.map((f) => tsvField(f.name)).join('\t'))
  for (let display = bounds.firstRow; display <= lastRow; display++) {
    const row = order ? order[display]! : display
    lines.push(vectors.map((vector, i) => {
      const cell = formatters[i]!(vector?.get(row))
      return cell.kind === 'null' ? '' : tsvField(cell.text)
    }).join('\t'))
  }
  return {
    text: lines.length ? `${lines.join('\n')}\n` : '',
    rows: Math.max(0, lastRow - bounds.firstRow + 1),
    columns: fields.length,
    truncated: lastRow < Math.min(bounds.lastRow, table.numRows - 1)
  }
}

function tsvField(text: string): string {
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
