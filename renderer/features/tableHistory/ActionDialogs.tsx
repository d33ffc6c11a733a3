// ActionDialogs: the confirmations for RESTORE (what it changes), OPTIMIZE, and VACUUM (the dry run's files), and their outcomes.
import type { EngineApi } from '../../../engine/api/engineApi'
import { Dialog } from '../../ui/Dialog'
import { formatBytes, formatCount } from './formatFacts'
import { ErrorBox } from './LoadView'
import { useTableHistoryStore } from './tableHistoryStore'

export function ActionDialogs({ engine }: { engine: EngineApi }) {
  return (
    <>
      <RestoreDialog engine={engine} />
      <OptimizeDialog engine={engine} />
      <VacuumDialog engine={engine} />
    </>
  )
}

function Busy({ label }: { label: string }) {
  return (
    <p className="th-status" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  )
}

function RestoreDialog({ engine }: { engine: EngineApi }) {
  const flow = useTableHistoryStore((s) => s.restore)
  const table = useTableHistoryStore((s) => s.table)
  const { confirmRestore, dismiss } = useTableHistoryStore.getState()
  if (flow.status === 'idle' || flow.status === 'done') return null
  const close = () => flow.status !== 'running' && dismiss('restore')
  const plan = flow.status === 'confirm' || flow.status === 'running' ? flow.plan : null
  return (
    <Dialog
      title={`Restore ${table} to version ${flow.target}?`}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={flow.status === 'running'}>
            {flow.status === 'error' ? 'Close' : 'Cancel'}
          </button>
          {flow.status !== 'error' && (
            <button type="button" className="button primary danger" disabled={!plan || flow.status === 'running'} onClick={() => void confirmRestore(engine)}>
              Restore
            </button>
          )}
        </>
      }
    >
      {flow.status === 'planning' && <Busy label="Working out what the restore changes…" />}
      {flow.status === 'error' && <ErrorBox title="Restore failed" error={flow.error} />}
      {plan && (
        <>
          <p>
            RESTORE writes a new version {plan.currentVersion + 1} whose data equals version {plan.toVersion}. Nothing is deleted: versions up to{' '}
            {plan.currentVersion} stay readable.
          </p>
          <dl className="th-facts plan" aria-label="Restore plan">
            <div>
              <dt>Rows now</dt>
              <dd>{formatCount(plan.rowsNow)}</dd>
            </div>
            <div>
              <dt>Rows after</dt>
              <dd>{formatCount(plan.rowsAfter)}</dd>
            </div>
            <div>
              <dt>Files removed</dt>
              <dd>{formatCount(plan.filesToRemove)}</dd>
            </div>
            <div>
              <dt>Files re-added</dt>
              <dd>{formatCount(plan.filesToAdd)}</dd>
            </div>
          </dl>
          {flow.status === 'running' && <Busy label="Restoring…" />}
        </>
      )}
    </Dialog>
  )
}

function OptimizeDialog({ engine }: { engine: EngineApi }) {
  const flow = useTableHistoryStore((s) => s.optimize)
  const table = useTableHistoryStore((s) => s.table)
  const { confirmOptimize, dismiss } = useTableHistoryStore.getState()
  if (flow.status === 'idle') return null
  const close = () => flow.status !== 'running' && dismiss('optimize')
  return (
    <Dialog
      title={`Optimize ${table}?`}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={flow.status === 'running'}>
            {flow.status === 'confirm' || flow.status === 'running' ? 'Cancel' : 'Close'}
          </button>
          {(flow.status === 'confirm' || flow.status === 'running') && (
            <button type="button" className="button primary" disabled={flow.status === 'running'} onClick={() => void confirmOptimize(engine)}>
              Optimize
            </button>
          )}
        </>
      }
    >
      {flow.status === 'confirm' && <p>OPTIMIZE rewrites small files into larger ones in a new version. The rows do not change.</p>}
      {flow.status === 'running' && <Busy label="Compacting files…" />}
      {flow.status === 'error' && <ErrorBox title="Optimize failed" error={flow.error} />}
      {flow.status === 'done' && (
        <p role="status">
          {flow.result.version === null
            ? 'Nothing to compact: the table is already in few files.'
            : `Version ${flow.result.version}: ${flow.result.filesRemoved} files (${formatBytes(flow.result.bytesBefore)}) rewritten as ${flow.result.filesAdded} (${formatBytes(flow.result.bytesAfter)}).`}
        </p>
      )}
    </Dialog>
  )
}

function VacuumDialog({ engine }: { engine: EngineApi }) {
  const flow = useTableHistoryStore((s) => s.vacuum)
  const table = useTableHistoryStore((s) => s.table)
  const { confirmVacuum, dismiss } = useTableHistoryStore.getState()
  if (flow.status === 'idle') return null
  const close = () => flow.status !== 'running' && dismiss('vacuum')
  const plan = flow.status === 'confirm' || flow.status === 'running' ? flow.plan : null
  return (
    <Dialog
      title={`Vacuum ${table}?`}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={flow.status === 'running'}>
            {plan ? 'Cancel' : 'Close'}
          </button>
          {plan && (
            <button type="button" className="button primary danger" disabled={flow.status === 'running' || plan.files.length === 0} onClick={() => void confirmVacuum(engine)}>
              Delete {formatCount(plan.files.length)} files
            </button>
          )}
        </>
      }
    >
      {flow.status === 'planning' && <Busy label="Dry run: listing files no version needs…" />}
      {flow.status === 'error' && <ErrorBox title="Vacuum failed" error={flow.error} />}
      {plan && (
        <>
          {plan.files.length === 0 ? (
            <p>Dry run: no data file is both unreferenced and older than {plan.retentionHours} hours, so there is nothing to delete.</p>
          ) : (
            <p>
              Dry run: {formatCount(plan.files.length)} files ({formatBytes(plan.bytes)}) older than {plan.retentionHours} hours are not needed by any
              version kept. Deleting them makes time travel to the versions that used them impossible.
            </p>
          )}
          {plan.files.length > 0 && (
            <ul className="file-list" aria-label="Files to delete">
              {plan.files.slice(0, 200).map((file) => (
                <li key={file} className="mono">
                  {file}
                </li>
              ))}
            </ul>
          )}
          {flow.status === 'running' && <Busy label="Deleting files…" />}
        </>
      )}
      {flow.status === 'done' && (
        <p role="status">
          Deleted {formatCount(flow.result.files.length)} files ({formatBytes(flow.result.bytes)}).
        </p>
      )}
    </Dialog>
  )
}
