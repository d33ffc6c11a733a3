// SavedQueryControls: open a `.sql` file from the lakehouse's queries/ folder, and save the active tab to one.
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useEngine } from '../../platform/engineContext'
import type { SavedQuery } from '../../../engine/api/queriesApi'
import { presentError } from './errorSentence'
import { activeTab, useSqlEditorStore } from './sqlEditorStore'

export function SavedQueryControls() {
  const engine = useEngine()
  const [files, setFiles] = useState<SavedQuery[] | null>(null)
  const [naming, setNaming] = useState(false)
  const [name, setName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const fail = (error: unknown) => setProblem(presentError(error as Parameters<typeof presentError>[0]).sentence)

  // The list is read when the picker gets focus, so files added outside the app show up.
  const refresh = () => engine.queries.list().then(setFiles, fail)
  const open = async (file: string) => {
    if (!file) return
    try {
      const { text } = await engine.queries.read({ name: file })
      useSqlEditorStore.getState().openFile(file, text)
      setProblem(null)
    } catch (error) {
      fail(error)
    }
  }
  const save = async (file: string) => {
    const text = activeTab(useSqlEditorStore.getState()).text
    try {
      await engine.queries.save({ name: file, text })
      useSqlEditorStore.getState().markSaved(file, text)
      setNaming(false)
      setProblem(null)
    } catch (error) {
      fail(error)
    }
  }
  const onSave = () => {
    const file = activeTab(useSqlEditorStore.getState()).file
    if (file) void save(file)
    else setNaming(true)
  }
  const onSaveRef = useRef(onSave)
  onSaveRef.current = onSave
  const saveRequest = useSqlEditorStore((s) => s.saveRequest)
  useEffect(() => {
    if (saveRequest > 0) onSaveRef.current()
  }, [saveRequest])
  const submitName = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed) void save(trimmed.endsWith('.sql') ? trimmed : `${trimmed}.sql`)
  }

  return (
    <>
      <select
        className="select"
        aria-label="Open saved query"
        value=""
        onFocus={() => void refresh()}
        onMouseDown={() => void refresh()}
        onChange={(event) => void open(event.target.value)}
      >
        <option value="">Open query…</option>
        {files?.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
      {naming ? (
        <form className="save-form" onSubmit={submitName}>
          <input
            className="input"
            aria-label="Query file name"
            placeholder="name.sql"
            value={name}
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setNaming(false)}
            autoFocus
          />
          <button type="submit" className="button">
            Save
          </button>
        </form>
      ) : (
        <button type="button" className="button" onClick={onSave} title="Save to the lakehouse's queries/ folder (Ctrl/Cmd+S)" aria-keyshortcuts="Control+S Meta+S">
          Save
        </button>
      )}
      {problem && (
        <span className="toolbar-problem" role="alert">
          {problem}
        </span>
      )}
    </>
  )
}
