// chartSpec: which result columns can be plotted, the default axes, and the capped series data handed to the Chart.
import { DataType, type Table } from 'apache-arrow'
import { cellFormatter } from '../../ui/dataGrid/formatCell'
import type { ChartAxisType, ChartKind, ChartSeries } from '../../ui/Chart'

/** How a column behaves on an axis. */
export type ColumnRole = 'number' | 'temporal' | 'text'

export interface ChartColumn {
  index: number
  name: string
  role: ColumnRole
}

/** Rows plotted at most: beyond this a chart is unreadable and slow; the view says how many were left out. */
export const chartRowCap = 10_000

/** Y series chosen by default (more are one click away). */
const defaultSeriesLimit = 4

export function chartColumns(table: Table): ChartColumn[] {
  return table.schema.fields.map((field, index) => {
    const type = field.type
    let role: ColumnRole = 'text'
    if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type) || field.metadata.get('lakebench.encoding') === 'decimal-string') role = 'number'
    else if (DataType.isDate(type) || DataType.isTimestamp(type)) role = 'temporal'
    return { index, name: field.name, role }
  })
}

/**
 * Default axes: X is the first text or date/time column (a GROUP BY key, a day); without one, the first numeric
 * column when at least two are numeric. Y is every other numeric column, up to four. `x` is null when there is nothing
 * to plot (no numeric column left for Y).
 */
export function defaultChartAxes(columns: readonly ChartColumn[]): { x: number | null; y: number[] } {
  const numeric = columns.filter((c) => c.role === 'number')
  const key = columns.find((c) => c.role === 'text' || c.role === 'temporal') ?? (numeric.length >= 2 ? numeric[0] : undefined)
  if (!key) return { x: null, y: [] }
  const y = numeric.filter((c) => c.index !== key.index).slice(0, defaultSeriesLimit).map((c) => c.index)
  return y.length ? { x: key.index, y } : { x: null, y: [] }
}

export interface ChartData {
  xType: ChartAxisType
  x: (string | number | null)[]
  series: ChartSeries[]
  /** Rows plotted (at most chartRowCap) and rows in the result. */
  shownRows: number
  totalRows: number
}

/**
 * The first `cap` rows as chart data. Bars always use a category axis (labels as the grid prints them); lines and
 * scatters put dates and timestamps on a time axis and numbers on a value axis. Y values are numbers (Int64 and
 * decimals converted, so beyond 2^53 they are approximate, which a chart cannot show anyway); NULL and non-finite
 * values are gaps.
 * @throws RangeError when `x` or a `ys` entry is not a column of `table`.
 */
export function chartData(table: Table, x: number, ys: readonly number[], kind: ChartKind, cap = chartRowCap): ChartData {
  const columns = chartColumns(table)
  const xColumn = columns[x]
  if (!xColumn) throw new RangeError(`X column ${x} does not exist (the result has ${columns.length} columns)`)
  const shownRows = Math.min(cap, table.numRows)
  const xVector = table.getChildAt(x)!
  const xType: ChartAxisType = kind === 'bar' || xColumn.role === 'text' ? 'category' : xColumn.role === 'temporal' ? 'time' : 'value'
  const xValues: (string | number | null)[] = new Array(shownRows)
  const format = cellFormatter(table.schema.fields[x]!)
  for (let row = 0; row < shownRows; row++) {
    const value = xVector.get(row)
    if (value === null || value === undefined) xValues[row] = null
    else xValues[row] = xType === 'category' ? format(value).text : toNumber(value)
  }
  const series = ys.map((index) => {
    const vector = table.getChildAt(index)
    if (!vector || !columns[index]) throw new RangeError(`Y column ${index} does not exist (the result has ${columns.length} columns)`)
    const values: (number | null)[] = new Array(shownRows)
    for (let row = 0; row < shownRows; row++) values[row] = toNumber(vector.get(row))
    return { name: columns[index].name, values }
  })
  return { xType, x: xValues, series, shownRows, totalRows: table.numRows }
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const n = typeof value === 'number' ? value : Number(typeof value === 'bigint' ? value : String(value))
  return Number.isFinite(n) ? n : null
}
