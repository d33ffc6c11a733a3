// SqlEditor: the SQL workspace: toolbar (Run, Run all, Cancel), the Monaco editor and, below, the results.
import { useCallback, useRef } from 'react'
import type { EngineApi } from '../../../engine/api/engineApi'
import { useEngine } from '../../platform/engineContext'
import { SplitPane } from '../../ui/SplitPane'
import { MonacoSqlEditor } from './MonacoSqlEditor'
import { ResultsPanel } from './ResultsPanel'
import { useSqlEditorStore } from './sqlEditorStore'
import type { RunScope } from './statementAtCursor'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function SqlEditor() {
  const engine = useEngine()
  const running = useSqlEditorStore((s) => s.run.status === 'running')
  const insertRequest = useSqlEditorStore((s) => s.insertRequest)
  const pickTarget = useRef<() => { sql: string; scope: RunScope }>(() => ({ sql: useSqlEditorStore.getState().text, scope: 'all' }))

  const run = useCallback((sql: string, scope: RunScope) => void useSqlEditorStore.getState().execute(engine, sql, scope), [engine])
  const bindRunTarget = useCallback((pick: () => { sql: string; scope: RunScope }) => (pickTarget.current = pick), [])

  const editor = (
    <section className="editor" aria-label="SQL editor">
      <div className="toolbar" role="toolbar" aria-label="Query actions">
        <button
          type="button"
          className="button primary"
          onClick={() => {
            const target = pickTarget.current()
            run(target.sql, target.scope)
          }}
          disabled={running}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
          title="Run the statement at the cursor, or the selection"
        >
          <span aria-hidden="true">▶</span> Run
        </button>
        <button type="button" className="button" onClick={() => run(useSqlEditorStore.getState().text, 'all')} disabled={running} title="Run every statement in the editor">
          Run all
        </button>
        <button type="button" className="button" onClick={() => void useSqlEditorStore.getState().cancel(engine)} disabled={!running} title="Interrupt the running statement">
          Cancel
        </button>
        <span className="toolbar-hint">{isMac ? '⌘' : 'Ctrl'}+Enter runs the statement at the cursor or the selection</span>
      </div>
      <MonacoSqlEditor
        initialText={useSqlEditorStore.getState().text}
        onChange={(text) => useSqlEditorStore.getState().setText(text)}
        onRun={run}
        insertRequest={insertRequest}
        bindRunTarget={bindRunTarget}
      />
    </section>
  )

  return <SplitPane top={editor} bottom={<ResultsPanel />} label="Resize editor and results" />
}

/** Lets the shell drive the editor (e.g. from the explorer) without features importing each other. */
export const sqlEditorCommands = {
  insertText: (text: string) => useSqlEditorStore.getState().requestInsert(text),
  runSql: (engine: EngineApi, sql: string) => void useSqlEditorStore.getState().execute(engine, sql, 'all')
}
