// RunControls: the pipeline picker, Run / Full refresh / Validate / Stop, and the live run's progress bar with elapsed time.
import { useEffect, useState } from 'react'
import type { PipelineSummary } from '../../../engine/api/pipelineApi'
import { formatDuration } from './pipelineFormat'
import type { LiveRun } from './runProgress'

export interface RunControlsProps {
  pipelines: PipelineSummary[]
  selected: string | null
  live: LiveRun | null
  validating: boolean
  /** Tables chosen for a full refresh of selected tables. */
  refreshCount: number
  onSelect(name: string): void
  onRun(): void
  onFullRefreshAll(): void
  onFullRefreshSelected(): void
  onClearSelection(): void
  onValidate(): void
  onStop(): void
}

/** Milliseconds since `from`, re-rendered every quarter second while `ticking`. */
function useElapsed(from: number, until: number | null): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until !== null) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [until])
  return (until ?? now) - from
}

function RunProgress({ live }: { live: LiveRun }) {
  const elapsed = useElapsed(live.startedAt, live.endedAt)
  const done = live.finished.length
  // After the run the engine's flow list is the truth; while running, describe's flow count is the best estimate.
  const total = live.status === 'running' ? Math.max(live.expectedFlows, done + live.running.length) : done
  const running = live.status === 'running'
  return (
    <div className={`pl-progress run-${live.status}`} role="status" aria-label="Run progress">
      <progress className="pl-progress-bar" max={Math.max(total, 1)} value={done} aria-label="Flows finished" />
      <span className="pl-progress-text">
        <strong data-testid="run-progress-count">
          {done}/{total}
        </strong>{' '}
        flows · <span data-testid="run-status">{running ? 'running' : live.status}</span> · <span className="pl-mono">{formatDuration(elapsed)}</span>
      </span>
    </div>
  )
}

export function RunControls(props: RunControlsProps) {
  const { pipelines, selected, live, validating, refreshCount } = props
  const running = live?.status === 'running'
  const none = selected === null
  return (
    <div className="toolbar pl-toolbar" role="toolbar" aria-label="Pipeline actions">
      <label className="pl-picker">
        <span>Pipeline</span>
        <select aria-label="Pipeline" value={selected ?? ''} disabled={pipelines.length === 0} onChange={(e) => props.onSelect(e.target.value)}>
          {pipelines.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button primary" disabled={none || running} onClick={props.onRun} title="Process new input: streaming tables read only new files, views recompute when their inputs changed">
        <span aria-hidden="true">▶</span>Run
      </button>
      <button type="button" className="button" disabled={none || running} onClick={props.onFullRefreshAll} title="Recompute every table from all of its input">
        Full refresh all
      </button>
      <span className="pl-refresh-selected">
        <button
          type="button"
          className="button"
          disabled={none || running || refreshCount === 0}
          onClick={props.onFullRefreshSelected}
          title="Recompute only the tables marked in the graph (Ctrl/Cmd+click a node, or use its panel)"
        >
          Full refresh selected ({refreshCount})
        </button>
        {refreshCount > 0 && (
          <button type="button" className="icon-button" aria-label="Clear the tables marked for full refresh" onClick={props.onClearSelection}>
            ×
          </button>
        )}
      </span>
      <button type="button" className="button" disabled={none || validating} onClick={props.onValidate}>
        {validating ? 'Validating…' : 'Validate'}
      </button>
      <button type="button" className="button danger" disabled={!running} onClick={props.onStop} title="Stop after the step in progress; tables keep their last committed versions">
        Stop
      </button>
      {live && <RunProgress live={live} />}
    </div>
  )
}
