// ResultChart: the chart view of a result: chart type, X column and Y columns (defaults from chartSpec), capped rows.
import type { Table } from 'apache-arrow'
import { useId, useMemo, useState } from 'react'
import { Chart, type ChartKind } from '../../ui/Chart'
import { chartColumns, chartData, defaultChartAxes } from './chartSpec'

const kinds: { kind: ChartKind; label: string }[] = [
  { kind: 'bar', label: 'Bar' },
  { kind: 'line', label: 'Line' },
  { kind: 'scatter', label: 'Scatter' }
]

export function ResultChart({ table }: { table: Table }) {
  const id = useId()
  const columns = useMemo(() => chartColumns(table), [table])
  const defaults = useMemo(() => defaultChartAxes(columns), [columns])
  const [kind, setKind] = useState<ChartKind>('bar')
  const [x, setX] = useState<number | null>(defaults.x ?? (columns.length ? 0 : null))
  const [ys, setYs] = useState<number[]>(defaults.y)
  const numeric = columns.filter((c) => c.role === 'number' && c.index !== x)
  const shownYs = ys.filter((y) => y !== x)
  const data = useMemo(() => (x === null || shownYs.length === 0 ? null : chartData(table, x, shownYs, kind)), [table, x, shownYs.join(','), kind])

  if (columns.every((c) => c.role !== 'number')) {
    return <div className="chart-empty">This result has no numeric column to plot. Aggregate it (count, sum, avg…) and chart that.</div>
  }
  const toggleY = (index: number) => setYs((current) => (current.includes(index) ? current.filter((y) => y !== index) : [...current, index].sort((a, b) => a - b)))

  return (
    <div className="result-chart">
      <div className="chart-controls" role="group" aria-label="Chart settings">
        <span className="view-switch" role="group" aria-label="Chart type">
          {kinds.map((k) => (
            <button key={k.kind} type="button" aria-pressed={kind === k.kind} onClick={() => setKind(k.kind)}>
              {k.label}
            </button>
          ))}
        </span>
        <label htmlFor={`${id}-x`}>
          X
          <select id={`${id}-x`} className="select" value={x ?? ''} onChange={(e) => setX(Number(e.target.value))}>
            {columns.map((c) => (
              <option key={c.index} value={c.index}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="chart-y">
          <legend>Y</legend>
          {numeric.map((c) => (
            <label key={c.index}>
              <input type="checkbox" checked={shownYs.includes(c.index)} onChange={() => toggleY(c.index)} />
              {c.name}
            </label>
          ))}
        </fieldset>
        {data && data.shownRows < data.totalRows && (
          <span className="chart-note" role="note">
            Showing the first {data.shownRows.toLocaleString('en-US')} of {data.totalRows.toLocaleString('en-US')} rows
          </span>
        )}
      </div>
      {data ? (
        <Chart
          kind={kind}
          xName={columns[x!]!.name}
          xType={data.xType}
          x={data.x}
          series={data.series}
          ariaLabel={`${kind} chart of ${data.series.map((s) => s.name).join(', ')} by ${columns[x!]!.name}`}
        />
      ) : (
        <div className="chart-empty">Pick at least one numeric Y column.</div>
      )}
    </div>
  )
}
