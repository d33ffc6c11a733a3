// ReconciliationTable: system.reconciliation_log, newest first, with PASS/WARN/FAIL badges and the compared numbers.
import type { ReconciliationEntry } from '../../../engine/api/qualityApi'
import { formatCount, formatTime, formatVariance } from './formatQuality'

/** `amount 34,917.27 → 34,437.27`, one line per summed column. */
function sums(entry: ReconciliationEntry): string[] {
  if (!entry.sourceSums) return []
  return Object.keys(entry.sourceSums).map((column) => `${column} ${entry.sourceSums![column]} → ${entry.targetSums?.[column] ?? '—'}`)
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-${status.toLowerCase()}`}>{status}</span>
}

export function ReconciliationTable({ entries }: { entries: ReconciliationEntry[] }) {
  if (entries.length === 0) {
    return (
      <div className="results-empty">
        <p className="results-empty-title">No reconciliation has run</p>
        <p>
          This lakehouse&apos;s pipelines compare no tables. Add a <code>reconciliation</code> list to <code>pipelines/&lt;name&gt;/pipeline.json</code> (source,
          target, key and sum columns, warn and fail thresholds) and every run checks row counts, sums and distinct keys, logging PASS, WARN or FAIL to{' '}
          <code>system.reconciliation_log</code>.
        </p>
      </div>
    )
  }
  const counts = { PASS: 0, WARN: 0, FAIL: 0 } as Record<string, number>
  for (const e of entries) counts[e.status] = (counts[e.status] ?? 0) + 1
  return (
    <div className="rc">
      <p className="q-note" role="status" aria-label="Reconciliation summary">
        {formatCount(entries.length)} checks: {['PASS', 'WARN', 'FAIL'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ')}. Newest first.
      </p>
      <table className="q-table" aria-label="Reconciliation results">
        <thead>
          <tr>
            <th scope="col">Status · run at (UTC)</th>
            <th scope="col">Source → target</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Variance
            </th>
            <th scope="col" className="num">
              Distinct keys
            </th>
            <th scope="col">Sums</th>
            <th scope="col">Remarks</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.batchId}/${e.sourceTable}/${e.targetTable}/${i}`}>
              <td className="nowrap" title={`run ${e.batchId}`}>
                <StatusBadge status={e.status} />
                <div className="mono muted small rc-time">{formatTime(e.processedAt)}</div>
              </td>
              <td className="mono rc-tables">
                <div>{e.sourceTable}</div>
                <div>→ {e.targetTable}</div>
              </td>
              <td className="num mono nowrap">
                {formatCount(e.sourceCount)} → {formatCount(e.targetCount)}
              </td>
              <td className="num mono">{formatVariance(e.variance)}</td>
              <td className="num mono nowrap">{e.sourceDistinctKeys === null ? '—' : `${formatCount(e.sourceDistinctKeys)} → ${formatCount(e.targetDistinctKeys)}`}</td>
              <td className="mono small">
                {sums(e).map((line) => (
                  <div key={line}>{line}</div>
                ))}
              </td>
              <td className="rc-remarks">
                {/* One line per check that did not pass: reconcile() joins them with "; ". */}
                {e.remarks.split('; ').map((line, j) => (
                  <div key={j}>{line}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
