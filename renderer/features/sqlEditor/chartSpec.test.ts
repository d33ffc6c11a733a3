// Tests the chart's column roles, default axes (GROUP BY key as X, numbers as Y) and capped series data on Arrow tables.
import { DateDay, Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { chartColumns, chartData, defaultChartAxes } from './chartSpec'

const grouped = new Table({
  city: vectorFromArray(['Oslo', 'Lima', null], new Utf8()),
  orders: vectorFromArray([12n, 7n, 1n], new Int64()),
  revenue: vectorFromArray([120.5, null, 3], new Float64())
})

describe('defaultChartAxes', () => {
  it('puts the first text column on X and the numeric columns on Y', () => {
    expect(defaultChartAxes(chartColumns(grouped))).toEqual({ x: 0, y: [1, 2] })
  })

  it('prefers a date column to numbers for X, and falls back to the first number when all are numeric', () => {
    const daily = new Table({ n: vectorFromArray([1, 2], new Float64()), day: vectorFromArray([new Date('2024-01-01Z'), new Date('2024-01-02Z')], new DateDay()) })
    expect(defaultChartAxes(chartColumns(daily))).toEqual({ x: 1, y: [0] })
    const numbers = new Table({ a: vectorFromArray([1, 2], new Float64()), b: vectorFromArray([3, 4], new Float64()) })
    expect(defaultChartAxes(chartColumns(numbers))).toEqual({ x: 0, y: [1] })
  })

  it('has nothing to plot without a numeric column for Y', () => {
    const names = new Table({ name: vectorFromArray(['a'], new Utf8()) })
    expect(defaultChartAxes(chartColumns(names))).toEqual({ x: null, y: [] })
  })
})

describe('chartData', () => {
  it('bars: X as printed labels, Y as numbers with NULL gaps', () => {
    const data = chartData(grouped, 0, [1, 2], 'bar')
    expect(data).toMatchObject({ xType: 'category', x: ['Oslo', 'Lima', null], shownRows: 3, totalRows: 3 })
    expect(data.series).toEqual([{ name: 'orders', values: [12, 7, 1] }, { name: 'revenue', values: [120.5, null, 3] }])
  })

  it('lines over dates use a time axis in epoch milliseconds', () => {
    const daily = new Table({ day: vectorFromArray([new Date('2024-01-02Z'), new Date('2024-01-01Z')], new DateDay()), n: vectorFromArray([5, 6], new Float64()) })
    const data = chartData(daily, 0, [1], 'line')
    expect(data.xType).toBe('time')
    expect(data.x).toEqual([Date.parse('2024-01-02Z'), Date.parse('2024-01-01Z')])
  })

  it('caps the rows plotted and reports both counts', () => {
    const many = new Table({ i: vectorFromArray(Array.from({ length: 25 }, (_, i) => i), new Float64()), v: vectorFromArray(Array.from({ length: 25 }, (_, i) => i * 2), new Float64()) })
    const data = chartData(many, 0, [1], 'scatter', 10)
    expect(data).toMatchObject({ xType: 'value', shownRows: 10, totalRows: 25 })
    expect(data.series[0]!.values.at(-1)).toBe(18)
    expect(() => chartData(many, 5, [1], 'bar')).toThrow(/X column 5 does not exist/)
  })
})
