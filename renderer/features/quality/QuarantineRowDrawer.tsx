// QuarantineRowDrawer: one quarantined row: which expectations it failed, their conditions, the reason, and every column.
import type { Table } from 'apache-arrow'
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react'
import type { QuarantineExpectation } from '../../../engine/api/qualityApi'
import { cellFormatter } from '../../ui/dataGrid/formatCell'

export interface QuarantineRowDrawerProps {
  table: Table
  /** Index of the row in `table`. */
  index: number
  /** 1-based position of the row among all matching rows, and how many there are. */
  position: number
  total: number
  /** The quarantine table's expectations (for conditions of rules the row names). */
  expectations: QuarantineExpectation[]
  onMove(index: number): void
  onClose(): void
}

/** Columns the engine adds in front of and behind the row's own columns. */
const bookkeeping = new Set(['_expectation', '_condition', '_reason', '_batch_id', '_quarantined_at'])

/** A side panel (role complementary); Escape closes it, Arrow Up/Down move to the previous/next row. */
export function QuarantineRowDrawer({ table, index, position, total, expectations, onMove, onClose }: QuarantineRowDrawerProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [index])

  const cells = useMemo(
    () =>
      table.schema.fields.map((field, column) => {
        const cell = cellFormatter(field)(table.getChildAt(column)?.get(index))
        return { name: field.name, text: cell.text, kind: cell.kind }
      }),
    [table, index]
  )
  const value = (name: string) => cells.find((c) => c.name === name)
  const failed = (value('_expectation')?.text ?? '').split(', ').filter((n) => n !== '' && n !== 'NULL')
  const conditions = (value('_condition')?.text ?? '').split('; ')
  const conditionOf = (name: string, i: number) => expectations.find((e) => e.name === name)?.condition ?? conditions[i] ?? null

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') onClose()
    else if (event.key === 'ArrowDown' && index + 1 < table.numRows) onMove(index + 1)
    else if (event.key === 'ArrowUp' && index > 0) onMove(index - 1)
    else return
    event.preventDefault()
  }

  return (
    <aside className="qr-drawer" aria-label="Quarantined row" onKeyDown={onKeyDown}>
      <div className="qr-drawer-head">
        <h3 ref={heading} tabIndex={-1} className="qr-drawer-title">
          Row {position.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
        </h3>
        <button type="button" className="icon-button" aria-label="Previous row" disabled={index === 0} onClick={() => onMove(index - 1)}>
          ↑
        </button>
        <button type="button" className="icon-button" aria-label="Next row" disabled={index + 1 >= table.numRows} onClick={() => onMove(index + 1)}>
          ↓
        </button>
        <button type="button" className="icon-button" aria-label="Close row details" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="qr-drawer-body">
        <section aria-label="Failed expectations">
          <h4 className="qr-section-title">{failed.length === 1 ? 'Failed expectation' : `Failed ${failed.length} expectations`}</h4>
          <ul className="qr-rules">
            {failed.map((name, i) => {
              const condition = conditionOf(name, i)
              return (
                <li key={name} className="qr-rule">
                  <span className="qr-rule-name">{name}</span>
                  {condition !== null && <code className="qr-rule-condition">EXPECT ({condition}) ON VIOLATION DROP ROW</code>}
                </li>
              )
            })}
          </ul>
        </section>
        <section aria-label="Reason">
          <h4 className="qr-section-title">Reason</h4>
          <p className="qr-reason">{value('_reason')?.text ?? '—'}</p>
        </section>
        <dl className="qr-facts">
          <div>
            <dt>Batch</dt>
            <dd>{value('_batch_id')?.text ?? '—'}</dd>
          </div>
          <div>
            <dt>Quarantined at</dt>
            <dd>{value('_quarantined_at')?.text ?? '—'}</dd>
          </div>
        </dl>
        <section aria-label="Row values">
          <h4 className="qr-section-title">Columns</h4>
          <dl className="qr-columns">
            {cells
              .filter((c) => !bookkeeping.has(c.name))
              .map((c) => (
                <div key={c.name} className="qr-column">
                  <dt>{c.name}</dt>
                  <dd className={`cell-${c.kind}`}>{c.text}</dd>
                </div>
              ))}
          </dl>
        </section>
      </div>
    </aside>
  )
}
