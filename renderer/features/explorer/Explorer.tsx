// Explorer: the lakehouse's schemas and their tables; click a table to insert its name, or preview its rows.
import { useEffect } from 'react'
import type { TableRef } from '../../../engine/api/tablesApi'
import { useEngine } from '../../platform/engineContext'
import { useExplorerStore } from './explorerStore'

export interface ExplorerProps {
  /** Called with `schema.table` when a table is clicked. */
  onInsertTable(qualifiedName: string): void
  /** Called with `schema.table` when a table's preview is asked for. */
  onPreviewTable(qualifiedName: string): void
  /** Called with `schema.table` when the table's own page (versions, diff, restore) is asked for. */
  onOpenTable?(qualifiedName: string): void
}

export function Explorer({ onInsertTable, onPreviewTable, onOpenTable }: ExplorerProps) {
  const engine = useEngine()
  const { status, schemas, error, collapsed, load, toggle } = useExplorerStore()

  useEffect(() => {
    void load(engine)
    // Tables appear and disappear as statements run; the engine says when.
    return engine.onEvent(() => void load(engine))
  }, [engine, load])

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
                    <TableItem key={table.name} table={table} onInsert={onInsertTable} onPreview={onPreviewTable} onOpen={onOpenTable} />
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

function TableItem({ table, onInsert, onPreview, onOpen }: { table: TableRef; onInsert(name: string): void; onPreview(name: string): void; onOpen?(name: string): void }) {
  const qualified = `${table.schema}.${table.name}`
  return (
    <li className="tree-table">
      <button
        type="button"
        className="tree-table-name"
        aria-label={`Insert ${qualified}`}
        title={`Insert ${qualified} at the cursor (double-click to preview)`}
        onClick={() => onInsert(qualified)}
        onDoubleClick={() => onPreview(qualified)}
      >
        <span className="table-icon" aria-hidden="true" />
        <span className="tree-label">{table.name}</span>
      </button>
      <button type="button" className="icon-button preview" aria-label={`Preview ${qualified}`} title={`SELECT * FROM ${qualified} LIMIT 100`} onClick={() => onPreview(qualified)}>
        ▶
      </button>
      {onOpen && (
        <button type="button" className="icon-button history" aria-label={`Open ${qualified}`} title={`Versions, diff and restore of ${qualified}`} onClick={() => onOpen(qualified)}>
          ◷
        </button>
      )}
    </li>
  )
}
