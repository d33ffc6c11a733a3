// ProfilePanel: the Profile tab: candidate keys, then one row per column with its distribution, nulls, distinct count, range, top values and outliers.
import { useEffect, useState } from 'react'
import type { ColumnProfile, TableProfile } from '../../../engine/api/tablesApi'
import { useEngine } from '../../platform/engineContext'
import { formatCount } from './formatFacts'
import { ErrorBox } from './LoadView'
import { ColumnDistribution } from './ProfileCharts'
import './profilePanel.css'
import { formatPercent, formatStat, statsLine } from './profileFormat'
import { useProfileStore } from './profileStore'
import { useTableHistoryStore } from './tableHistoryStore'

/** Top values shown in a row; all five are in the tooltip. */
const TOP_SHOWN = 3
/** Candidate keys shown before "show all". */
const KEYS_SHOWN = 6

/** The profile of the page's selected version; computed on first show, kept for going back. */
export function ProfilePanel() {
  const engine = useEngine()
  const table = useTableHistoryStore((s) => s.table)
  const selected = useTableHistoryStore((s) => s.selected)
  const version = useTableHistoryStore((s) => s.version)
  const { profile, load, cancel } = useProfileStore()

  useEffect(() => {
    if (table !== null && selected !== null) void useProfileStore.getState().load(engine, { table, version: selected })
  }, [engine, table, selected])

  // A write or another lakehouse may reuse table names and version numbers: forget kept profiles (the one on show stays).
  useEffect(
    () =>
      engine.onEvent((event) => {
        if (event.type === 'tables.changed' || event.type === 'lakehouse.opened') useProfileStore.setState({ cache: {} })
      }),
    [engine]
  )

  if (table === null || selected === null) return <p className="th-note">Pick a version to profile.</p>
  const shape = version.status === 'ready' && version.value.version === selected ? { rows: version.value.numRecords, columns: version.value.schema.length } : null
  const again = () => void load(engine, { table, version: selected }, { fresh: true })

  if (profile.status === 'idle' || profile.status === 'loading') return <ProfileProgress table={table} version={selected} shape={shape} startedAt={profile.status === 'loading' ? profile.startedAt : Date.now()} onCancel={() => cancel(engine)} />
  if (profile.status === 'cancelled') {
    return (
      <div className="th-status pf-stopped" role="status">
        Profiling version {profile.version} was cancelled.
        <button type="button" className="button" onClick={again}>
          Profile again
        </button>
      </div>
    )
  }
  if (profile.status === 'error') return <ErrorBox title={`Could not profile version ${profile.version}`} error={profile.error} />
  return <ProfileView profile={profile.value} onRefresh={again} />
}

/** What is being scanned, for how long so far, and a way to stop it. */
function ProfileProgress({ table, version, shape, startedAt, onCancel }: { table: string; version: number; shape: { rows: number | null; columns: number } | null; startedAt: number; onCancel(): void }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [])
  const seconds = Math.max(0, (now - startedAt) / 1000)
  return (
    <div className="th-status pf-progress" role="status" aria-label="Profile progress">
      <span className="spinner" aria-hidden="true" />
      <span>
        Profiling {table} at version {version}
        {shape && ` — ${shape.rows === null ? 'all' : formatCount(shape.rows)} rows × ${shape.columns} columns`}: counting values, distributions and keys…
      </span>
      <span className="pf-elapsed">{seconds.toFixed(1)} s</span>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}

