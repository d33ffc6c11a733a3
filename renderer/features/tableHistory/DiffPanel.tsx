// DiffPanel: compares two versions by key: counts, the schema diff, and the differing rows with changed cells marked.
import { tableFromIPC } from 'apache-arrow'
import { useMemo } from 'react'
import type { EngineApi } from '../../../engine/api/engineApi'
import { DataGrid } from '../../ui/DataGrid'
import { diffCells, diffColumnOrder } from '../../ui/dataGrid/diffCells'
import { formatCount } from './formatFacts'
import { LoadView } from './LoadView'
import type { ColumnDescription, HistoryEntry, VersionDiff } from './tableHistoryApi'
import { diffLimit, useTableHistoryStore } from './tableHistoryStore'

export function DiffPanel({ engine, entries, columns }: { engine: EngineApi; entries: HistoryEntry[]; columns: ColumnDescription[] }) {
  const request = useTableHistoryStore((s) => s.diffRequest)
  const diff = useTableHistoryStore((s) => s.diff)
  const { setDiffRequest, runDiff } = useTableHistoryStore.getState()
  if (!request) return null
  const versionOptions = entries.map((e) => (
    <option key={e.version} value={e.version}>
      v{e.version} · {e.operation}
    </option>
  ))
  return (
    <div className="th-diff">
      <form
        className="th-diff-form"
        aria-label="Compare versions"
        onSubmit={(event) => {
          event.preventDefault()
          void runDiff(engine)
        }}
      >
        <label>
          From
          <select aria-label="From version" value={request.from} onChange={(e) => setDiffRequest({ from: Number(e.target.value) })}>
            {versionOptions}
          </select>
        </label>
        <label>
          To
          <select aria-label="To version" value={request.to} onChange={(e) => setDiffRequest({ to: Number(e.target.value) })}>
            {versionOptions}
          </select>
        </label>
        <div className="key-picker" role="group" aria-label="Key columns">
          <span className="key-label">Key</span>
          {request.key.length === 0 && <span className="key-inferred">inferred</span>}
          {request.key.map((column) => (
            <span key={column} className="key-chip mono">
              {column}
              <button
                type="button"
                className="key-remove"
                aria-label={`Remove ${column} from the key`}
                onClick={() => setDiffRequest({ key: request.key.filter((k) => k !== column) })}
              >
                ×
              </button>
            </span>
          ))}
          <select
            aria-label="Add key column"
            value=""
            onChange={(e) => e.target.value !== '' && setDiffRequest({ key: [...request.key, e.target.value] })}
          >
            <option value="">{request.key.length === 0 ? 'Choose columns…' : 'Add column…'}</option>
            {columns
              .filter((c) => !request.key.includes(c.name))
              .map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.type})
                </option>
              ))}
          </select>
        </div>
        <button type="submit" className="button primary" disabled={diff.status === 'loading' || request.from === request.to}>
          Compare
        </button>
        {request.from === request.to && <span className="th-note inline">Pick two different versions.</span>}
      </form>
      <LoadView load={diff} what="the diff">
        {(value) => <DiffResult diff={value} />}
      </LoadView>
      {diff.status === 'idle' && <p className="th-note">Pick two versions and a key, then Compare. Rows match by key; a row whose other columns differ counts as changed.</p>}
    </div>
  )
}

function DiffResult({ diff }: { diff: VersionDiff }) {
  // The columns that changed come right after the key, so the highlighted cells are on screen without scrolling.
  const table = useMemo(() => {
    const decoded = tableFromIPC(diff.rows)
    return decoded.select(diffColumnOrder(decoded.schema.fields.map((f) => f.name), diff.key, diff.changedColumns))
  }, [diff])
  const cells = useMemo(() => diffCells(table), [table])
  const shown = table.numRows
  const total = diff.added + diff.removed + diff.changed
  const changedColumns = Object.entries(diff.changedColumns).filter(([, n]) => n > 0)
  return (
    <div className="th-diff-result">
      <div className="diff-summary" role="status" aria-label="Diff summary">
        <span className="diff-count added" data-testid="diff-added">
          <b>{formatCount(diff.added)}</b> added
        </span>
        <span className="diff-count removed" data-testid="diff-removed">
          <b>{formatCount(diff.removed)}</b> removed
        </span>
        <span className="diff-count changed" data-testid="diff-changed">
          <b>{formatCount(diff.changed)}</b> changed
        </span>
        <span className="diff-count" data-testid="diff-unchanged">
          <b>{formatCount(diff.unchanged)}</b> unchanged
        </span>
        <span className="diff-key">
          v{diff.from} → v{diff.to} by <span className="mono">{diff.key.join(', ')}</span>
          {diff.keyInferred ? ' (inferred)' : ''}
        </span>
      </div>
      {(diff.schemaChanges.length > 0 || changedColumns.length > 0) && (
        <div className="diff-facts">
          {diff.schemaChanges.length > 0 && (
            <p>
              Schema:{' '}
              {diff.schemaChanges.map((c) => (
                <span key={c.column} className={`change-tag change-${c.change}`}>
                  {c.column} {c.change === 'typeChanged' ? `${c.from} → ${c.to}` : c.change === 'nullabilityChanged' ? 'nullability' : c.change}
                </span>
              ))}
            </p>
          )}
          {changedColumns.length > 0 && (
            <p>
              Changed cells:{' '}
              {changedColumns.map(([column, n]) => (
                <span key={column} className="change-tag change-typeChanged">
                  {column} {formatCount(n)}
                </span>
              ))}
            </p>
          )}
        </div>
      )}
      {total === 0 ? (
        <p className="th-note">The two versions hold the same rows.</p>
      ) : (
        <>
          {shown < total && <p className="th-note">Showing the first {formatCount(shown)} of {formatCount(total)} differing rows (limit {diffLimit}).</p>}
          <DataGrid table={table} ariaLabel="Differing rows" cellClass={cells.cellClass} rowClass={cells.rowClass} />
        </>
      )}
    </div>
  )
}
