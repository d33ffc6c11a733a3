// QualityErrorView: an engine failure as a sentence, with its code and location one click away.
import type { ReadableError } from '../../platform/readableError'

export function QualityErrorView({ error }: { error: ReadableError }) {
  return (
    <div className="q-error" role="alert">
      <p className="q-error-sentence">{error.sentence}</p>
      <details>
        <summary>Details</summary>
        <p className="q-error-facts">{[`code ${error.code}`, ...error.facts].join(' · ')}</p>
      </details>
    </div>
  )
}
