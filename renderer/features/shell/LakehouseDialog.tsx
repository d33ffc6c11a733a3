// LakehouseDialog: "Open lakehouse" (a folder path) and "New lakehouse" (folder, name, empty or a sample, with progress).
import { type FormEvent, useState } from 'react'
import type { LakehouseSampleName } from '../../../engine/api/lakehouseApi'
import { useEngine } from '../../platform/engineContext'
import { nativeFolderPicker } from '../../platform/folderPicker'
import { Dialog } from '../../ui/Dialog'
import { type LakehouseDialogKind, useLakehouseStore } from './lakehouseStore'

const contentsChoices: { value: '' | LakehouseSampleName; label: string; hint: string }[] = [
  { value: '', label: 'Empty', hint: 'bronze, silver, gold and system schemas, no tables' },
  { value: 'sbit', label: 'sbit sample', hint: 'gym members and workouts: landing data and a medallion pipeline, run twice' },
  { value: 'retail', label: 'retail sample', hint: 'orders and customers with CDC and reconciliation, run twice' }
]

export function LakehouseDialog({ kind, initialDir }: { kind: LakehouseDialogKind; initialDir: string }) {
  const engine = useEngine()
  const { error, working } = useLakehouseStore()
  const [dir, setDir] = useState(initialDir)
  const [name, setName] = useState('')
  const [sample, setSample] = useState<'' | LakehouseSampleName>('')
  const pick = nativeFolderPicker()
  const busy = working !== null
  const formId = `lakehouse-${kind}-form`

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const store = useLakehouseStore.getState()
    if (kind === 'open') void store.openLakehouse(engine, dir)
    else void store.createLakehouse(engine, { dir, name, ...(sample ? { sample } : {}) })
  }

  const step = working?.step
  return (
    <Dialog
      title={kind === 'open' ? 'Open a lakehouse' : 'New lakehouse'}
      onClose={() => useLakehouseStore.getState().closeDialog()}
      actions={
        <>
          <button type="button" className="button" disabled={busy} onClick={() => useLakehouseStore.getState().closeDialog()}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" disabled={busy}>
            {kind === 'open' ? 'Open' : 'Create'}
          </button>
        </>
      }
    >
      <form id={formId} className="lakehouse-form" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor="lakehouse-folder">
            {kind === 'open' ? 'Lakehouse folder' : 'Folder for the new lakehouse'}
          </label>
          <span className="field-row">
            <input
              id="lakehouse-folder"
              className="text-input mono"
              value={dir}
              onChange={(event) => setDir(event.target.value)}
              placeholder={kind === 'open' ? '/home/you/lakehouses/sales' : '/home/you/lakehouses/new-lake'}
              spellCheck={false}
              autoFocus
              disabled={busy}
              aria-invalid={error !== null}
              aria-describedby={error ? 'lakehouse-error' : 'lakehouse-folder-hint'}
            />
            {pick && (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() =>
                  void pick(kind).then((picked) => {
                    if (picked) setDir(picked)
                  })
                }
              >
                Browse…
              </button>
            )}
          </span>
          <span id="lakehouse-folder-hint" className="field-hint">
            {kind === 'open' ? 'The folder that holds lakebench.json.' : 'A new or empty folder; it is created if missing.'} Give its full path on the machine running the engine.
          </span>
        </div>
        {kind === 'create' && (
          <>
            <div className="field">
              <label className="field-label" htmlFor="lakehouse-name">
                Name (optional)
              </label>
              <input id="lakehouse-name" className="text-input" value={name} onChange={(event) => setName(event.target.value)} placeholder="the folder’s name" disabled={busy || sample !== ''} />
            </div>
            <fieldset className="field choices" disabled={busy}>
              <legend className="field-label">Contents</legend>
              {contentsChoices.map((choice) => (
                <label key={choice.value} className="choice">
                  <input type="radio" name="contents" value={choice.value} checked={sample === choice.value} onChange={() => setSample(choice.value)} />
                  <span>
                    <span className="choice-label">{choice.label}</span>
                    <span className="field-hint">{choice.hint}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          </>
        )}
      </form>
      {working && (
        <div className="lakehouse-progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          <span>{step ? `${step.label}… (step ${step.index + 1} of ${step.count})` : kind === 'open' ? 'Opening…' : 'Creating…'}</span>
          {step && <progress className="progress" max={step.count} value={step.index} aria-label="Sample progress" />}
        </div>
      )}
      {error && (
        <div id="lakehouse-error" className="lakehouse-error" role="alert">
          <p className="error-sentence">{error.sentence}</p>
          <details>
            <summary>Details</summary>
            <code>{error.detail}</code>
          </details>
        </div>
      )}
    </Dialog>
  )
}
