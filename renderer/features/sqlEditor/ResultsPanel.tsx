// ResultsPanel: the active tab's last run: running (elapsed, cancel), the error, or one result tab per statement (grid, chart or plan; CSV/parquet export).
import { type Table, tableFromIPC } from 'apache-arrow'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { StatementResult } from '../../../engine/api/sqlApi'
import { useEngine } from '../../platform/engineContext'
import { DataGrid } from '../../ui/DataGrid'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { downloadBytes, downloadCsv, tableToCsv } from './csvExport'
import { presentError } from './errorSentence'
import { PlanTree } from './PlanTree'
import { ResultChart } from './ResultChart'
import './sqlResults.css'
import { type RunState, activeTab, errorPayloadOf, exportBaseName, useSqlEditorStore } from './sqlEditorStore'

export function ResultsPanel() {
  const run = useSqlEditorStore((s) => activeTab(s).run)
  return (
    <section className="results" aria-label="Results">
      {run.status === 'idle' && <EmptyState />}
      {run.status === 'running' && <Running startedAt={run.startedAt} sql={run.sql} />}
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

function Running({ startedAt, sql }: { startedAt: number; sql: string }) {
  const engine = useEngine()
  const [now, setNow] = useState(performance.now())
  const [cancelling, setCancelling] = useState(false)
  const cancel = useCallback(() => {
    setCancelling(true)
    void useSqlEditorStore.getState().cancel(engine)
  }, [engine])
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(timer)
  }, [])
  // Esc anywhere cancels while a query runs (the editor keeps Esc for its own widgets when one is open).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) cancel()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [cancel])
  return (
    <div className="results-status running" role="status">
      <span className="spinner" aria-hidden="true" /> {cancelling ? 'Cancelling…' : 'Running…'} <span className="running-elapsed">{formatMs(now - startedAt)}</span>
      <button type="button" className="button small" onClick={cancel} disabled={cancelling} aria-label="Cancel the running query" aria-keyshortcuts="Escape" title="Interrupt the query (Esc)">
        Cancel <kbd>Esc</kbd>
      </button>
      <span className="running-sql" title={sql}>{sql.replace(/\s+/g, ' ')}</span>
    </div>
  )
}

function ErrorView({ run }: { run: Extract<RunState, { status: 'error' }> }) {
  const { sentence, facts } = presentError(run.error)
  // A cancel is what the user asked for: reported calmly, not as a failure.
  const cancelled = run.error.code === 'CANCELLED'
  return (
    <div className={`results-error${cancelled ? ' results-cancelled' : ''}`} role="alert">
      <p className="error-title">{cancelled ? `Cancelled after ${formatMs(run.elapsedMs)}` : 'Query failed'}</p>
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

type ResultViewKind = 'grid' | 'chart' | 'plan'

function StatementView({ result }: { result: StatementResult }) {
  // Decoding is the expensive step, so only the statement on screen is decoded, once per result.
  const table = useMemo(() => (result.kind === 'rows' ? tableFromIPC(result.arrow) : null), [result])
  const columnTypes = useMemo(() => result.columns.map((c) => c.type), [result])
  const [view, setView] = useState<ResultViewKind>(result.plan ? 'plan' : 'grid')
  const views: { id: ResultViewKind; label: string }[] = [
    ...(result.plan ? [{ id: 'plan' as const, label: 'Plan' }] : []),
    { id: 'grid', label: 'Grid' },
    { id: 'chart', label: 'Chart' }
  ]
  const hasColumns = table !== null && table.numCols > 0
  return (
    <div className="results-body">
      <div className="results-status" role="status" aria-label="Result summary">
        {result.kind === 'rows' ? (
          <span className="result-rows">
            {result.plan ? `${result.rowCount} plan ${result.rowCount === 1 ? 'operator' : 'operators'}` : `${result.rowCount.toLocaleString('en-US')} ${result.rowCount === 1 ? 'row' : 'rows'}`}
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
        {hasColumns && (
          <span className="view-switch" role="group" aria-label="Result view">
            {views.map((v) => (
              <button key={v.id} type="button" aria-pressed={view === v.id} onClick={() => setView(v.id)}>
                {v.label}
              </button>
            ))}
          </span>
        )}
        {hasColumns && <ExportButtons table={table} statement={result.statement} canExportFile={!result.plan} />}
      </div>
      {table ? (
        hasColumns ? (
          view === 'plan' && result.plan ? (
            <PlanTree plan={result.plan} />
          ) : view === 'chart' ? (
            <ResultChart table={table} />
          ) : (
            <DataGrid table={table} columnTypes={columnTypes} ariaLabel="Query results" />
          )
        ) : (
          <div className="results-empty">The statement returned no columns.</div>
        )
      ) : (
        <div className="results-empty">{result.message ?? 'Statement completed.'}</div>
      )}
    </div>
  )
}

/** CSV from the decoded rows in the page; parquet from the engine, which re-runs the statement (`canExportFile`: it is a query). */
function ExportButtons({ table, statement, canExportFile }: { table: Table; statement: string; canExportFile: boolean }) {
  const engine = useEngine()
  const baseName = useSqlEditorStore((s) => exportBaseName(s))
  const [exporting, setExporting] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const exportParquet = async () => {
    setExporting(true)
    setProblem(null)
    try {
      const bytes = await engine.sql.exportResult({ sql: statement, format: 'parquet' })
      downloadBytes(bytes, `${baseName}.parquet`, 'application/vnd.apache.parquet')
    } catch (error) {
      const payload = errorPayloadOf(error)
      setProblem(payload.code === 'CANCELLED' ? 'Export cancelled.' : presentError(payload).sentence)
    } finally {
      setExporting(false)
    }
  }
  return (
    <span className="result-actions">
      {problem && <span className="result-problem" role="alert" title={problem}>{problem}</span>}
      <button type="button" className="button small" onClick={() => downloadCsv(tableToCsv(table), `${baseName}.csv`)} title="Download this result as CSV">
        Export CSV
      </button>
      {canExportFile && !exporting && (
        <button type="button" className="button small" onClick={() => void exportParquet()} title="Run the statement again in the engine and download the whole result as parquet">
          Export Parquet
        </button>
      )}
      {exporting && (
        <button type="button" className="button small" onClick={() => void engine.sql.cancel()} title="Stop the export (the engine is re-running the query)">
          <span className="spinner" aria-hidden="true" /> Cancel export
        </button>
      )}
    </span>
  )
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}
