// NodeDetailPanel: one dataset of the graph: its SQL at file:line, expectations with pass rates, its last runs, and links to its tables.
import type { PipelineDatasetDetail, PipelineRunRecord } from '../../../engine/api/pipelineApi'
import { formatCount, formatDateTime, formatDuration, formatRate, statusLabel } from './pipelineFormat'
import { type NodeState, nodeStates, outcomesOfRecord, passRate } from './runProgress'

export interface NodeDetailPanelProps {
  dataset: PipelineDatasetDetail
  state: NodeState | undefined
  history: PipelineRunRecord[]
  markedForRefresh: boolean
  onToggleRefresh(): void
  onOpenTable(table: string): void
  onOpenQuarantine(quarantineTable: string): void
  onClose(): void
}

/** The dataset's state in each recorded run that ran one of its flows, newest first. */
function runsOfDataset(dataset: PipelineDatasetDetail, history: PipelineRunRecord[]) {
  const owners = new Map(dataset.flows.map((f) => [f, dataset.name]))
  return history.flatMap((run) => {
    const state = nodeStates(owners, outcomesOfRecord(run).filter((f) => owners.has(f.flow))).get(dataset.name)
    return state ? [{ run, state }] : []
  })
}

export function NodeDetailPanel({ dataset, state, history, markedForRefresh, onToggleRefresh, onOpenTable, onOpenQuarantine, onClose }: NodeDetailPanelProps) {
  const title = dataset.table ?? dataset.name
  const runs = runsOfDataset(dataset, history).slice(0, 8)
  return (
    <aside className="pl-detail" aria-label={`Dataset ${title}`}>
      <header className="pl-detail-head">
        <div className="pl-detail-title">
          <h2>{title}</h2>
          <span className="pl-faint">
            {dataset.kind.replace(/_/g, ' ')}
            {state && ` · ${statusLabel(state.status)}`}
          </span>
        </div>
        <button type="button" className="icon-button" aria-label="Close dataset panel" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="pl-detail-actions">
        {dataset.table && (
          <button type="button" className="button" onClick={() => onOpenTable(dataset.table!)}>
            Open table
          </button>
        )}
        {dataset.quarantineTable && (
          <button type="button" className="button" onClick={() => onOpenQuarantine(dataset.quarantineTable!)}>
            Quarantine
          </button>
        )}
        {dataset.table && (
          <button type="button" className="button" aria-pressed={markedForRefresh} onClick={onToggleRefresh}>
            {markedForRefresh ? 'Marked for full refresh' : 'Mark for full refresh'}
          </button>
        )}
      </div>
      <div className="pl-detail-body">
        {dataset.comment && <p className="pl-detail-comment">{dataset.comment}</p>}

        <section aria-label="Definition">
          <h3>Definition</h3>
          {dataset.definitions.map((d) => (
            <figure key={`${d.file}:${d.line}`} className="pl-sql">
              <figcaption className="pl-mono">
                {d.file}:{d.line}
              </figcaption>
              <pre>
                <code>{d.text}</code>
              </pre>
            </figure>
          ))}
          {dataset.definitions.length === 0 && <p className="pl-faint">No definition text was found in the pipeline files.</p>}
        </section>

        {dataset.expectations.length > 0 && (
          <section aria-label="Expectations">
            <h3>Expectations</h3>
            <table className="pl-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>On violation</th>
                  <th className="num">Pass rate</th>
                  <th className="num">Failed</th>
                </tr>
              </thead>
              <tbody>
                {dataset.expectations.map((e) => {
                  const counts = state?.expectations.find((x) => x.expectation === e.name)
                  return (
                    <tr key={e.name} title={`${e.expression} (line ${e.line})`}>
                      <td>
                        <span className="pl-mono">{e.name}</span>
                        <div className="pl-faint pl-mono pl-expression">{e.expression}</div>
                      </td>
                      <td>{e.action === 'drop' ? 'drop row' : e.action === 'fail' ? 'fail update' : 'warn'}</td>
                      <td className="num">{counts ? formatRate(passRate(counts)) : '–'}</td>
                      <td className={`num${counts && counts.failed > 0 ? ' pl-bad' : ''}`}>{counts ? formatCount(counts.failed) : '–'}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </section>
        )}

        <section aria-label="Last runs">
          <h3>Last runs</h3>
          {runs.length === 0 ? (
            <p className="pl-faint">No recorded run wrote this dataset yet.</p>
          ) : (
            <table className="pl-table">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Status</th>
                  <th className="num">Written</th>
                  <th className="num">Quar.</th>
                  <th className="num">Version</th>
                  <th className="num">Time</th>
                </tr>
              </thead>
              <tbody>
                {runs.map(({ run, state: s }) => (
                  <tr key={run.runId} title={s.error ?? `run ${run.runId}`}>
                    <td className="pl-mono">{formatDateTime(run.startedAt)}</td>
                    <td>
                      <span className={`pl-dot status-${s.status}`} aria-hidden="true" /> {statusLabel(s.status)}
                    </td>
                    <td className="num">{formatCount(s.rowsWritten)}</td>
                    <td className="num">{formatCount(s.rowsQuarantined)}</td>
                    <td className="num">{s.version === null ? '–' : `v${s.version}`}</td>
                    <td className="num">{formatDuration(s.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </aside>
  )
}
