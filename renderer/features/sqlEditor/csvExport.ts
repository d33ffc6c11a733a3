// csvExport: a decoded Arrow result as RFC 4180 CSV text, and browser downloads of it or of engine-made files.
import type { Table } from 'apache-arrow'
import { cellFormatter } from '../../ui/dataGrid/formatCell'

/**
 * CSV of `table`: a header row of column names, then one line per row, CRLF-separated. Values print as the grid
 * shows them (exact bigints, UTC timestamps, JSON for nested values) except NULL, which is an empty field. A field
 * holding a comma, quote, CR or LF is quoted, with inner quotes doubled.
 */
export function tableToCsv(table: Table): string {
  const fields = table.schema.fields
  const formatters = fields.map((f) => cellFormatter(f))
  const columns = fields.map((_, i) => table.getChildAt(i))
  const lines = [fields.map((f) => csvField(f.name)).join(',')]
  for (let row = 0; row < table.numRows; row++) {
    const cells = columns.map((column, i) => {
      const cell = formatters[i]!(column?.get(row))
      return cell.kind === 'null' ? '' : csvField(cell.text)
    })
    lines.push(cells.join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Offers `csv` as a file download named `fileName` (client-side; nothing goes to the engine). */
export function downloadCsv(csv: string, fileName: string): void {
  downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), fileName)
}

/** Offers `bytes` (e.g. a parquet file from the engine) as a download named `fileName`; the same in Electron and browsers. */
export function downloadBytes(bytes: Uint8Array, fileName: string, mimeType: string): void {
  downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), fileName)
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  // Revoked a little later: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
