// StreamErrorNote: an engine refusal or failure as a titled sentence, with its code and location facts one click away.
import type { ReadableError } from '../../platform/readableError'

export function StreamErrorNote({ title, error, onDismiss }: { title: string; error: ReadableError; onDismiss?: () => void }) {
  return (
    <div className="st-error" role="alert">
      <div className="st-error-text">
        <p className="st-error-title">{title}</p>
        <p className="st-error-sentence">{error.sentence}</p>
        <details>
          <summary>Detail</summary>
          <p className="st-mono st-faint">{[...error.facts, `code ${error.code}`].join(' · ')}</p>
        </details>
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  )
}
