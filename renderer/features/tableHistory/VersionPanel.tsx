// VersionPanel: one version's schema (changes highlighted), data preview, files with stats, and the commit's raw actions.
import { tableFromIPC } from 'apache-arrow'
import { useMemo } from 'react'
import { DataGrid } from '../../ui/DataGrid'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { formatBytes, formatCount, formatStatValue, prettyJson } from './formatFacts'
import { LoadView } from './LoadView'
import type { DataFileInfo, SchemaChange, VersionInfo } from './tableHistoryApi'
import { type PreviewRows, type VersionTab, useTableHistoryStore } from './tableHistoryStore'

const prefix = 'version'

export function VersionPanel() {
  const version = useTableHistoryStore((s) => s.version)
  const preview = useTableHistoryStore((s) => s.preview)
  const tab = useTableHistoryStore((s) => s.versionTab)
  const setTab = useTableHistoryStore((s) => s.setVersionTab)
  const info = version.status === 'ready' ? version.value : null
  return (
    <div className="th-version">
      {info && <VersionFacts info={info} />}
      <Tabs<VersionTab>
        label="Version details"
        idPrefix={prefix}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'schema', label: 'Schema', badge: info ? info.schema.length : undefined },
          { id: 'preview', label: 'Preview', badge: preview.status === 'ready' ? formatCount(preview.value.rowCount) : undefined },
          { id: 'files', label: 'Files', badge: info ? info.numFiles : undefined },
          { id: 'actions', label: 'Actions', badge: info ? info.actions.length : undefined }
        ]}
      />
      <div className="th-tabpanel" role="tabpanel" id={tabPanelId(prefix, tab)} aria-labelledby={tabId(prefix, tab)}>
        {tab === 'preview' ? (
          <LoadView load={preview} what="the data preview">
            {(rows) => <PreviewGrid rows={rows} />}
          </LoadView>
        ) : (
          <LoadView load={version} what="the version">
            {(value) => (tab === 'schema' ? <SchemaTable info={value} /> : tab === 'files' ? <FilesTable info={value} /> : <ActionsList info={value} />)}
          </LoadView>
        )}
      </div>
    </div>
  )
}

function VersionFacts({ info }: { info: VersionInfo }) {
  return (
    <dl className="th-facts" aria-label={`Version ${info.version} facts`}>
      <div>
        <dt>Rows</dt>
        <dd data-testid="version-rows">{formatCount(info.numRecords)}</dd>
      </div>
      <div>
        <dt>Files</dt>
        <dd>{formatCount(info.numFiles)}</dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>{formatBytes(info.sizeBytes)}</dd>
      </div>
      <div>
        <dt>Partitioned by</dt>
        <dd>{info.partitionColumns.length > 0 ? info.partitionColumns.join(', ') : 'none'}</dd>
      </div>
      <div>
        <dt>Rows added / removed</dt>
        <dd>
          {formatCount(info.rowsAdded)} / {formatCount(info.rowsRemoved)}
        </dd>
      </div>
    </dl>
  )
}

function changeLabel(change: SchemaChange): string {
  if (change.change === 'added') return 'added'
  if (change.change === 'removed') return 'removed'
  if (change.change === 'typeChanged') return `type was ${change.from ?? '?'}`
  return `nullable was ${change.from ?? '?'}`
}

