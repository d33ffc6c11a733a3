// TableHistoryPage: one table's page: header with actions, the versions timeline, and tabs for the version, a diff, its profile and its detail.
import { useEffect } from 'react'
import './tableHistory.css'
import { useEngine } from '../../platform/engineContext'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { ActionDialogs } from './ActionDialogs'
import { DetailPanel } from './DetailPanel'
import { DiffPanel } from './DiffPanel'
import { LoadView } from './LoadView'
import { ProfilePanel } from './ProfilePanel'
import { type PageTab, useTableHistoryStore } from './tableHistoryStore'
import { VersionPanel } from './VersionPanel'
import { VersionTimeline } from './VersionTimeline'

const prefix = 'table-page'

/** The page for `table` (`schema.name`); loads it on mount and whenever `table` changes. */
export function TableHistoryPage({ table }: { table: string }) {
  const engine = useEngine()
  const store = useTableHistoryStore()
  const { history, selected, pageTab, version, detail, restore } = store

  useEffect(() => {
    void useTableHistoryStore.getState().open(engine, table)
  }, [engine, table])

  // Writes from the editor or a pipeline may add versions: reload the history when the engine says tables changed.
  useEffect(
    () =>
      engine.onEvent((event) => {
        if (event.type === 'tables.changed' || event.type === 'pipeline.finished') void useTableHistoryStore.getState().refresh(engine)
      }),
    [engine]
  )

  const entries = history.status === 'ready' ? history.value : []
  const newest = entries.length > 0 ? Math.max(...entries.map((e) => e.version)) : null
  const columns = version.status === 'ready' ? version.value.schema : []

  return (
    <section className="table-page" aria-label={`Table ${table}`}>
      <div className="toolbar th-toolbar" role="toolbar" aria-label="Table actions">
        <h2 className="th-title">
          <span className="table-icon" aria-hidden="true" />
          {table}
        </h2>
        {newest !== null && (
          <span className="th-subtitle">
            {entries.length} version{entries.length === 1 ? '' : 's'} · latest v{newest}
          </span>
        )}
        <span className="th-spacer" />
        <button
          type="button"
          className="button"
          disabled={selected === null || selected === newest || restore.status === 'planning'}
          title={selected === newest ? 'Pick an older version to restore it' : `Make version ${selected}'s data the table's current data`}
          onClick={() => selected !== null && void store.planRestore(engine, selected)}
        >
          Restore to v{selected ?? '…'}…
        </button>
        <button type="button" className="button" disabled={newest === null} onClick={() => store.planOptimize()} title="Compact small files">
          Optimize…
        </button>
        <button type="button" className="button" disabled={newest === null} onClick={() => void store.planVacuum(engine)} title="Dry run first: lists the files it would delete">
          Vacuum…
        </button>
        <button type="button" className="icon-button" aria-label="Reload history" title="Reload history" onClick={() => void store.refresh(engine)}>
          ↻
        </button>
      </div>
      <div className="th-body">
        <aside className="th-timeline" aria-label="Version history">
          <div className="panel-title">
            <span>Versions</span>
          </div>
          <LoadView load={history} what="the history">
            {(value) =>
              value.length === 0 ? (
                <p className="th-note">This table has no commits.</p>
              ) : (
                <VersionTimeline entries={value} selected={selected} onSelect={(v) => void store.select(engine, v)} />
              )
            }
          </LoadView>
        </aside>
        <div className="th-main">
          <Tabs<PageTab>
            label="Table views"
            idPrefix={prefix}
            selected={pageTab}
            onSelect={(tab) => store.setPageTab(engine, tab)}
            tabs={[
              { id: 'version', label: selected === null ? 'Version' : `Version ${selected}` },
              { id: 'diff', label: 'Diff' },
              { id: 'profile', label: selected === null ? 'Profile' : `Profile v${selected}` },
              { id: 'detail', label: 'Detail' }
            ]}
          />
          <div className="th-tabpanel" role="tabpanel" id={tabPanelId(prefix, pageTab)} aria-labelledby={tabId(prefix, pageTab)}>
            {pageTab === 'version' && <VersionPanel />}
            {pageTab === 'diff' && <DiffPanel engine={engine} entries={entries} columns={columns} />}
            {pageTab === 'profile' && <ProfilePanel />}
            {pageTab === 'detail' && (
              <LoadView load={detail} what="DESCRIBE DETAIL">
                {(value) => <DetailPanel detail={value} />}
              </LoadView>
            )}
          </div>
        </div>
      </div>
      <ActionDialogs engine={engine} />
    </section>
  )
}
