// App: the workbench shell: header, explorer sidebar, and a workspace showing the SQL editor or a table's page; wires features together.
import { useEffect, useState } from 'react'
import type { LakehouseInfo } from '../../engine/api/lakehouseApi'
import { Explorer } from '../features/explorer/Explorer'
import { SqlEditor, sqlEditorCommands } from '../features/sqlEditor/SqlEditor'
import { TableHistoryPage } from '../features/tableHistory/TableHistoryPage'
import { useEngineContext } from '../platform/engineContext'

export function App() {
  const { engine, host, lostReason } = useEngineContext()
  const [info, setInfo] = useState<LakehouseInfo | null>(null)
  const [infoError, setInfoError] = useState<string | null>(null)
  // The workspace shows the SQL editor or one table's page; the editor stays mounted so its text and results survive.
  const [openTable, setOpenTable] = useState<string | null>(null)
  const [view, setView] = useState<'sql' | 'table'>('sql')

  useEffect(() => {
    engine.lakehouse.info().then(setInfo, (e: Error) => setInfoError(e.message))
    return engine.onEvent((event) => {
      if (event.type === 'lakehouse.opened') setInfo(event.info)
    })
  }, [engine])

  useEffect(() => {
    document.title = info ? `${info.name} — Lakebench` : 'Lakebench'
  }, [info])

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark" />
          Lakebench
        </div>
        <div className="lakehouse" aria-label="Lakehouse">
          <h1 className="lakehouse-name">{info?.name ?? (lostReason ? 'Not connected' : infoError ? 'No lakehouse' : '…')}</h1>
          {info && (
            <span className="lakehouse-path" title={info.root}>
              {info.root}
            </span>
          )}
        </div>
        <div className={`connection ${lostReason ? 'lost' : 'ok'}`} role="status" aria-label="Engine connection">
          <span className="dot" aria-hidden="true" />
          {lostReason ? 'Disconnected' : host === 'desktop' ? 'Local engine' : 'Local engine (browser)'}
        </div>
      </header>
      {(lostReason || infoError) && (
        <div className="banner" role="alert">
          {lostReason ?? `Could not reach the lakehouse: ${infoError}`}
        </div>
      )}
      <div className="app-body">
        <aside className="sidebar">
          <Explorer
            onInsertTable={(name) => sqlEditorCommands.insertText(name)}
            onPreviewTable={(name) => {
              setView('sql')
              sqlEditorCommands.runSql(engine, `SELECT * FROM ${name} LIMIT 100`)
            }}
            onOpenTable={(name) => {
              setOpenTable(name)
              setView('table')
            }}
          />
        </aside>
        <main className="workspace">
          <div className="workspace-tabs" role="tablist" aria-label="Workspace">
            <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'sql'} onClick={() => setView('sql')}>
              SQL editor
            </button>
            {openTable && (
              <span className="workspace-tab-group">
                <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'table'} onClick={() => setView('table')}>
                  {openTable}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Close ${openTable}`}
                  onClick={() => {
                    setOpenTable(null)
                    setView('sql')
                  }}
                >
                  ×
                </button>
              </span>
            )}
          </div>
          <div className="workspace-view" hidden={view !== 'sql'}>
            <SqlEditor />
          </div>
          {openTable && view === 'table' && (
            <div className="workspace-view">
              <TableHistoryPage table={openTable} />
            </div>
          )}
        </main>
      </div>
    </div>
  )
}
