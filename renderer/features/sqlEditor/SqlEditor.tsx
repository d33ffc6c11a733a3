// SqlEditor: the SQL workspace: editor tabs, toolbar (Run, Run all, Cancel, Save, Open, History), Monaco and, below, the results.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { EngineApi } from '../../../engine/api/engineApi'
import { useEngine } from '../../platform/engineContext'
import { SplitPane } from '../../ui/SplitPane'
import { CompletionCatalogLoader } from './completionCatalog'
import { EditorTabs } from './EditorTabs'
import { MonacoSqlEditor } from './MonacoSqlEditor'
import { QueryHistoryPanel } from './QueryHistoryPanel'
import { ResultsPanel } from './ResultsPanel'
import { SavedQueryControls } from './SavedQueryControls'
import { setCompletionCatalog } from './sqlCompletionProvider'
import './sqlEditor.css'
import { activeTab, useSqlEditorStore } from './sqlEditorStore'
import type { RunTarget } from './statementAtCursor'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function SqlEditor() {
  const engine = useEngine()
  const running = useSqlEditorStore((s) => activeTab(s).run.status === 'running')
  const [historyOpen, setHistoryOpen] = useState(false)
  const pickTarget = useRef<() => RunTarget>(() => ({ sql: activeTab(useSqlEditorStore.getState()).text, scope: 'all', offset: 0 }))

  const catalog = useMemo(() => new CompletionCatalogLoader(engine), [engine])
  useEffect(() => {
    setCompletionCatalog(catalog)
    // Completion must see tables that SQL or the pipeline created, and the new lakehouse after an open.
    return engine.onEvent((event) => {
      if (event.type === 'tables.changed' || event.type === 'lakehouse.opened' || event.type === 'pipeline.finished') catalog.invalidate()
    })
  }, [engine, catalog])

  const run = useCallback((target: RunTarget) => void useSqlEditorStore.getState().execute(engine, target.sql, target.scope, target.offset), [engine])
  const runAll = useCallback(() => {
    const text = activeTab(useSqlEditorStore.getState()).text
    run({ sql: text, scope: 'all', offset: 0 })
  }, [run])
  const bindRunTarget = useCallback((pick: () => RunTarget) => (pickTarget.current = pick), [])
  // The shell's "Run query" command runs what the Run button would.
  useEffect(() => {
    runFromShell = () => run(pickTarget.current())
    return () => void (runFromShell = null)
  }, [run])

  const editor = (
    <section className="editor" aria-label="SQL editor">
      <EditorTabs />
      <div className="toolbar" role="toolbar" aria-label="Query actions">
        <button
          type="button"
          className="button primary"
          onClick={() => run(pickTarget.current())}
          disabled={running}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
          title="Run the statement at the cursor, or the selection"
        >
          <span aria-hidden="true">▶</span> Run
        </button>
        <button type="button" className="button" onClick={runAll} disabled={running} title="Run every statement; each result gets its own tab">
          Run all
        </button>
        <button type="button" className="button" onClick={() => void useSqlEditorStore.getState().cancel(engine)} disabled={!running} title="Interrupt the running statement">
          Cancel
        </button>
        <span className="toolbar-sep" aria-hidden="true" />
        <SavedQueryControls />
        <button type="button" className="button" aria-pressed={historyOpen} onClick={() => setHistoryOpen((open) => !open)} title="Queries run in this lakehouse">
          History
        </button>
        <span className="toolbar-hint">{isMac ? '⌘' : 'Ctrl'}+Enter runs the statement at the cursor or the selection</span>
      </div>
      <div className="editor-body">
        <MonacoSqlEditor onRun={run} bindRunTarget={bindRunTarget} />
        {historyOpen && <QueryHistoryPanel onClose={() => setHistoryOpen(false)} />}
      </div>
    </section>
  )

  return <SplitPane top={editor} bottom={<ResultsPanel />} label="Resize editor and results" />
}

let runFromShell: (() => void) | null = null

/** Lets the shell drive the editor (e.g. from the explorer) without features importing each other. */
export const sqlEditorCommands = {
  /** Runs the statement at the cursor or the selection, as the Run button does (nothing when the editor is not mounted). */
  runCurrent: () => runFromShell?.(),
  newTab: () => useSqlEditorStore.getState().newTab(),
  insertText: (text: string) => useSqlEditorStore.getState().requestInsert(text),
  runSql: (engine: EngineApi, sql: string) => void useSqlEditorStore.getState().execute(engine, sql, 'all')
}
