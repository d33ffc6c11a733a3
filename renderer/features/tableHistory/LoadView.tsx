// LoadView: the one way the table page shows a pending load (spinner + label) or a failed one (readable sentence).
import type { ReactNode } from 'react'
import type { ReadableError } from '../../platform/readableError'
import type { Load } from './tableHistoryStore'

/** Renders `children(value)` once ready; a spinner while loading; the error as a sentence with its code beneath. */
export function LoadView<T>({ load, what, children }: { load: Load<T>; what: string; children(value: T): ReactNode }) {
  if (load.status === 'idle') return null
  if (load.status === 'loading')
    return (
      <div className="th-status" role="status">
        <span className="spinner" aria-hidden="true" /> Loading {what}…
      </div>
    )
  if (load.status === 'error') return <ErrorBox title={`Could not load ${what}`} error={load.error} />
  return <>{children(load.value)}</>
}

export function ErrorBox({ title, error }: { title: string; error: ReadableError }) {
  return (
    <div className="results-error th-error" role="alert">
      <p className="error-title">{title}</p>
      <p className="error-sentence">{error.sentence}</p>
      <p className="th-error-facts">{[...error.facts, `code ${error.code}`].join(' · ')}</p>
    </div>
  )
}
