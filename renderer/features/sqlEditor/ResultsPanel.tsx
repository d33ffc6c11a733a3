// ResultsPanel: the outcome of the last run: a grid of the last statement's rows, its message, or the error.
import { tableFromIPC } from 'apache-arrow'
import { useEffect, useMemo, useState } from 'react'
import type { StatementResult } from '../../../engine/api/sqlApi'
import { DataGrid } from '../../ui/DataGrid'
import { presentError } from './errorSentence'
import { type RunState, useSqlEditorStore } from './sqlEditorStore'

export function ResultsPanel() {
  const run = useSqlEditorStore((s) => s.run)
  return (
    <section className="results" aria-label="Results">
      {run.status === 'idle' && <EmptyState />}
      {run.status === 'running' && <Running startedAt={run.startedAt} />}
      {run.status === 'error' && <ErrorView run={run} />}
      {run.status === 'done' && <ResultView run={run} />}
    </section>
  )
}

function EmptyState() {
  return (
    <div className="results-empty">
      <p className="results-empty-title">No results yet</p>
      <p>
        Write Spark SQL above and press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to run the statement at the cursor, or pick a table in the
        explorer to preview it.
      </p>
    </div>
  )
}

function Running({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(performance.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(timer)
  }, [])
  return (
    <div className="results-status" role="status">
      <span className="spinner" aria-hidden="true" /> Running… {formatMs(now - startedAt)}
    </div>
  )
}

function ErrorView({ run }: { run: Extract<RunState, { status: 'error' }> }) {
  const { sentence, facts } = presentError(run.error)
  return (
    <div className="results-error" role="alert">
      <p className="error-title">Query failed</p>
      <p className="error-sentence">{sentence}</p>
      <dl className="error-facts">
        {facts.map((fact) => (
          <div key={fact.label}>
            <dt>{fact.label}</dt>
            <dd>{fact.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

function ResultView({ run }: { run: Extract<RunState, { status: 'done' }> }) {
  const last: StatementResult | undefined = run.results[run.results.length - 1]
  // Decoding is the expensive step, so only the statement on screen is decoded, once per result.
  const table = useMemo(() => (last && last.kind === 'rows' ? tableFromIPC(last.arrow) : null), [last])
  const columnTypes = useMemo(() => last?.columns.map((c) => c.type), [last])
  if (!last) return <div className="results-status" role="status">The script had no statements.</div>
  return (
    <div className="results-body">
      <div className="results-status" role="status" aria-label="Result summary">
        {last.kind === 'rows' ? (
          <span className="result-rows">
            {last.rowCount.toLocaleString('en-US')} {last.rowCount === 1 ? 'row' : 'rows'}
          </span>
        ) : (
          <span className="result-ok">{last.message ?? 'OK'}</span>
        )}
        <span className="result-sep" aria-hidden="true">·</span>
        <span title="Engine time for this statement">{formatMs(last.elapsedMs)}</span>
        {run.results.length > 1 && (
          <>
            <span className="result-sep" aria-hidden="true">·</span>
            <span>
              statement {run.results.length} of {run.results.length} (showing the last)
            </span>
          </>
        )}
        {last.kind === 'rows' && last.message && (
          <>
            <span className="result-sep" aria-hidden="true">·</span>
            <span className="result-note" title={last.message}>
              {last.message}
            </span>
          </>
        )}
        <span className="result-sql" title={last.statement} aria-label="Statement">
          {last.statement.replace(/\s+/g, ' ')}
        </span>
      </div>
      {table ? (
        table.numCols > 0 ? (
          <DataGrid table={table} columnTypes={columnTypes} ariaLabel="Query results" />
        ) : (
          <div className="results-empty">The statement returned no columns.</div>
        )
      ) : (
        <div className="results-empty">{last.message ?? 'Statement completed.'}</div>
      )}
    </div>
  )
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}
