// App: the workbench shell: header, explorer sidebar, and a workspace showing the SQL editor or a table's page; wires features together.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LakehouseInfo } from '../../engine/api/lakehouseApi'
import { Explorer } from '../features/explorer/Explorer'
import { PipelinesPage } from '../features/pipelines/PipelinesPage'
import { QualityPage } from '../features/quality/QualityPage'
import { CommandPalette } from '../features/shell/CommandPalette'
import { useLakehouseStore } from '../features/shell/lakehouseStore'
import { SqlEditor, sqlEditorCommands } from '../features/sqlEditor/SqlEditor'
import { StreamsPage } from '../features/streams/StreamsPage'
import { TableHistoryPage } from '../features/tableHistory/TableHistoryPage'
import { useEngineContext } from '../platform/engineContext'
import { AppHeader } from './AppHeader'
import { useWorkbenchCommands } from './useWorkbenchCommands'

export function App() {
  const { engine, host, lostReason } = useEngineContext()
  const [info, setInfo] = useState<LakehouseInfo | null>(null)
  const [infoError, setInfoError] = useState<string | null>(null)
  // The workspace shows the SQL editor or one table's page; the editor stays mounted so its text and results survive.
  const [openTable, setOpenTable] = useState<string | null>(null)
  const [view, setView] = useState<'sql' | 'pipelines' | 'table' | 'quality' | 'streams'>('sql')
  // The quarantine table the Quality tab should show (set by "open quarantine" links of other panels).
  const [qualityFocus, setQualityFocus] = useState<string | undefined>()
  const openQuarantine = useCallback((table: string) => {
    setQualityFocus(table)
    setView('quality')
  }, [])

  useEffect(() => {
    engine.lakehouse.info().then(setInfo, (e: Error) => setInfoError(e.message))
    return engine.onEvent((event) => {
      if (event.type !== 'lakehouse.opened') return
      setInfo(event.info)
      setInfoError(null)
      // A table page belongs to the lakehouse it came from; the other panels reload themselves on this event.
      setOpenTable(null)
      setView((current) => (current === 'table' ? 'sql' : current))
    })
  }, [engine])

  const sidebar = useRef<HTMLElement>(null)
  const workspace = useRef<HTMLElement>(null)
  const [paletteOpen, setPaletteOpen] = useState(false)
  const lakehouseDialogOpen = useLakehouseStore((s) => s.dialog !== null)
  const openPalette = useCallback(() => setPaletteOpen(true), [])
  const closeTable = useCallback(() => {
    setOpenTable(null)
    setView('sql')
  }, [])
  const showView = useCallback((id: string) => {
    setView(id as typeof view)
    // Once the view shows: the editor gets the keyboard, any other view its tab.
    requestAnimationFrame(() => {
      const target = id === 'sql' ? workspace.current?.querySelector<HTMLElement>('.monaco-editor textarea') : workspace.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')
      target?.focus()
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  // Every workspace view, in tab order, for the "Go to …" commands.
  const views = [{ id: 'sql', title: 'SQL editor' }, { id: 'pipelines', title: 'Pipelines' }, { id: 'quality', title: 'Quality' }, { id: 'streams', title: 'Streaming' }, ...(openTable ? [{ id: 'table', title: `table ${openTable}` }] : [])]
  const commands = useWorkbenchCommands({
    engine,
    views,
    showView,
    ...(openTable ? { closeTable } : {}),
    openPalette,
    modalOpen: paletteOpen || lakehouseDialogOpen,
    sidebar,
    workspace
  })

  useEffect(() => {
    document.title = info ? `${info.name} — Lakebench` : 'Lakebench'
  }, [info])

  return (
    <div className="app">
      <AppHeader
        info={info}
        placeholder={lostReason ? 'Not connected' : infoError ? 'No lakehouse' : '…'}
        host={host}
        lostReason={lostReason}
        onOpenPalette={openPalette}
      />
      {(lostReason || infoError) && (
        <div className="banner" role="alert">
          {lostReason ?? `Could not reach the lakehouse: ${infoError}`}
        </div>
      )}
      <div className="app-body">
        <aside className="sidebar" ref={sidebar}>
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
        <main className="workspace" ref={workspace}>
          <div className="workspace-tabs" role="tablist" aria-label="Workspace">
            <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'sql'} onClick={() => setView('sql')}>
              SQL editor
            </button>
            <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'pipelines'} onClick={() => setView('pipelines')}>
              Pipelines
            </button>
            <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'quality'} onClick={() => setView('quality')}>
              Quality
            </button>
            <button type="button" role="tab" className="workspace-tab" aria-selected={view === 'streams'} onClick={() => setView('streams')}>
              Streaming
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
          {view === 'pipelines' && (
            <div className="workspace-view">
              <PipelinesPage
                onOpenTable={(name) => {
                  setOpenTable(name)
                  setView('table')
                }}
                onOpenQuarantine={openQuarantine}
              />
            </div>
          )}
          {view === 'quality' && (
            <div className="workspace-view">
              <QualityPage
                focusTable={qualityFocus}
                onOpenTable={(name) => {
                  setOpenTable(name)
                  setView('table')
                }}
              />
            </div>
          )}
          {view === 'streams' && (
            <div className="workspace-view">
              <StreamsPage />
            </div>
          )}
          {openTable && view === 'table' && (
            <div className="workspace-view">
              <TableHistoryPage table={openTable} />
            </div>
          )}
        </main>
      </div>
      {paletteOpen && <CommandPalette commands={commands} onClose={() => setPaletteOpen(false)} />}
    </div>
  )
}
