// diffCells: which cells of a version-diff result to highlight (a `_change` column, keys, then `<c>` / `<c>__from` pairs).
import type { Table } from 'apache-arrow'
import { cellFormatter } from './formatCell'

export const changeColumn = '_change'
export const fromSuffix = '__from'

export interface DiffCellClasses {
  /** `row-added`, `row-removed` or `row-changed`, from the row's `_change` value. */
  rowClass(row: number): string | undefined
  /** `cell-changed` on a `<c>` cell whose value differs from its `<c>__from` twin in a changed row; `cell-was` on that twin. */
  cellClass(row: number, column: number): string | undefined
}

/**
 * Reads a diff table's shape: every column `<c>` with a `<c>__from` partner is a compared pair. Values are compared by
 * their display text, so bigint, dates and nested values compare as the user sees them. A table without `_change`
 * gets no highlighting.
 */
export function diffCells(table: Table): DiffCellClasses {
  const names = table.schema.fields.map((f) => f.name)
  const changeIndex = names.indexOf(changeColumn)
  const change = changeIndex >= 0 ? table.getChildAt(changeIndex) : null
  // column index -> partner index and role
  const partner = new Map<number, { other: number; role: 'to' | 'from' }>()
  names.forEach((name, index) => {
    if (!name.endsWith(fromSuffix)) return
    const to = names.indexOf(name.slice(0, -fromSuffix.length))
    if (to < 0) return
    partner.set(to, { other: index, role: 'to' })
    partner.set(index, { other: to, role: 'from' })
  })
  const formatters = table.schema.fields.map((f) => cellFormatter(f))
  const text = (row: number, column: number) => formatters[column]!(table.getChildAt(column)?.get(row)).text
  const changeOf = (row: number) => (change ? String(change.get(row) ?? '') : '')
  return {
    rowClass: (row) => {
      const kind = changeOf(row)
      return kind ? `row-${kind}` : undefined
    },
    cellClass: (row, column) => {
      if (column === changeIndex) return `change-badge change-${changeOf(row)}`
      const pair = partner.get(column)
      if (!pair || changeOf(row) !== 'changed') return undefined
      if (text(row, column) === text(row, pair.other)) return undefined
      return pair.role === 'to' ? 'cell-changed' : 'cell-was'
    }
  }
}

/**
 * Column order for showing a diff: `_change`, the key, then the pairs that changed most often (to-value beside its
 * from-value), then the rest as they came. Names not in `names` are ignored, so a partial `changedCounts` is fine.
 */
export function diffColumnOrder(names: string[], key: string[], changedCounts: Record<string, number>): string[] {
  const present = new Set(names)
  const first = [changeColumn, ...key].filter((n) => present.has(n))
  const changed = Object.entries(changedCounts)
    .filter(([column, n]) => n > 0 && present.has(column))
    .sort((a, b) => b[1] - a[1])
    .flatMap(([column]) => [column, `${column}${fromSuffix}`].filter((n) => present.has(n)))
  const placed = new Set([...first, ...changed])
  return [...first, ...changed, ...names.filter((n) => !placed.has(n))]
}