/** Columns at this version; a column changed since the previous version carries a badge, removed ones are listed struck. */
export function SchemaTable({ info }: { info: VersionInfo }) {
  const changes = new Map(info.schemaChanges.map((c) => [c.column, c]))
  const removed = info.schemaChanges.filter((c) => c.change === 'removed')
  return (
    <>
      <p className="th-note">
        {info.version === 0 || info.schemaChanges.length === 0
          ? info.version === 0
            ? 'The first version defines the schema.'
            : `Unchanged since version ${info.version - 1}.`
          : `${info.schemaChanges.length} change${info.schemaChanges.length === 1 ? '' : 's'} since version ${info.version - 1}, highlighted.`}
      </p>
      <table className="th-table" aria-label={`Schema at version ${info.version}`}>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Nullable</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {info.schema.map((column) => {
            const change = changes.get(column.name)
            return (
              <tr key={column.name} className={change ? `schema-${change.change}` : undefined}>
                <td className="mono">{column.name}</td>
                <td className="mono muted">{column.type}</td>
                <td>{column.nullable ? 'yes' : 'no'}</td>
                <td>{change && <span className={`change-tag change-${change.change}`}>{changeLabel(change)}</span>}</td>
              </tr>
            )
          })}
          {removed.map((change) => (
            <tr key={`removed-${change.column}`} className="schema-removed">
              <td className="mono">
                <s>{change.column}</s>
              </td>
              <td className="mono muted">{change.from ?? ''}</td>
              <td />
              <td>
                <span className="change-tag change-removed">removed</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function PreviewGrid({ rows }: { rows: PreviewRows }) {
  const table = useMemo(() => tableFromIPC(rows.rows), [rows])
  return (
    <div className="th-grid-wrap">
      <div className="results-status" role="status" aria-label="Preview summary">
        <span className="result-rows">{formatCount(rows.rowCount)} rows</span>
        <span className="result-sep">·</span>
        <span className="result-note">
          at version {rows.version}
          {rows.rowCount > table.numRows ? `, first ${formatCount(table.numRows)} shown` : ''}
        </span>
      </div>
      <DataGrid table={table} ariaLabel={`Rows at version ${rows.version}`} />
    </div>
  )
}

/** One line per column with statistics: `column  min … max (n null)`. */
function statsLines(file: DataFileInfo): { column: string; range: string }[] {
  return Object.keys(file.minValues).map((column) => ({
    column,
    range: `${formatStatValue(file.minValues[column])} … ${formatStatValue(file.maxValues[column])}${file.nullCount[column] ? ` (${file.nullCount[column]} null)` : ''}`
  }))
}

function FilesTable({ info }: { info: VersionInfo }) {
  if (info.files.length === 0) return <p className="th-note">No data files are live at version {info.version}.</p>
  return (
    <div className="th-scroll">
      {info.filesTruncated && <p className="th-note">Showing the first {formatCount(info.files.length)} of {formatCount(info.numFiles)} files.</p>}
      <table className="th-table files" aria-label={`Files at version ${info.version}`}>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Partition</th>
            <th scope="col">Min … max</th>
          </tr>
        </thead>
        <tbody>
          {info.files.map((file) => {
            const partition = Object.entries(file.partitionValues)
              .map(([k, v]) => `${k}=${v ?? 'NULL'}`)
              .join(', ')
            const stats = statsLines(file)
            return (
              <tr key={file.path}>
                <td className="mono ellipsis" title={file.path}>
                  {file.path}
                </td>
                <td className="num">{formatBytes(file.sizeBytes)}</td>
                <td className="num">
                  {formatCount(file.rows)}
                  {file.deletionVectorRows ? <span className="muted"> (−{file.deletionVectorRows} deleted)</span> : null}
                </td>
                <td className="mono">{partition || '—'}</td>
                <td className="mono stats">
                  {stats.length === 0
                    ? '—'
                    : stats.map((line) => (
                        <div key={line.column} className="stat-line">
                          <span className="stat-column">{line.column}</span>
                          <span>{line.range}</span>
                        </div>
                      ))}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function ActionsList({ info }: { info: VersionInfo }) {
  return (
    <div className="th-scroll">
      <ol className="actions-list" aria-label={`Actions of commit ${info.version}`}>
        {info.actions.map((action, index) => (
          <li key={index}>
            <span className={`action-kind kind-${action.kind}`}>{action.kind}</span>
            <pre className="action-json">{prettyJson(action.json)}</pre>
          </li>
        ))}
      </ol>
    </div>
  )
}
