// QuarantineBrowser: pick a quarantine table, filter its rows by expectation, page through them and open one in a drawer.
import { type Table, tableFromIPC } from 'apache-arrow'
import { useMemo } from 'react'
import type { QuarantineTableInfo } from '../../../engine/api/qualityApi'
import { useEngine } from '../../platform/engineContext'
import { DataGrid } from '../../ui/DataGrid'
import { formatCount, formatTime } from './formatQuality'
import { QualityErrorView } from './QualityErrorView'
import { QuarantineRowDrawer } from './QuarantineRowDrawer'
import { quarantinePageSize, useQualityStore } from './qualityStore'

export interface QuarantineBrowserProps {
  tables: QuarantineTableInfo[]
  onOpenTable(table: string): void
}

export function QuarantineBrowser({ tables, onOpenTable }: QuarantineBrowserProps) {
  const engine = useEngine()
  const { table, expectation, rows, activeRow, openTable, filterExpectation, showPage, openRow } = useQualityStore()
  const info = tables.find((t) => t.table === table)
  const decoded: Table | null = useMemo(() => (rows.status === 'ready' ? tableFromIPC(rows.value.rows) : null), [rows])

  if (tables.length === 0) {
    return (
      <div className="results-empty">
        <p className="results-empty-title">No quarantine tables yet</p>
        <p>
          Rows that fail an expectation declared with <code>ON VIOLATION DROP ROW</code> land in a table named <code>&lt;table&gt;_quarantine</code> beside the
          table they were dropped from. Run a pipeline with such expectations and they appear here.
        </p>
      </div>
    )
  }

  return (
    <div className={`qb${activeRow !== null && decoded ? ' with-drawer' : ''}`}>
      <nav className="qb-tables" aria-label="Quarantine tables">
        <h3 className="qb-tables-title" title="Each quarantine table holds the rows its table's DROP ROW expectations removed">
          Rows dropped from
        </h3>
        <ul>
          {tables.map((t) => (
            <li key={t.table}>
              <button
                type="button"
                className="qb-table"
                aria-current={t.table === table ? 'true' : undefined}
                aria-label={`${t.table}: ${formatCount(t.rowCount)} rows`}
                onClick={() => void openTable(engine, t.table)}
              >
                <span className="qb-table-head">
                  <span className="qb-table-name" title={t.table}>
                    {t.guards}
                  </span>
                  <span className="qb-table-count" data-testid="quarantine-count">
                    {formatCount(t.rowCount)}
                  </span>
                </span>
                {t.expectations.map((e) => (
                  <span key={e.name} className="qb-table-rule">
                    <span>{e.name}</span>
                    <span>{formatCount(e.failedRows)}</span>
                  </span>
                ))}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="qb-main" aria-label="Quarantined rows">
        <div className="toolbar qb-toolbar">
          <h3 className="qb-title">{table ?? 'Pick a table'}</h3>
          {info && (
            <>
              <span className="qb-guards">
                from{' '}
                <button type="button" className="link-button" onClick={() => onOpenTable(info.guards)} aria-label={`Open ${info.guards}`}>
                  {info.guards}
                </button>
              </span>
              <label className="qb-filter">
                <span>Expectation</span>
                <select
                  aria-label="Filter by expectation"
                  value={expectation ?? ''}
                  onChange={(event) => void filterExpectation(engine, event.target.value === '' ? null : event.target.value)}
                >
                  <option value="">All ({formatCount(info.rowCount)})</option>
                  {info.expectations.map((e) => (
                    <option key={e.name} value={e.name}>
                      {e.name} ({formatCount(e.failedRows)})
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button" onClick={() => onOpenTable(info.table)}>
                Open table
              </button>
            </>
          )}
        </div>
        {rows.status === 'loading' && <p className="q-status" role="status">Loading quarantined rows…</p>}
        {rows.status === 'error' && <QualityErrorView error={rows.error} />}
        {rows.status === 'ready' && decoded && (
          <>
            <PageBar drawerOpen={activeRow !== null} offset={rows.value.offset} rowCount={rows.value.rowCount} total={rows.value.totalCount} lastQuarantinedAt={info?.lastQuarantinedAt ?? null} onPage={(offset) => void showPage(engine, offset)} />
            {rows.value.rowCount === 0 ? (
              <p className="q-note">No quarantined rows match.</p>
            ) : (
              <div className="qb-grid" onKeyDown={(event) => event.key === 'Enter' && activeRow === null && openRow(0)}>
                <DataGrid table={decoded} ariaLabel="Quarantined rows" onRowActivate={openRow} activeRow={activeRow ?? undefined} />
              </div>
            )}
          </>
        )}
      </section>
      {activeRow !== null && decoded && rows.status === 'ready' && (
        <QuarantineRowDrawer
          table={decoded}
          index={activeRow}
          position={rows.value.offset + activeRow + 1}
          total={rows.value.totalCount}
          expectations={info?.expectations ?? []}
          onMove={openRow}
          onClose={() => openRow(null)}
        />
      )}
    </div>
  )
}

interface PageBarProps {
  drawerOpen: boolean
  offset: number
  rowCount: number
  total: number
  lastQuarantinedAt: number | null
  onPage(offset: number): void
}

function PageBar({ drawerOpen, offset, rowCount, total, lastQuarantinedAt, onPage }: PageBarProps) {
  const paged = total > quarantinePageSize
  return (
    <div className="qb-pagebar">
      <span role="status" aria-label="Quarantine summary">
        {rowCount === total ? `${formatCount(total)} rows` : `Rows ${formatCount(offset + 1)}–${formatCount(offset + rowCount)} of ${formatCount(total)}`}
        {lastQuarantinedAt !== null && <span className="muted"> · newest first · last {formatTime(lastQuarantinedAt)} UTC</span>}
      </span>
      {!drawerOpen && <span className="qb-hint muted">Click a row for its details</span>}
      {paged && (
        <span className="qb-pager">
          <button type="button" className="button" disabled={offset === 0} onClick={() => onPage(offset - quarantinePageSize)}>
            Previous
          </button>
          <button type="button" className="button" disabled={offset + rowCount >= total} onClick={() => onPage(offset + quarantinePageSize)}>
            Next
          </button>
        </span>
      )}
    </div>
  )
}
