// MonacoSqlEditor: the SQL text editor (Monaco, `sql` language) with Ctrl/Cmd+Enter to run.
import { useEffect, useRef } from 'react'
import { monaco } from './monacoSetup'
import { type RunScope, pickSqlToRun } from './statementAtCursor'

export interface MonacoSqlEditorProps {
  initialText: string
  onChange(text: string): void
  onRun(sql: string, scope: RunScope): void
  /** Text to insert at the cursor whenever `seq` changes. */
  insertRequest: { text: string; seq: number } | null
  /** Receives a function returning what Run would execute now (for the toolbar's Run button). */
  bindRunTarget(pick: () => { sql: string; scope: RunScope }): void
}

export function MonacoSqlEditor({ initialText, onChange, onRun, insertRequest, bindRunTarget }: MonacoSqlEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  // Callbacks change every render; the editor is created once, so it reads them through refs.
  const onRunRef = useRef(onRun)
  const onChangeRef = useRef(onChange)
  onRunRef.current = onRun
  onChangeRef.current = onChange

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value: initialText,
      language: 'sql',
      theme: 'vs',
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
      fixedOverflowWidgets: true
    })
    editorRef.current = editor
    const pick = () => {
      const model = editor.getModel()!
      const selection = editor.getSelection()
      const cursor = editor.getPosition()
      const offsetOf = (p: monaco.IPosition | null) => (p ? model.getOffsetAt(p) : 0)
      return pickSqlToRun(
        model.getValue(),
        { start: offsetOf(selection?.getStartPosition() ?? null), end: offsetOf(selection?.getEndPosition() ?? null) },
        offsetOf(cursor)
      )
    }
    bindRunTarget(pick)
    editor.addAction({
      id: 'lakebench.run',
      label: 'Run statement at cursor or selection',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => {
        const target = pick()
        onRunRef.current(target.sql, target.scope)
      }
    })
    const changes = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()))
    editor.focus()
    return () => {
      changes.dispose()
      editor.dispose()
      editorRef.current = null
    }
    // The editor is created once per mount; initialText only seeds it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    const editor = editorRef.current
    if (!editor || !insertRequest) return
    const selection = editor.getSelection()
    if (!selection) return
    editor.executeEdits('explorer', [{ range: selection, text: insertRequest.text, forceMoveMarkers: true }])
    editor.focus()
  }, [insertRequest])

  return <div ref={host} className="monaco-host" />
}
