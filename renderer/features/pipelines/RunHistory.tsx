// RunHistory: the pipeline's recorded runs (system.pipeline_events), newest first, with their totals and errors.
import type { PipelineRunRecord } from '../../../engine/api/pipelineApi'
import { formatCount, formatDateTime, formatDuration } from './pipelineFormat'

export interface RunHistoryProps {
  runs: PipelineRunRecord[]
}

export function RunHistory({ runs }: RunHistoryProps) {
  if (runs.length === 0) return <p className="pl-empty">No run of this pipeline is recorded in system.pipeline_events yet.</p>
  return (
    <table className="pl-table" aria-label="Recorded runs">
      <thead>
        <tr>
          <th>Started</th>
          <th>Status</th>
          <th className="num">Flows</th>
          <th className="num">Rows in</th>
          <th className="num">Written</th>
          <th className="num">Quarantined</th>
          <th className="num">Duration</th>
          <th>Run id / error</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.runId}>
            <td className="pl-mono">{formatDateTime(r.startedAt)}</td>
            <td>
              <span className={`pl-dot status-${r.status}`} aria-hidden="true" /> {r.status}
            </td>
            <td className="num">{r.flows.length}</td>
            <td className="num">{formatCount(r.rowsIn)}</td>
            <td className="num">{formatCount(r.rowsWritten)}</td>
            <td className="num">{formatCount(r.rowsQuarantined)}</td>
            <td className="num">{formatDuration(r.durationMs)}</td>
            <td className={`pl-mono ${r.error ? 'pl-bad' : 'pl-faint'}`}>{r.error ?? r.runId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
