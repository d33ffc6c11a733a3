// ValidationReport: the outcome of Validate: valid or not, each diagnostic at file:line:col, and the planned run order.
import type { ReadableError } from '../../platform/readableError'
import { shortPipelinePath } from './pipelineFormat'
import type { Load, Validation } from './pipelinesStore'

export function ValidationReport({ validation, onValidate }: { validation: Load<Validation>; onValidate(): void }) {
  if (validation.status === 'idle') {
    return (
      <p className="pl-empty">
        Validate parses the pipeline files and plans the run without writing anything.{' '}
        <button type="button" className="link-button" onClick={onValidate}>
          Validate now
        </button>
      </p>
    )
  }
  if (validation.status === 'loading') {
    return (
      <p className="pl-empty" role="status">
        <span className="spinner" aria-hidden="true" /> Validating…
      </p>
    )
  }
  if (validation.status === 'error') return <ErrorNote title="Validation could not run" error={validation.error} />
  const { valid, diagnostics, order } = validation.value
  return (
    <div className="pl-validation">
      <p className={`pl-verdict ${valid ? 'ok' : 'bad'}`} role="status" aria-label="Validation result">
        {valid ? `Valid: ${order.length} datasets would run in this order.` : `Not valid: ${diagnostics.filter((d) => d.severity === 'error').length} error(s) stop the run.`}
      </p>
      {diagnostics.length > 0 && (
        <ul className="pl-diagnostics" aria-label="Diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i} className={`severity-${d.severity}`}>
              <span className="pl-mono pl-location">
                {shortPipelinePath(d.file)}:{d.line}:{d.column}
              </span>
              <span className="pl-severity">{d.severity}</span>
              <span className="pl-mono">{d.code}</span>
              <span>{d.message}</span>
            </li>
          ))}
        </ul>
      )}
      {valid && <p className="pl-order pl-mono">{order.join(' → ')}</p>}
    </div>
  )
}

export function ErrorNote({ title, error }: { title: string; error: ReadableError }) {
  return (
    <div className="results-error pl-error" role="alert">
      <p className="error-title">{title}</p>
      <p className="error-sentence">{error.sentence}</p>
      <details>
        <summary>Detail</summary>
        <p className="pl-mono pl-faint">{[...error.facts, `code ${error.code}`].join(' · ')}</p>
      </details>
    </div>
  )
}
