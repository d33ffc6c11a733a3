// textareaSqlEditor: a <textarea> stand-in for MonacoSqlEditor (same props, same store wiring) for component tests, where Monaco cannot run.
import { useCallback, useEffect, useRef } from 'react'
import type { MonacoSqlEditorProps } from '../features/sqlEditor/MonacoSqlEditor'
import { activeTab, useSqlEditorStore } from '../features/sqlEditor/sqlEditorStore'
import { type RunTarget, locateInEditor, pickSqlToRun } from '../features/sqlEditor/statementAtCursor'

/**
 * Behaves like the Monaco editor as far as the rest of the SQL editor can tell: shows the active tab's text and writes
 * edits back to the store; Ctrl/Cmd+Enter runs what pickSqlToRun picks from the selection and caret (and so does the
 * toolbar's Run, through bindRunTarget); Ctrl/Cmd+S asks to save; explorer insertions land at the caret. The error
 * marker is exposed as `aria-invalid` plus `data-error-at="line:column"` in editor coordinates.
 *
 * Use it in a test file (paths relative to that file) with:
 *   vi.mock('./MonacoSqlEditor', () => import('../../testing/textareaSqlEditor'))
 *   vi.mock('./sqlCompletionProvider', () => ({ setCompletionCatalog: () => undefined }))
 */
export function MonacoSqlEditor({ onRun, bindRunTarget }: MonacoSqlEditorProps) {
  const area = useRef<HTMLTextAreaElement>(null)
  const text = useSqlEditorStore((s) => activeTab(s).text)
  const run = useSqlEditorStore((s) => activeTab(s).run)
  const insertRequest = useSqlEditorStore((s) => s.insertRequest)

  const pick = useCallback((): RunTarget => {
    const element = area.current
    if (!element) return { sql: '', scope: 'all', offset: 0 }
    return pickSqlToRun(element.value, { start: element.selectionStart, end: element.selectionEnd }, element.selectionEnd)
  }, [])
  useEffect(() => bindRunTarget(pick), [bindRunTarget, pick])

  useEffect(() => {
    const element = area.current
    if (!element || !insertRequest) return
    const { selectionStart, selectionEnd, value } = element
    useSqlEditorStore.getState().setText(value.slice(0, selectionStart) + insertRequest.text + value.slice(selectionEnd))
  }, [insertRequest])

  const marker = run.status === 'error' && run.offset !== null && typeof run.error.detail.line === 'number'
    ? locateInEditor(text, run.offset, { line: run.error.detail.line, column: typeof run.error.detail.column === 'number' ? run.error.detail.column : undefined })
    : null

  return (
    <textarea
      ref={area}
      className="monaco-host"
      aria-label="SQL editor"
      value={text}
      aria-invalid={marker !== null}
      data-error-at={marker ? `${marker.line}:${marker.column ?? ''}` : undefined}
      onChange={(event) => useSqlEditorStore.getState().setText(event.target.value)}
      onKeyDown={(event) => {
        if (!(event.ctrlKey || event.metaKey)) return
        if (event.key === 'Enter') {
          event.preventDefault()
          onRun(pick())
        } else if (event.key === 's') {
          event.preventDefault()
          useSqlEditorStore.getState().requestSave()
        }
      }}
    />
  )
}
