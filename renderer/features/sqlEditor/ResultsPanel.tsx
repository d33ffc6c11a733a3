// ResultsPanel: the outcome of the active tab's last run: one result tab per statement (grid or message, CSV export), or the error.
import { tableFromIPC } from 'apache-arrow'
import { useEffect, useMemo, useState } from 'react'
import type { StatementResult } from '../../../engine/api/sqlApi'
import { DataGrid } from '../../ui/DataGrid'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { downloadCsv, tableToCsv } from './csvExport'
import { presentError } from './errorSentence'
import { type RunState, activeTab, useSqlEditorStore } from './sqlEditorStore'

export function ResultsPanel() {
  const run = useSqlEditorStore((s) => activeTab(s).run)
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
  if (run.results.length === 0) return <div className="results-status" role="status">The script had no statements.</div>
  const shown = Math.min(run.shown, run.results.length - 1)
  const result = run.results[shown]!
  if (run.results.length === 1) return <StatementView result={result} />
  return (
    <div className="results-body">
      <Tabs
        tabs={run.results.map((r, i) => ({ id: String(i), label: `${i + 1} · ${r.statement.replace(/\s+/g, ' ').slice(0, 32)}`, badge: r.kind === 'rows' ? r.rowCount : undefined }))}
        selected={String(shown)}
        onSelect={(id) => useSqlEditorStore.getState().showResult(Number(id))}
        label="Statement results"
        idPrefix="statement-result"
      />
      <div className="results-body" role="tabpanel" id={tabPanelId('statement-result', String(shown))} aria-labelledby={tabId('statement-result', String(shown))}>
        <StatementView key={shown} result={result} />
      </div>
    </div>
  )
}

function StatementView({ result }: { result: StatementResult }) {
  // Decoding is the expensive step, so only the statement on screen is decoded, once per result.
  const table = useMemo(() => (result.kind === 'rows' ? tableFromIPC(result.arrow) : null), [result])
  const columnTypes = useMemo(() => result.columns.map((c) => c.type), [result])
  return (
    <div className="results-body">
      <div className="results-status" role="status" aria-label="Result summary">
        {result.kind === 'rows' ? (
          <span className="result-rows">
            {result.rowCount.toLocaleString('en-US')} {result.rowCount === 1 ? 'row' : 'rows'}
          </span>
        ) : (
          <span className="result-ok">{result.message ?? 'OK'}</span>
        )}
        <span className="result-sep" aria-hidden="true">·</span>
        <span title="Engine time for this statement">{formatMs(result.elapsedMs)}</span>
        {result.kind === 'rows' && result.message && (
          <>
            <span className="result-sep" aria-hidden="true">·</span>
            <span className="result-note" title={result.message}>
              {result.message}
            </span>
          </>
        )}
        <span className="result-sql" title={result.statement} aria-label="Statement">
          {result.statement.replace(/\s+/g, ' ')}
        </span>
        {table && table.numCols > 0 && (
          <button type="button" className="button small" onClick={() => downloadCsv(tableToCsv(table), 'result.csv')} title="Download this result as CSV">
            Export CSV
          </button>
        )}
      </div>
      {table ? (
        table.numCols > 0 ? (
          <DataGrid table={table} columnTypes={columnTypes} ariaLabel="Query results" />
        ) : (
          <div className="results-empty">The statement returned no columns.</div>
        )
      ) : (
        <div className="results-empty">{result.message ?? 'Statement completed.'}</div>
      )}
    </div>
  )
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}