function ProfileView({ profile, onRefresh }: { profile: TableProfile; onRefresh(): void }) {
  const approximate = profile.columns.some((c) => !c.distinctExact)
  return (
    <div className="th-scroll pf-view">
      <div className="pf-head">
        <dl className="th-facts pf-facts">
          <div>
            <dt>Rows</dt>
            <dd data-testid="profile-rows">{formatCount(profile.rows)}</dd>
          </div>
          <div>
            <dt>Columns</dt>
            <dd>{profile.columns.length}</dd>
          </div>
          <div>
            <dt>Distinct counts</dt>
            <dd title={approximate ? `Estimated with approx_count_distinct: the table has more than ${formatCount(profile.exactDistinctLimit)} rows` : `Counted exactly (tables up to ${formatCount(profile.exactDistinctLimit)} rows)`}>
              {approximate ? 'approximate' : 'exact'}
            </dd>
          </div>
          <div>
            <dt>Computed in</dt>
            <dd>{profile.elapsedMs < 1000 ? `${Math.round(profile.elapsedMs)} ms` : `${(profile.elapsedMs / 1000).toFixed(1)} s`}</dd>
          </div>
        </dl>
        <button type="button" className="icon-button pf-refresh" aria-label="Profile again" title="Compute the profile again" onClick={onRefresh}>
          ↻
        </button>
      </div>
      <CandidateKeys profile={profile} />
      <ColumnTable profile={profile} />
    </div>
  )
}

function CandidateKeys({ profile }: { profile: TableProfile }) {
  const [all, setAll] = useState(false)
  const keys = profile.candidateKeys
  const shown = all ? keys : keys.slice(0, KEYS_SHOWN)
  const { pairColumns, pairsChecked, exhaustive } = profile.keySearch
  const scope =
    pairColumns.length < 2
      ? 'No column pairs could be searched.'
      : `Pairs searched among ${pairColumns.length} columns${exhaustive ? '' : ' with the most distinct values'} (${pairsChecked} pair${pairsChecked === 1 ? '' : 's'} counted).`
  return (
    <section className="pf-keys" aria-label="Candidate keys">
      <h3 className="pf-heading">Candidate keys</h3>
      {keys.length === 0 ? (
        <p className="pf-note">{profile.rows === 0 ? 'The table has no rows at this version.' : 'No single column or pair of columns is unique and never null at this version.'}</p>
      ) : (
        <ul className="pf-key-list" aria-label="Keys">
          {shown.map((key) => (
            <li key={key.join(',')} className="pf-key" title={`(${key.join(', ')}) is unique and never null in all ${formatCount(profile.rows)} rows`}>
              {key.join(', ')}
            </li>
          ))}
          {keys.length > KEYS_SHOWN && (
            <li>
              <button type="button" className="pf-more" aria-expanded={all} onClick={() => setAll(!all)}>
                {all ? 'fewer' : `+${keys.length - KEYS_SHOWN} more`}
              </button>
            </li>
          )}
        </ul>
      )}
      <p className="pf-note">{keys.length === 0 ? scope : `Unique and never null at version ${profile.version}. ${scope}`}</p>
    </section>
  )
}

function ColumnTable({ profile }: { profile: TableProfile }) {
  return (
    <table className="th-table pf-table" aria-label={`Column profile at version ${profile.version}`}>
      {/* Fixed widths so the table fits beside the timeline; long values are cut with an ellipsis and shown whole on hover. */}
      <colgroup>
        <col className="pf-col-name" />
        <col className="pf-col-dist" />
        <col className="pf-col-nulls" />
        <col className="pf-col-distinct" />
        <col className="pf-col-range" />
        <col className="pf-col-tops" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Distribution</th>
          <th scope="col">Nulls</th>
          <th scope="col" className="pf-num">
            Distinct
          </th>
          <th scope="col">Range</th>
          <th scope="col">Top values</th>
        </tr>
      </thead>
      <tbody>
        {profile.columns.map((column) => (
          <ColumnRow key={column.name} column={column} rows={profile.rows} />
        ))}
      </tbody>
    </table>
  )
}

