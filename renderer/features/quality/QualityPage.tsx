// QualityPage: the data-quality workspace: quarantine browser, expectation pass rates, reconciliation results, watermarks.
import { type ReactNode, useEffect } from 'react'
import { useEngine } from '../../platform/engineContext'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { formatCount } from './formatQuality'
import { PassRateBars } from './PassRateBars'
import { QualityErrorView } from './QualityErrorView'
import { QuarantineBrowser } from './QuarantineBrowser'
import { ReconciliationTable } from './ReconciliationTable'
import { WatermarkTable } from './WatermarkTable'
import { type Load, type QualitySection, useQualityStore } from './qualityStore'
import './quality.css'

export interface QualityPageProps {
  /** Opens the quarantine browser on this table (`schema.table_quarantine`) whenever it changes. */
  focusTable?: string
  /** Opens a table's own page (the table a quarantine guards, or the quarantine table itself). */
  onOpenTable(table: string): void
}

const idPrefix = 'quality'

// The page unmounts when another workspace tab shows; remembering the focus it already followed keeps the table the
// user picked since then when the page comes back with the same focusTable.
let followedFocus: string | undefined
/** `focusTable` when the page has not followed it yet, else undefined. */
function takeFocus(focusTable: string | undefined): string | undefined {
  if (focusTable === followedFocus) return undefined
  followedFocus = focusTable
  return focusTable
}

/** Loads on mount and again after every pipeline run or lakehouse switch, keeping the browsed table and filter. */
export function QualityPage({ focusTable, onOpenTable }: QualityPageProps) {
  const engine = useEngine()
  const { section, overview, reconciliation, watermarks, setSection, load, openTable } = useQualityStore()
  useEffect(() => {
    void load(engine, takeFocus(focusTable))
    return engine.onEvent((event) => {
      if (event.type === 'pipeline.finished' || event.type === 'lakehouse.opened') void load(engine)
    })
    // A later focusTable is handled by the effect below; this one follows the engine only.
  }, [engine, load])

  useEffect(() => {
    const table = takeFocus(focusTable)
    if (table) void openTable(engine, table)
  }, [engine, focusTable, openTable])

  const tables = overview.status === 'ready' ? overview.value.quarantineTables : []
  const rates = overview.status === 'ready' ? overview.value.expectations : []
  const quarantined = tables.reduce((n, t) => n + t.rowCount, 0)
  const failingRules = rates.filter((r) => r.failed > 0).length
  const notPassing = reconciliation.status === 'ready' ? reconciliation.value.filter((e) => e.status !== 'PASS').length : 0
  const tabs: { id: QualitySection; label: string; badge?: string | number }[] = [
    { id: 'quarantine', label: 'Quarantine', badge: overview.status === 'ready' ? formatCount(quarantined) : undefined },
    { id: 'expectations', label: 'Expectations', badge: overview.status === 'ready' ? rates.length : undefined },
    { id: 'reconciliation', label: 'Reconciliation', badge: reconciliation.status === 'ready' ? reconciliation.value.length : undefined },
    { id: 'watermarks', label: 'Watermarks', badge: watermarks.status === 'ready' ? watermarks.value.length : undefined }
  ]

  return (
    <div className="quality-page" aria-label="Data quality" role="region">
      <div className="toolbar q-toolbar">
        <h2 className="q-title">Data quality</h2>
        {overview.status === 'ready' && (
          <span className="q-summary" role="status" aria-label="Quality summary">
            {formatCount(quarantined)} quarantined rows in {tables.length} {tables.length === 1 ? 'table' : 'tables'} · {failingRules} of {rates.length} expectations
            failed rows in their latest run
            {reconciliation.status === 'ready' && reconciliation.value.length > 0 && ` · ${notPassing} reconciliation ${notPassing === 1 ? 'check' : 'checks'} not PASS`}
          </span>
        )}
        <button type="button" className="button q-refresh" onClick={() => void load(engine)} disabled={overview.status === 'loading'}>
          Refresh
        </button>
      </div>
      <Tabs tabs={tabs} selected={section} onSelect={setSection} label="Quality sections" idPrefix={idPrefix} />
      <div className="q-panel" role="tabpanel" id={tabPanelId(idPrefix, section)} aria-labelledby={tabId(idPrefix, section)}>
        {section === 'quarantine' && <Loaded load={overview}>{() => <QuarantineBrowser tables={tables} onOpenTable={onOpenTable} />}</Loaded>}
        {section === 'expectations' && <Loaded load={overview}>{() => <PassRateBars rates={rates} />}</Loaded>}
        {section === 'reconciliation' && <Loaded load={reconciliation}>{(entries) => <ReconciliationTable entries={entries} />}</Loaded>}
        {section === 'watermarks' && <Loaded load={watermarks}>{(entries) => <WatermarkTable entries={entries} />}</Loaded>}
      </div>
    </div>
  )
}

function Loaded<T>({ load, children }: { load: Load<T>; children: (value: T) => ReactNode }) {
  if (load.status === 'ready') return <div className="q-scroll">{children(load.value)}</div>
  if (load.status === 'error') return <QualityErrorView error={load.error} />
  return (
    <p className="q-status" role="status">
      Loading…
    </p>
  )
}
