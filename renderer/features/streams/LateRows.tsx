// LateRows: the late rows of the pipeline's watermarked tables as a keyboard list, and one row's explanation beside it.
import { type KeyboardEvent, useEffect, useRef } from 'react'
import type { LateRowInfo } from '../../../engine/api/streamApi'
import { formatCount, formatDuration, formatTime, formatValue, lateExplanation, lateRowKey } from './streamFormat'

export interface LateRowListProps {
  rows: LateRowInfo[]
  selected: string | null
  onSelect(key: string): void
}

/** Newest first; Arrow Up/Down move between rows, Enter or a click opens one. */
export function LateRowList({ rows, selected, onSelect }: LateRowListProps) {
  if (rows.length === 0) {
    return <p className="st-faint st-late-empty">No late rows: every row arrived before the watermark passed its event time.</p>
  }
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]
    next?.focus()
    event.preventDefault()
  }
  return (
    <ul className="st-late-list" aria-label="Late rows" onKeyDown={onKeyDown}>
      {rows.map((row) => {
        const key = lateRowKey(row)
        return (
          <li key={key}>
            <button type="button" className="st-late-item" data-table={row.table} aria-current={key === selected} onClick={() => onSelect(key)}>
              <span className="st-mono">{formatTime(row.eventTime).slice(11)}</span>
              <span>late by {formatDuration(row.latenessMs)}</span>
              <span className="st-faint">{row.batchId === null ? row.table : `flow batch ${row.batchId}`}</span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}

/** Why the row was late (event time against the watermark it missed) and its columns. Escape closes it. */
export function LateRowDetail({ row, onClose }: { row: LateRowInfo; onClose(): void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [row])
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    onClose()
  }
  return (
    <aside className="st-late-detail" aria-label="Late row" onKeyDown={onKeyDown}>
      <div className="st-late-detail-head">
        <h4 ref={heading} tabIndex={-1}>
          Late row of {row.target}
        </h4>
        <button type="button" className="icon-button" aria-label="Close late row" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="st-late-why" data-testid="late-explanation">
        {lateExplanation(row)}
      </p>
      <p className="st-faint st-late-note">
        The watermark is the newest event time seen minus the table&apos;s allowed lateness; a row whose event time is not after it can no longer
        change a closed window, so it went to <span className="st-mono">{row.table}</span> instead.
      </p>
      <dl className="st-late-facts">
        <div>
          <dt>Event time</dt>
          <dd className="st-mono">{formatTime(row.eventTime, true)}</dd>
        </div>
        <div>
          <dt>Watermark</dt>
          <dd className="st-mono">{formatTime(row.watermark, true)}</dd>
        </div>
        <div>
          <dt>Late by</dt>
          <dd>
            {formatDuration(row.latenessMs)} ({formatCount(row.latenessMs)} ms)
          </dd>
        </div>
        <div>
          <dt>Batch</dt>
          <dd>{row.batchId ?? '—'}</dd>
        </div>
        <div>
          <dt>Processed at</dt>
          <dd className="st-mono">{formatTime(row.processedAt, true)}</dd>
        </div>
      </dl>
      <section aria-label="Late row values">
        <h5 className="st-section-title">Columns</h5>
        <dl className="st-late-columns">
          {Object.entries(row.row).map(([name, value]) => (
            <div key={name}>
              <dt className="st-mono">{name}</dt>
              <dd className="st-mono">{formatValue(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </aside>
  )
}
