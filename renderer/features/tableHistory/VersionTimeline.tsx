// VersionTimeline: the table's commits, newest first: version, time, operation, parameters, metrics, rows added/removed.
import { useRef } from 'react'
import { formatCommitTime, formatCount, formatParameter, rowsChanged } from './formatFacts'
import type { HistoryEntry } from './tableHistoryApi'

export interface VersionTimelineProps {
  entries: HistoryEntry[]
  selected: number | null
  onSelect(version: number): void
}

/** A list of buttons (arrow keys move the selection); the selected commit is marked aria-current. */
export function VersionTimeline({ entries, selected, onSelect }: VersionTimelineProps) {
  const list = useRef<HTMLOListElement>(null)
  const move = (delta: number) => {
    const index = entries.findIndex((e) => e.version === selected)
    const next = entries[Math.min(entries.length - 1, Math.max(0, index + delta))]
    if (!next) return
    onSelect(next.version)
    list.current?.querySelector<HTMLButtonElement>(`[data-version="${next.version}"]`)?.focus()
  }
  return (
    <ol
      ref={list}
      className="timeline"
      aria-label="Versions"
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault()
          move(event.key === 'ArrowDown' ? 1 : -1)
        }
      }}
    >
      {entries.map((entry) => {
        const { added, removed } = rowsChanged(entry.operationMetrics)
        const params = Object.entries(entry.operationParameters).filter(([, v]) => v !== '' && v !== '[]' && v !== null)
        const metrics = Object.entries(entry.operationMetrics)
        const isSelected = entry.version === selected
        return (
          <li key={entry.version} className={`timeline-item${isSelected ? ' selected' : ''}`}>
            <button
              type="button"
              className="timeline-button"
              data-version={entry.version}
              aria-current={isSelected ? 'true' : undefined}
              aria-label={`Version ${entry.version}: ${entry.operation}, ${formatCommitTime(entry.timestamp)}`}
              tabIndex={isSelected || (selected === null && entry === entries[0]) ? 0 : -1}
              onClick={() => onSelect(entry.version)}
            >
              <span className="timeline-dot" aria-hidden="true" />
              <span className="timeline-head">
                <span className="timeline-version">v{entry.version}</span>
                <span className={`op-badge op-${entry.operation.split(' ')[0]!.toLowerCase()}`}>{entry.operation}</span>
                <span className="timeline-rows">
                  {added !== null && <span className="rows-added">+{formatCount(added)}</span>}
                  {removed !== null && removed > 0 && <span className="rows-removed">−{formatCount(removed)}</span>}
                </span>
              </span>
              <span className="timeline-time">{formatCommitTime(entry.timestamp)} UTC</span>
              {params.length > 0 && (
                <span className="timeline-params" title={params.map(([k, v]) => `${k}: ${formatParameter(v)}`).join('\n')}>
                  {params.map(([k, v]) => `${k}=${formatParameter(v)}`).join('  ')}
                </span>
              )}
              {metrics.length > 0 && (
                <span className="timeline-metrics" title={metrics.map(([k, v]) => `${k}: ${formatParameter(v)}`).join('\n')}>
                  {metrics
                    .filter(([, v]) => v !== '0')
                    .map(([k, v]) => `${k.replace(/^num/, '')} ${formatParameter(v)}`)
                    .join(' · ')}
                </span>
              )}
            </button>
          </li>
        )
      })}
    </ol>
  )
}
