// PipelinesPage: the pipeline panel: controls, the lane graph with a dataset's detail beside it, and the run's metrics, log, validation and history.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useEngine } from '../../platform/engineContext'
import { SplitPane } from '../../ui/SplitPane'
import { type TabItem, Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { EventLog } from './EventLog'
import { FlowMetrics } from './FlowMetrics'
import { NodeDetailPanel } from './NodeDetailPanel'
import { PipelineGraph } from './PipelineGraph'
import { formatDateTime } from './pipelineFormat'
import { flowOwners } from './pipelineGraph'
import { refreshTables, shownNodeStates, shownOutcomes, usePipelinesStore } from './pipelinesStore'
import { RunControls } from './RunControls'
import { RunHistory } from './RunHistory'
import { ErrorNote, ValidationReport } from './ValidationReport'
import './pipelines.css'

export interface PipelinesPageProps {
  /** Opens a table's page (`schema.table`). */
  onOpenTable(table: string): void
  /** Opens the quarantine of a dataset; receives the quarantine table's name (`schema.table_quarantine`). */
  onOpenQuarantine(quarantineTable: string): void
}

type BottomTab = 'flows' | 'log' | 'validation' | 'runs'

export function PipelinesPage({ onOpenTable, onOpenQuarantine }: PipelinesPageProps) {
  const engine = useEngine()
  const s = usePipelinesStore()
  const [tab, setTab] = useState<BottomTab>('flows')

  useEffect(() => {
    void usePipelinesStore.getState().init(engine)
    return engine.onEvent((event) => usePipelinesStore.getState().handleEvent(engine, event))
  }, [engine])

  const states = useMemo(() => shownNodeStates(s), [s.live, s.history, s.description])
  const shown = useMemo(() => shownOutcomes(s), [s.live, s.history])
  const description = s.description.status === 'ready' ? s.description.value : null
  const history = s.history.status === 'ready' ? s.history.value : []
  const owners = useMemo(() => (description ? flowOwners(description) : new Map<string, string>()), [description])
  const targetOf = useCallback(
    (flow: string) => {
      const dataset = description?.datasets.find((d) => d.name === owners.get(flow))
      return dataset?.table ?? dataset?.name ?? flow
    },
    [description, owners]
  )
  const active = description?.datasets.find((d) => d.name === s.activeNode) ?? null

  const onActivate = useCallback(
    (id: string, { additive }: { additive: boolean }) => {
      const store = usePipelinesStore.getState()
      const isDataset = description?.datasets.some((d) => d.name === id && d.table !== null) ?? false
      if (additive && isDataset) store.toggleRefresh(id)
      else store.activate(description?.datasets.some((d) => d.name === id) ? id : null)
    },
    [description]
  )

  const runFullRefresh = (fullRefresh: true | string[]) => {
    setTab('log')
    void s.run(engine, fullRefresh)
  }

  const caption = shown.source === 'live' ? (s.live?.status === 'running' ? 'Live run' : `Run ${s.live?.status} (this session)`) : history[0] ? `Last recorded run, ${formatDateTime(history[0].startedAt)}` : ''
  const tabs: TabItem<BottomTab>[] = [
    { id: 'flows', label: 'Flows', badge: shown.outcomes.length },
    { id: 'log', label: 'Event log', ...(s.live ? { badge: s.live.log.length } : {}) },
    { id: 'validation', label: 'Validation', ...(s.validation.status === 'ready' ? { badge: s.validation.value.diagnostics.length } : {}) },
    { id: 'runs', label: 'Runs', ...(s.history.status === 'ready' ? { badge: history.length } : {}) }
  ]

  return (
    <section className="pipelines" aria-label="Pipelines">
      <RunControls
        pipelines={s.pipelines.status === 'ready' ? s.pipelines.value : []}
        selected={s.selected}
        live={s.live}
        validating={s.validation.status === 'loading'}
        refreshCount={s.refreshSelection.length}
        onSelect={(name) => void s.selectPipeline(engine, name)}
        onRun={() => {
          setTab('log')
          void s.run(engine)
        }}
        onFullRefreshAll={() => runFullRefresh(true)}
        onFullRefreshSelected={() => description && runFullRefresh(refreshTables(description, s.refreshSelection))}
        onClearSelection={s.clearRefresh}
        onValidate={() => {
          setTab('validation')
          void s.validate(engine)
        }}
        onStop={() => void s.stop(engine)}
      />
      {s.actionError && (
        <div className="pl-action-error">
          <ErrorNote title="The pipeline did not start" error={s.actionError} />
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={s.dismissActionError}>
            ×
          </button>
        </div>
      )}
      {s.pipelines.status === 'error' && <ErrorNote title="Could not list the pipelines" error={s.pipelines.error} />}
      {s.pipelines.status === 'ready' && s.pipelines.value.length === 0 && (
        <p className="pl-empty">This lakehouse has no pipelines yet. Add SQL files under pipelines/&lt;name&gt;/ to define one.</p>
      )}
      {s.description.status === 'error' && <ErrorNote title={`Could not read pipeline ${s.selected}`} error={s.description.error} />}
      {description && (
        <SplitPane
          label="Resize graph and run details"
          initialFraction={0.6}
          top={
            <div className="pl-main">
              <PipelineGraph description={description} states={states} activeNode={s.activeNode} refreshSelection={s.refreshSelection} onActivate={onActivate} />
              {active && (
                <NodeDetailPanel
                  dataset={active}
                  state={states.get(active.name)}
                  history={history}
                  markedForRefresh={s.refreshSelection.includes(active.name)}
                  onToggleRefresh={() => s.toggleRefresh(active.name)}
                  onOpenTable={onOpenTable}
                  onOpenQuarantine={onOpenQuarantine}
                  onClose={() => s.activate(null)}
                />
              )}
            </div>
          }
          bottom={
            <div className="pl-bottom">
              <Tabs<BottomTab> tabs={tabs} selected={tab} onSelect={(id) => setTab(id)} label="Run details" idPrefix="pipelines" />
              <div className="pl-tab-panel" role="tabpanel" id={tabPanelId('pipelines', tab)} aria-labelledby={tabId('pipelines', tab)}>
                {tab === 'flows' && <FlowMetrics outcomes={shown.outcomes} caption={caption} targetOf={targetOf} />}
                {tab === 'log' && <EventLog entries={s.live?.log ?? []} level={s.logLevel} onLevel={s.setLogLevel} />}
                {tab === 'validation' && <ValidationReport validation={s.validation} onValidate={() => void s.validate(engine)} />}
                {tab === 'runs' && (s.history.status === 'error' ? <ErrorNote title="Could not read the run history" error={s.history.error} /> : <RunHistory runs={history} />)}
              </div>
            </div>
          }
        />
      )}
    </section>
  )
}
