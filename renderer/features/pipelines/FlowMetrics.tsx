// FlowMetrics: per-flow numbers of the shown run (rows in / written / quarantined, duration, version, expectations) with a bar of rows per flow.
import { formatCount, formatDuration, formatRate, statusLabel } from './pipelineFormat'
import { type FlowOutcome, passRate } from './runProgress'

export interface FlowMetricsProps {
  outcomes: FlowOutcome[]
  /** What the numbers are from, e.g. "Live run" or "Run of 2026-01-04 02:00:00". */
  caption: string
  /** Stored table each flow writes, for the table column. */
  targetOf(flow: string): string
}

/** `2 · min 95.4%`: how many checks and the lowest pass rate; every rate is in the cell's title. */
function expectationSummary(f: FlowOutcome): string {
  if (f.expectations.length === 0) return '–'
  const rates = f.expectations.map(passRate).filter((r): r is number => r !== null)
  if (rates.length === 0) return `${f.expectations.length} · not evaluated`
  const worst = Math.min(...rates)
  return `${f.expectations.length} · ${worst === 1 ? 'all 100%' : `min ${formatRate(worst)}`}`
}

function expectationDetail(f: FlowOutcome): string {
  return f.expectations.map((e) => `${e.expectation} (${e.action}): ${formatRate(passRate(e))} pass, ${formatCount(e.failed)} failed`).join('\n')
}

export function FlowMetrics({ outcomes, caption, targetOf }: FlowMetricsProps) {
  if (outcomes.length === 0) return <p className="pl-empty">No flow has reported yet. Run the pipeline to see what each flow read and wrote.</p>
  // One scale for every bar, so flows compare at a glance.
  const max = Math.max(1, ...outcomes.map((f) => f.rowsWritten + f.rowsQuarantined))
  return (
    <div className="pl-metrics">
      <div className="pl-metrics-table">
        <table className="pl-table" aria-label="Flow metrics">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th>Table</th>
              <th>Status</th>
              <th className="num">Rows in</th>
              <th className="num">Written</th>
              <th className="num">Quarantined</th>
              <th className="num">Duration</th>
              <th className="num">Version</th>
              <th title="Pass rate of the flow's expectations: how many, and the lowest">Expectations</th>
              <th className="pl-bar-head">
                Rows per flow <span className="pl-legend written">written</span> <span className="pl-legend quarantined">quar.</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {outcomes.map((f) => (
              <tr key={f.flow} data-flow={f.flow} title={f.error}>
                <td className="pl-mono">
                  {targetOf(f.flow)}
                  {/* A flow with its own name (CREATE FLOW, CDC) says so; one named after its table would only repeat it. */}
                  {!targetOf(f.flow).endsWith(f.flow) && <span className="pl-flow-alias"> ← {f.flow}</span>}
                </td>
                <td className="pl-status">
                  <span className={`pl-dot status-${f.status}`} aria-hidden="true" /> {statusLabel(f.status)}
                </td>
                <td className="num">{formatCount(f.rowsIn)}</td>
                <td className="num" data-testid="flow-written">{formatCount(f.rowsWritten)}</td>
                <td className={`num${f.rowsQuarantined > 0 ? ' pl-warn' : ''}`}>{formatCount(f.rowsQuarantined)}</td>
                <td className="num">{formatDuration(f.durationMs)}</td>
                <td className="num">{f.version === null ? '–' : `v${f.version}`}</td>
                <td className="pl-expectations" title={expectationDetail(f)}>
                  {expectationSummary(f)}
                </td>
                <td className="pl-bar-cell" aria-hidden="true">
                  <span className="pl-chart-track">
                    <span className="pl-chart-bar written" style={{ width: `${(f.rowsWritten / max) * 100}%` }} />
                    <span className="pl-chart-bar quarantined" style={{ width: `${(f.rowsQuarantined / max) * 100}%` }} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