function ColumnRow({ column, rows }: { column: ColumnProfile; rows: number }) {
  const nested = column.kind === 'nested' || column.kind === 'other'
  const line = statsLine(column)
  return (
    <tr data-column={column.name}>
      <th scope="row" className="pf-name" title={`${column.name}: ${column.type}`}>
        <span className="pf-column">{column.name}</span>
        <span className="pf-type">{column.type}</span>
      </th>
      <td className="pf-dist">
        {nested ? <span className="pf-faint">counts only</span> : <ColumnDistribution column={column} />}
        <Outliers column={column} />
      </td>
      <td className="pf-nulls" data-testid={`nulls-${column.name}`}>
        <span className="pf-null-track" aria-hidden="true">
          <span className="pf-null-fill" style={{ width: `${Math.min(100, column.nullPercent)}%` }} />
        </span>
        <span className={column.nulls > 0 ? 'pf-null-count' : 'pf-faint'} title={`${formatCount(column.nulls)} of ${formatCount(rows)} rows are null`}>
          {formatCount(column.nulls)} · {formatPercent(column.nullPercent)}
        </span>
      </td>
      <td className="pf-num" data-testid={`distinct-${column.name}`} title={column.distinctExact ? 'Exact count' : 'Estimated (approx_count_distinct)'}>
        {column.distinct === null ? <span className="pf-faint">—</span> : `${column.distinctExact ? '' : '≈ '}${formatCount(column.distinct)}`}
        {column.distinct !== null && column.count > 0 && column.distinct === column.count && <span className="pf-unique">unique</span>}
      </td>
      <td className="pf-range">
        {column.min === null ? (
          <span className="pf-faint">—</span>
        ) : (
          <MinMax min={column.min} max={column.max ?? column.min} />
        )}
        {line && (
          <span className="pf-stats" title={column.quartiles ? `${line}\nquartiles ${column.quartiles.map(formatStat).join(' / ')}` : line}>
            {line}
          </span>
        )}
      </td>
      <td className="pf-tops">
        <TopValues column={column} />
      </td>
    </tr>
  )
}

/** Values this long together no longer fit on one line of the Range column: min and max are stacked. */
const ONE_LINE_RANGE = 20

/** "min → max" on one line, or stacked when long (timestamps, text); both whole on hover. */
function MinMax({ min, max }: { min: string; max: string }) {
  const arrow = (
    <span className="pf-arrow" aria-label="to">
      →
    </span>
  )
  const stacked = min.length + max.length > ONE_LINE_RANGE
  return (
    <span className={stacked ? 'pf-minmax pf-stacked' : 'pf-minmax'} title={`min ${min}\nmax ${max}`}>
      <span>{min}</span>
      {stacked ? (
        <span>
          {arrow} {max}
        </span>
      ) : (
        <>
          {arrow}
          <span>{max}</span>
        </>
      )}
    </span>
  )
}

/** "2 outliers" under the histogram (IQR rule), with the fences and the most extreme values on hover. */
function Outliers({ column }: { column: ColumnProfile }) {
  if (column.outliers === null) return null
  const { count, lowerFence, upperFence, examples } = column.outliers
  const title = `Outside ${formatStat(lowerFence)} … ${formatStat(upperFence)} (1.5 × IQR beyond the quartiles)${examples.length > 0 ? `\ne.g. ${examples.join(', ')}` : ''}`
  return (
    <span className={count > 0 ? 'pf-outliers' : 'pf-faint pf-no-outliers'} data-testid={`outliers-${column.name}`} title={title}>
      {count === 0 ? 'no outliers' : `${formatCount(count)} outlier${count === 1 ? '' : 's'}`}
    </span>
  )
}

function TopValues({ column }: { column: ColumnProfile }) {
  if (column.kind === 'nested' || column.kind === 'other') return <span className="pf-faint">—</span>
  if (column.topValues.length === 0) return <span className="pf-faint">{column.count === 0 ? 'no values' : 'all distinct'}</span>
  const all = column.topValues.map((t) => `${t.value}: ${formatCount(t.count)}`).join('\n')
  return (
    <ol className="pf-top-list" title={all} aria-label={`Top values of ${column.name}`}>
      {column.topValues.slice(0, TOP_SHOWN).map((t) => (
        <li key={t.value} className="pf-top">
          <span className="pf-top-value">{t.value === '' ? '(empty)' : t.value}</span>
          <span className="pf-top-count">{formatCount(t.count)}</span>
        </li>
      ))}
    </ol>
  )
}
