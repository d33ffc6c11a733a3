// MonacoSqlEditor: the SQL text editor (Monaco, `sql` language, one model per tab) with Ctrl/Cmd+Enter to run and error markers.
import { type DragEvent, useEffect, useRef } from 'react'
import { getTheme, subscribeTheme } from '../../platform/theme'
import { monaco } from './monacoSetup'
import { activeTab, useSqlEditorStore } from './sqlEditorStore'
import { type RunTarget, locateInEditor, pickSqlToRun } from './statementAtCursor'

export interface MonacoSqlEditorProps {
  onRun(target: RunTarget): void
  /** Receives a function returning what Run would execute now (for the toolbar's Run button). */
  bindRunTarget(pick: () => RunTarget): void
}

const markerOwner = 'lakebench'

export function MonacoSqlEditor({ onRun, bindRunTarget }: MonacoSqlEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const models = useRef(new Map<string, monaco.editor.ITextModel>())
  const activeId = useSqlEditorStore((s) => s.activeId)
  const tabIds = useSqlEditorStore((s) => s.tabs.map((t) => t.id).join(' '))
  const run = useSqlEditorStore((s) => activeTab(s).run)
  // Naming the tab's file (Save as) hands the keyboard back to the text.
  const activeFile = useSqlEditorStore((s) => activeTab(s).file)
  const insertRequest = useSqlEditorStore((s) => s.insertRequest)
  // Callbacks change every render; the editor is created once, so it reads them through refs.
  const onRunRef = useRef(onRun)
  onRunRef.current = onRun

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      model: null,
      theme: getTheme() === 'dark' ? 'vs-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineHeight: 20,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      tabSize: 2,
      wordWrap: 'on',
      padding: { top: 8 },
      ariaLabel: 'SQL editor',
      fixedOverflowWidgets: true,
      // Monaco's own drop handling appends a literal "$0" snippet tab stop to dropped text (microsoft/monaco-editor#4386);
      // table names dragged from the explorer are inserted by the host's drop handler below instead.
      dropIntoEditor: { enabled: false }
    })
    editorRef.current = editor
    const pick = (): RunTarget => {
      const model = editor.getModel()
      if (!model) return { sql: '', scope: 'all', offset: 0 }
      const selection = editor.getSelection()
      const offsetOf = (p: monaco.IPosition | null) => (p ? model.getOffsetAt(p) : 0)
      return pickSqlToRun(
        model.getValue(),
        { start: offsetOf(selection?.getStartPosition() ?? null), end: offsetOf(selection?.getEndPosition() ?? null) },
        offsetOf(editor.getPosition())
      )
    }
    bindRunTarget(pick)
    editor.addAction({
      id: 'lakebench.run',
      label: 'Run statement at cursor or selection',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => onRunRef.current(pick())
    })
    editor.addAction({
      id: 'lakebench.save',
      label: 'Save query to queries/',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => useSqlEditorStore.getState().requestSave()
    })
    const changes = editor.onDidChangeModelContent(() => useSqlEditorStore.getState().setText(editor.getValue()))
    const owned = models.current
    return () => {
      changes.dispose()
      editor.dispose()
      for (const model of owned.values()) model.dispose()
      owned.clear()
      editorRef.current = null
    }
    // The editor is created once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  // One model per tab keeps each tab's undo stack and cursor; closed tabs' models are disposed.
  useEffect(() => {
    const editor = editorRef.current
    if (!editor) return
    const { tabs } = useSqlEditorStore.getState()
    for (const [id, model] of models.current) {
      if (!tabs.some((t) => t.id === id)) {
        model.dispose()
        models.current.delete(id)
      }
    }
    const tab = activeTab(useSqlEditorStore.getState())
    let model = models.current.get(tab.id)
    if (!model) {
      model = monaco.editor.createModel(tab.text, 'sql')
      models.current.set(tab.id, model)
    }
    if (editor.getModel() !== model) editor.setModel(model)
    editor.focus()
  }, [activeId, tabIds, activeFile])

  // The error of the last run is marked where it happened; a new run clears it.
  useEffect(() => {
    const model = models.current.get(activeId)
    if (!model) return
    if (run.status !== 'error' || run.error.code === 'CANCELLED' || run.offset === null || typeof run.error.detail.line !== 'number') {
      monaco.editor.setModelMarkers(model, markerOwner, [])
      return
    }
    const column = typeof run.error.detail.column === 'number' ? run.error.detail.column : undefined
    const at = locateInEditor(model.getValue(), run.offset, { line: run.error.detail.line, column })
    const line = Math.min(Math.max(at.line, 1), model.getLineCount())
    const startColumn = at.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1
    const endColumn = markEnd(model, line, at.column, run.error.detail.table)
    monaco.editor.setModelMarkers(model, markerOwner, [
      { severity: monaco.MarkerSeverity.Error, message: run.error.message, startLineNumber: line, startColumn, endLineNumber: line, endColumn }
    ])
  }, [run, activeId])

  useEffect(() => {
    const editor = editorRef.current
    if (!editor || !insertRequest) return
    const selection = editor.getSelection()
    if (!selection) return
    editor.executeEdits('explorer', [{ range: selection, text: insertRequest.text, forceMoveMarkers: true }])
    editor.focus()
  }, [insertRequest])

  // Monaco's theme is global: follow the workbench's light/dark switch.
  useEffect(() => subscribeTheme((theme) => monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs')), [])

  /** A drag carrying text (a table name from the explorer) is dropped where the pointer is, as plain text. */
  const onDragOver = (event: DragEvent) => {
    if (event.dataTransfer.types.includes('text/plain')) {
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    }
  }
  const onDrop = (event: DragEvent) => {
    const editor = editorRef.current
    const text = event.dataTransfer.getData('text/plain')
    if (!editor || !text) return
    event.preventDefault()
    const position = editor.getTargetAtClientPoint(event.clientX, event.clientY)?.position ?? editor.getPosition()
    if (!position) return
    editor.executeEdits('drop', [{ range: monaco.Range.fromPositions(position), text, forceMoveMarkers: true }])
    editor.setPosition(editor.getModel()!.getPositionAt(editor.getModel()!.getOffsetAt(position) + text.length))
    editor.focus()
  }

  return <div ref={host} className="monaco-host" onDragOver={onDragOver} onDrop={onDrop} />
}

/** Where the marker ends: the named table when the error names one found there, else the word, else the line's end. */
function markEnd(model: monaco.editor.ITextModel, line: number, column: number | undefined, table: unknown): number {
  if (column === undefined) return model.getLineMaxColumn(line)
  const rest = model.getLineContent(line).slice(column - 1)
  if (typeof table === 'string' && rest.toLowerCase().startsWith(table.toLowerCase())) return column + table.length
  const word = model.getWordAtPosition({ lineNumber: line, column })
  return word ? word.endColumn : column + 1
}
