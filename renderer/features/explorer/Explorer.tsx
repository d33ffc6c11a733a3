// Explorer: the lakehouse's schemas and their tables with rows, size and last change; click or drag a table to use its name, or preview it.
import { type DragEvent, useEffect, useState } from 'react'
import type { TableRef, TableSummary } from '../../../engine/api/tablesApi'
import { useEngine } from '../../platform/engineContext'
import './explorer.css'
import { useExplorerStore } from './explorerStore'
import { exactTime, relativeTime, shortBytes, shortCount } from './tableFacts'

export interface ExplorerProps {
  /** Called with `schema.table` when a table is clicked. */
  onInsertTable(qualifiedName: string): void
  /** Called with `schema.table` when a table's preview is asked for. */
  onPreviewTable(qualifiedName: string): void
  /** Called with `schema.table` when the table's own page (versions, diff, restore) is asked for. */
  onOpenTable?(qualifiedName: string): void
}

/** Relative times ("5 min ago") are re-rendered this often so they do not go stale while the app stays open. */
const CLOCK_TICK_MS = 30_000

export function Explorer({ onInsertTable, onPreviewTable, onOpenTable }: ExplorerProps) {
  const engine = useEngine()
  const { status, schemas, error, summaries, summariesError, collapsed, load, toggle } = useExplorerStore()
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    void load(engine)
    // Tables appear, disappear and grow as statements and pipelines run, or another lakehouse opens; the engine says when.
    return engine.onEvent((event) => {
      if (event.type === 'lakehouse.opened') useExplorerStore.setState({ summaries: {} })
      if (event.type === 'tables.changed' || event.type === 'lakehouse.opened') void load(engine)
    })
  }, [engine, load])

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS)
    return () => clearInterval(timer)
  }, [])
  // A fresh load brings fresh commit times: measure "ago" from the same moment.
  useEffect(() => setNow(Date.now()), [summaries])

  return (
    <nav className="explorer" aria-label="Explorer">
      <div className="panel-title">
        <span>Tables</span>
        <button type="button" className="icon-button" aria-label="Refresh tables" title="Refresh" onClick={() => void load(engine)}>
          ↻
        </button>
      </div>
      {status === 'loading' && <p className="explorer-note">Loading…</p>}
      {status === 'error' && (
        <p className="explorer-note error-text" role="alert">
          Could not list tables: {error}
        </p>
      )}
      {status === 'ready' && schemas.length === 0 && <p className="explorer-note">This lakehouse has no schemas yet.</p>}
      {summariesError && (
        <p className="explorer-note" title={summariesError}>
          Row counts and sizes are unavailable.
        </p>
      )}
      <ul className="tree" aria-label="Schemas">
        {schemas.map((schema) => {
          const expanded = !collapsed[schema.name]
          const listId = `schema-${schema.name}`
          return (
            <li key={schema.name}>
              <button
                type="button"
                className="tree-schema"
                aria-expanded={expanded}
                aria-controls={listId}
                aria-label={`Schema ${schema.name}`}
                onClick={() => toggle(schema.name)}
              >
                <span className="chevron" aria-hidden="true">
                  {expanded ? '▾' : '▸'}
                </span>
                <span className="tree-label">{schema.name}</span>
                <span className="count" aria-hidden="true">
                  {schema.tables.length}
                </span>
              </button>
              {expanded && (
                <ul id={listId} className="tree-tables" aria-label={`Tables in ${schema.name}`}>
                  {schema.tables.length === 0 && <li className="explorer-note indent">No tables</li>}
                  {schema.tables.map((table) => (
                    <TableItem
                      key={table.name}
                      table={table}
                      summary={summaries[`${table.schema}.${table.name}`]}
                      now={now}
                      onInsert={onInsertTable}
                      onPreview={onPreviewTable}
                      onOpen={onOpenTable}
                    />
                  ))}
                </ul>
              )}
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

/** Lets the name be dropped into the SQL editor (or any text field) as `schema.table`. */
function dragName(event: DragEvent<HTMLElement>, qualified: string): void {
  event.dataTransfer.setData('text/plain', qualified)
  event.dataTransfer.effectAllowed = 'copy'
}

interface TableItemProps {
  table: TableRef
  summary: TableSummary | undefined
  now: number
  onInsert(name: string): void
  onPreview(name: string): void
  onOpen?(name: string): void
}

function TableItem({ table, summary, now, onInsert, onPreview, onOpen }: TableItemProps) {
  const qualified = `${table.schema}.${table.name}`
  return (
    <li className="tree-table">
      <button
        type="button"
        className="tree-table-name"
        aria-label={`Insert ${qualified}`}
        title={`Insert ${qualified} at the cursor, or drag it into the editor (double-click to preview)`}
        draggable
        onDragStart={(event) => dragName(event, qualified)}
        onClick={() => onInsert(qualified)}
        onDoubleClick={() => onPreview(qualified)}
      >
        <span className="table-icon" aria-hidden="true" />
        <span className="tree-label">{table.name}</span>
      </button>
      <span className="tree-table-actions">
        <button type="button" className="icon-button preview" aria-label={`Preview ${qualified}`} title={`SELECT * FROM ${qualified} LIMIT 100`} onClick={() => onPreview(qualified)}>
          ▶
        </button>
        {onOpen && (
          <button type="button" className="icon-button history" aria-label={`Open ${qualified}`} title={`Versions, diff, profile and restore of ${qualified}`} onClick={() => onOpen(qualified)}>
            ◷
          </button>
        )}
      </span>
      <TableMeta qualified={qualified} summary={summary} now={now} />
    </li>
  )
}

/** "1,925 rows · 51 KB · 3 h ago" under the name; exact figures on hover. */
function TableMeta({ qualified, summary, now }: { qualified: string; summary: TableSummary | undefined; now: number }) {
  if (!summary) return <span className="tree-table-meta" aria-hidden="true" />
  if (summary.error) {
    return (
      <span className="tree-table-meta error-text" title={summary.error} aria-label={`${qualified}: its log could not be read`}>
        log unreadable
      </span>
    )
  }
  const rows = summary.rows === null ? 'rows unknown' : `${shortCount(summary.rows)} ${summary.rows === 1 ? 'row' : 'rows'}`
  const exactRows = summary.rows === null ? 'Row count unknown: a data file has no numRecords statistic' : `${summary.rows.toLocaleString('en-US')} rows`
  const files = summary.numFiles === null ? '' : ` in ${summary.numFiles.toLocaleString('en-US')} file${summary.numFiles === 1 ? '' : 's'}`
  return (
    <span className="tree-table-meta" data-testid={`table-meta-${qualified}`}>
      <span className="meta-rows" title={exactRows}>
        {rows}
      </span>
      {summary.sizeBytes !== null && (
        <>
          <span className="meta-sep" aria-hidden="true">
            ·
          </span>
          <span title={`${summary.sizeBytes.toLocaleString('en-US')} bytes${files}`}>{shortBytes(summary.sizeBytes)}</span>
        </>
      )}
      {summary.lastModified !== null && (
        <>
          <span className="meta-sep" aria-hidden="true">
            ·
          </span>
          <time dateTime={new Date(summary.lastModified).toISOString()} title={`Version ${summary.version} committed ${exactTime(summary.lastModified)}`}>
            {relativeTime(summary.lastModified, now)}
          </time>
        </>
      )}
    </span>
  )
}
