// QueryHistoryPanel: the lakehouse's query history (statement, time, duration, rows, status), searchable; click to reopen.
import { useEffect, useState } from 'react'
import type { QueryHistoryEntry } from '../../../engine/api/queriesApi'
import { useEngine } from '../../platform/engineContext'
import { useSqlEditorStore } from './sqlEditorStore'

export function QueryHistoryPanel({ onClose }: { onClose(): void }) {
  const engine = useEngine()
  const [search, setSearch] = useState('')
  const [entries, setEntries] = useState<QueryHistoryEntry[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  // Reloads as the search changes and after every run (a run changes the active tab's run state).
  const runs = useSqlEditorStore((s) => s.tabs.map((t) => t.run.status).join())
  useEffect(() => {
    let current = true
    engine.queries.history({ search: search || undefined, limit: 200 }).then(
      (found) => current && setEntries(found),
      (error: Error) => current && setProblem(error.message)
    )
    return () => {
      current = false
    }
  }, [engine, search, runs])

  return (
    <aside className="history-panel" aria-label="Query history">
      <div className="history-head">
        <input className="input" type="search" aria-label="Search history" placeholder="Search history" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
        <button type="button" className="icon-button" aria-label="Close history" onClick={onClose}>
          ×
        </button>
      </div>
      {problem && <p className="history-problem" role="alert">{problem}</p>}
      <ol className="history-list">
        {entries?.length === 0 && <li className="history-empty">No queries{search ? ` containing “${search}”` : ' yet'}.</li>}
        {entries?.map((entry, i) => (
          <li key={`${entry.time}-${i}`}>
            <button type="button" className="history-entry" onClick={() => useSqlEditorStore.getState().newTab(entry.statement)} title="Open in a new tab">
              <code className="history-sql" title={entry.statement}>{entry.statement.replace(/\s+/g, ' ').trim()}</code>
              <span className="history-meta">
                <span className={`history-status ${entry.status}`}>{entry.status}</span>
                <span>{new Date(entry.time).toLocaleString()}</span>
                <span>{Math.round(entry.durationMs)} ms</span>
                <span>
                  {entry.rows.toLocaleString('en-US')} {entry.rows === 1 ? 'row' : 'rows'}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </aside>
  )
}
