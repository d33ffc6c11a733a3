// ProducerControls: the live producer: what it writes, its status and counters, its knobs, and Start / Pause / Resume / Step.
import { type FormEvent, useEffect, useId, useState } from 'react'
import type { ProducerInfo, ProducerSettings } from '../../../engine/api/streamApi'
import type { ReadableError } from '../../platform/readableError'
import { type ProducerDraft, checkDraft, draftOf, knobLabel, knobs } from './producerForm'
import { StreamErrorNote } from './StreamErrorNote'
import { formatCount, formatTime } from './streamFormat'

export interface ProducerControlsProps {
  producer: ProducerInfo | null
  busy: boolean
  error: ReadableError | null
  onConfigure(settings: Partial<ProducerSettings>): Promise<boolean>
  onControl(action: 'start' | 'pause' | 'resume' | 'step'): void
  onDismissError(): void
}

/** The knob an engine refusal names (`detail.path`), if any. */
const refusedKnob = (error: ReadableError | null) => error?.facts.find((f) => f.startsWith('path '))?.slice(5) ?? null

export function ProducerControls({ producer, busy, error, onConfigure, onControl, onDismissError }: ProducerControlsProps) {
  if (!producer) {
    return (
      <section className="st-card st-producer" aria-label="Producer">
        <h3 className="st-card-title">Producer</h3>
        <p className="st-empty" role="note">
          This lakehouse has no live producer. Sample lakehouses (sbit, retail) come with one that keeps writing files into their landing folder. For
          this lakehouse, drop files into a pipeline&apos;s landing folder and start a streaming query below: each micro-batch picks up what arrived.
        </p>
      </section>
    )
  }
  return <ProducerForm producer={producer} busy={busy} error={error} onConfigure={onConfigure} onControl={onControl} onDismissError={onDismissError} />
}

function ProducerForm({ producer, busy, error, onConfigure, onControl, onDismissError }: ProducerControlsProps & { producer: ProducerInfo }) {
  const id = useId()
  const [draft, setDraft] = useState<ProducerDraft>(() => draftOf(producer.settings))
  const [edited, setEdited] = useState(false)
  // The engine's settings win while nothing is being edited (another window, or a change applied from here).
  useEffect(() => {
    if (!edited) setDraft(draftOf(producer.settings))
  }, [producer.settings, edited])

  const check = checkDraft(draft, producer.settings)
  const changed = Object.keys(check.changes).length > 0
  const refused = refusedKnob(error)
  const status = producer.status

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!changed) return
    if (await onConfigure(check.changes)) setEdited(false)
  }

  return (
    <section className="st-card st-producer" aria-label="Producer">
      <div className="st-card-head">
        <h3 className="st-card-title">Producer</h3>
        <span className={`st-badge status-${status}`} data-testid="producer-status">
          {status}
        </span>
      </div>
      <p className="st-description">{producer.description}</p>
      <p className="st-facts" role="status" aria-label="Producer counters">
        <span data-testid="producer-files">{formatCount(producer.filesProduced)}</span> files ·{' '}
        <span data-testid="producer-records">{formatCount(producer.recordsProduced)}</span> records · last event time{' '}
        <span className="st-mono" data-testid="producer-last-event">
          {formatTime(producer.lastEventTime)}
        </span>
      </p>
      {status === 'failed' && producer.error && (
        <p className="st-inline-error" role="alert">
          The producer failed: {producer.error}
        </p>
      )}
      <div className="st-buttons" role="group" aria-label="Producer actions">
        <button type="button" className="button primary" aria-label="Start producer" disabled={busy || status === 'running' || status === 'paused'} onClick={() => onControl('start')}>
          Start
        </button>
        <button type="button" className="button" aria-label="Pause producer" disabled={busy || status !== 'running'} onClick={() => onControl('pause')}>
          Pause
        </button>
        <button type="button" className="button" aria-label="Resume producer" disabled={busy || status !== 'paused'} onClick={() => onControl('resume')}>
          Resume
        </button>
        <button type="button" className="button" aria-label="Step producer" title="Write exactly one file now" disabled={busy} onClick={() => onControl('step')}>
          Step
        </button>
      </div>
      <form className="st-knobs" aria-label="Producer settings" onSubmit={(e) => void submit(e)} noValidate>
        {knobs.map(({ knob, label, step, min, max, hint }) => {
          const message = check.errors[knob] ?? (refused === knob ? `Refused by the engine: see below` : undefined)
          return (
            <div key={knob} className="st-knob" title={hint}>
              <label htmlFor={`${id}-${knob}`}>{label}</label>
              <input
                id={`${id}-${knob}`}
                type="number"
                inputMode="decimal"
                step={step}
                min={min}
                {...(max !== undefined ? { max } : {})}
                value={draft[knob]}
                aria-invalid={message !== undefined}
                aria-describedby={message !== undefined ? `${id}-${knob}-error` : undefined}
                onChange={(e) => {
                  setEdited(true)
                  setDraft({ ...draft, [knob]: e.target.value })
                }}
              />
              {message !== undefined && (
                <span className="st-field-error" id={`${id}-${knob}-error`}>
                  {message}
                </span>
              )}
            </div>
          )
        })}
        <div className="st-knob-actions">
          <button type="submit" className="button" disabled={busy || !changed}>
            Apply settings
          </button>
          {edited && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setEdited(false)
                setDraft(draftOf(producer.settings))
              }}
            >
              Reset
            </button>
          )}
        </div>
        {check.sumError && (
          <p className="st-inline-error" role="alert">
            {check.sumError}
          </p>
        )}
      </form>
      {error && <StreamErrorNote title={refused ? `The producer did not accept ${knobLabel(refused)}` : 'The producer refused the request'} error={error} onDismiss={onDismissError} />}
    </section>
  )
}
