// LatestBatch: the newest micro-batch in words: id, input rows, rows written, late rows, duration, trigger time, outcome.
import type { StreamBatchInfo } from '../../../engine/api/streamApi'
import { formatCount, formatDuration, formatTime } from './streamFormat'

export function LatestBatch({ batch, shown }: { batch: StreamBatchInfo | null; shown: number }) {
  if (!batch) {
    return (
      <section className="st-latest" aria-label="Latest batch">
        <p className="st-faint">No batch has run for this pipeline yet.</p>
      </section>
    )
  }
  const failed = batch.status !== undefined && batch.status !== 'completed'
  const facts: { label: string; value: string; testId: string }[] = [
    { label: 'Batch', value: String(batch.batchId), testId: 'latest-batch-id' },
    { label: 'Input rows', value: formatCount(batch.numInputRows), testId: 'latest-input-rows' },
    { label: 'Rows written', value: formatCount(batch.sink.numOutputRows), testId: 'latest-rows-written' },
    { label: 'Late', value: formatCount(batch.numRowsLate), testId: 'latest-late-rows' },
    { label: 'Duration', value: formatDuration(batch.durationMs.triggerExecution), testId: 'latest-duration' },
    { label: 'Triggered', value: formatTime(batch.timestamp, true), testId: 'latest-time' }
  ]
  return (
    <section className={`st-latest${failed ? ' st-latest-failed' : ''}`} aria-label="Latest batch">
      <dl className="st-latest-facts">
        {facts.map((f) => (
          <div key={f.testId}>
            <dt>{f.label}</dt>
            <dd data-testid={f.testId}>{f.value}</dd>
          </div>
        ))}
      </dl>
      <span className="st-faint st-latest-count">{formatCount(shown)} batches charted</span>
      {failed && (
        <p className="st-inline-error" role="alert">
          Batch {batch.batchId} {batch.status}
          {batch.error ? `: ${batch.error}` : ''}
        </p>
      )}
    </section>
  )
}
