// QueryControls: the streaming query: pipeline and trigger choice, Start / Stop, and the query's status and last error.
import { useId } from 'react'
import type { StreamQueryInfo } from '../../../engine/api/streamApi'
import type { ReadableError } from '../../platform/readableError'
import { StreamErrorNote } from './StreamErrorNote'
import { formatCount, formatTime, triggerLabel } from './streamFormat'
import type { TriggerKind } from './streamsStore'

export interface QueryControlsProps {
  pipelines: string[]
  pipeline: string | null
  triggerKind: TriggerKind
  intervalMs: number
  query: StreamQueryInfo | null
  busy: boolean
  error: ReadableError | null
  onSelectPipeline(name: string): void
  onTrigger(kind: TriggerKind, intervalMs?: number): void
  onStart(): void
  onStop(): void
  onDismissError(): void
}

const triggers: { kind: TriggerKind; label: string }[] = [
  { kind: 'processingTime', label: 'processingTime (every interval)' },
  { kind: 'availableNow', label: 'availableNow (drain, then stop)' },
  { kind: 'once', label: 'once (one batch)' }
]

/** Why the interval cannot be used, or null when it is a whole number of milliseconds above 0. */
export function intervalError(intervalMs: number): string | null {
  return Number.isInteger(intervalMs) && intervalMs > 0 ? null : 'The interval must be a whole number of milliseconds above 0'
}

export function QueryControls(props: QueryControlsProps) {
  const { pipelines, pipeline, triggerKind, intervalMs, query, busy, error } = props
  const id = useId()
  const running = query?.status === 'running' || query?.status === 'stopping'
  const badInterval = triggerKind === 'processingTime' ? intervalError(intervalMs) : null
  return (
    <section className="st-card st-query" aria-label="Streaming query">
      <div className="st-card-head">
        <h3 className="st-card-title">Streaming query</h3>
        {query && (
          <span className={`st-badge status-${query.status}`} data-testid="query-status">
            {query.status}
          </span>
        )}
      </div>
      <div className="st-query-form">
        <div className="st-knob">
          <label htmlFor={`${id}-pipeline`}>Pipeline</label>
          <select id={`${id}-pipeline`} value={pipeline ?? ''} disabled={pipelines.length === 0} onChange={(e) => props.onSelectPipeline(e.target.value)}>
            {pipelines.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="st-knob">
          <label htmlFor={`${id}-trigger`}>Trigger</label>
          <select id={`${id}-trigger`} value={triggerKind} onChange={(e) => props.onTrigger(e.target.value as TriggerKind)}>
            {triggers.map((t) => (
              <option key={t.kind} value={t.kind}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {triggerKind === 'processingTime' && (
          <div className="st-knob">
            <label htmlFor={`${id}-interval`}>Interval (ms)</label>
            <input
              id={`${id}-interval`}
              type="number"
              min={1}
              step={100}
              value={Number.isNaN(intervalMs) ? '' : intervalMs}
              aria-invalid={badInterval !== null}
              aria-describedby={badInterval ? `${id}-interval-error` : undefined}
              onChange={(e) => props.onTrigger('processingTime', e.target.value === '' ? Number.NaN : Number(e.target.value))}
            />
            {badInterval && (
              <span className="st-field-error" id={`${id}-interval-error`}>
                {badInterval}
              </span>
            )}
          </div>
        )}
      </div>
      <div className="st-buttons" role="group" aria-label="Query actions">
        <button type="button" className="button primary" aria-label="Start query" disabled={busy || running || pipeline === null || badInterval !== null} onClick={props.onStart}>
          <span aria-hidden="true">▶</span>Start
        </button>
        <button type="button" className="button danger" aria-label="Stop query" title="The running batch finishes; no new one starts" disabled={busy || query?.status !== 'running'} onClick={props.onStop}>
          Stop
        </button>
      </div>
      <p className="st-facts" role="status" aria-label="Query status">
        {query ? (
          <>
            <span className="st-mono">{query.pipeline}</span> · {triggerLabel(query.trigger)} · <span data-testid="query-batches">{formatCount(query.batches)}</span>{' '}
            {query.batches === 1 ? 'batch' : 'batches'} since {formatTime(query.startedAt)} · run <span className="st-mono">{query.runId}</span>
          </>
        ) : (
          'No query started since the lakehouse was opened.'
        )}
      </p>
      {query?.error && (
        <div className="st-inline-error" role="alert" aria-label="Query error">
          {query.status === 'failed' ? 'The query failed: ' : 'The last batch failed (the query keeps running): '}
          {query.error}
        </div>
      )}
      {error && <StreamErrorNote title="The query did not start or stop" error={error} onDismiss={props.onDismissError} />}
    </section>
  )
}
