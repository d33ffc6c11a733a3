// PassRateBars: each dataset's expectations with the latest run's pass rate drawn as a bar, failures in the danger colour.
import type { ExpectationPassRate } from '../../../engine/api/qualityApi'
import { formatCount, formatPassRate, formatTime, passRate } from './formatQuality'

const actionLabel: Record<string, string> = { drop: 'DROP ROW', fail: 'FAIL UPDATE', warn: 'WARN' }

export function PassRateBars({ rates }: { rates: ExpectationPassRate[] }) {
  if (rates.length === 0) {
    return (
      <div className="results-empty">
        <p className="results-empty-title">No expectations evaluated yet</p>
        <p>
          Every pipeline run records how many rows passed each <code>CONSTRAINT … EXPECT (…)</code> in <code>system.quality_results</code>. Run a pipeline
          and its pass rates appear here.
        </p>
      </div>
    )
  }
  const datasets = [...new Set(rates.map((r) => r.dataset))]
  return (
    <div className="pr">
      <p className="q-note">Latest run per expectation; the bar is the share of evaluated rows that passed. Totals cover every run on record.</p>
      <table className="q-table pr-table" aria-label="Expectation pass rates">
        <thead>
          <tr>
            <th scope="col">Expectation</th>
            <th scope="col">On violation</th>
            <th scope="col" className="pr-bar-col">
              Pass rate (latest run)
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Evaluated
            </th>
            <th scope="col" className="num">
              All runs
            </th>
            <th scope="col">Evaluated at (UTC)</th>
          </tr>
        </thead>
        {datasets.map((dataset) => (
          <tbody key={dataset}>
            <tr className="pr-dataset">
              <th scope="rowgroup" colSpan={7}>
                {dataset}
              </th>
            </tr>
            {rates
              .filter((r) => r.dataset === dataset)
              .map((r) => {
                const rate = passRate(r.passed, r.failed)
                const total = passRate(r.totalPassed, r.totalFailed)
                return (
                  <tr key={`${r.pipeline}/${r.expectation}`} aria-label={`${dataset} ${r.expectation}`}>
                    <td className="mono">{r.expectation}</td>
                    <td>
                      <span className={`action-badge action-${r.action}`}>{actionLabel[r.action] ?? r.action.toUpperCase()}</span>
                    </td>
                    <td className="pr-bar-col">
                      <span className="pr-bar-wrap">
                        <span
                          className="pr-bar"
                          role="meter"
                          aria-label={`${r.expectation} pass rate`}
                          aria-valuemin={0}
                          aria-valuemax={100}
                          aria-valuenow={rate ?? 0}
                          aria-valuetext={formatPassRate(rate)}
                        >
                          <span className="pr-bar-pass" style={{ width: `${rate ?? 0}%` }} />
                          {r.failed > 0 && <span className="pr-bar-fail" style={{ width: `${Math.max(1.5, 100 - (rate ?? 0))}%` }} />}
                        </span>
                        <span className={`pr-rate${r.failed > 0 ? ' has-failures' : ''}`}>{formatPassRate(rate)}</span>
                      </span>
                    </td>
                    <td className={`num mono${r.failed > 0 ? ' failed' : ''}`}>{formatCount(r.failed)}</td>
                    <td className="num mono">{formatCount(r.passed + r.failed)}</td>
                    <td className="num mono" title={`${formatCount(r.totalFailed)} failed of ${formatCount(r.totalPassed + r.totalFailed)} over all runs`}>
                      {formatPassRate(total)}
                    </td>
                    <td className="mono muted">{formatTime(r.evaluatedAt)}</td>
                  </tr>
                )
              })}
          </tbody>
        ))}
      </table>
    </div>
  )
}
