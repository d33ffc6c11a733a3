// StreamsPage: the streaming panel: producer and query controls, the latest batch, live charts with late rows, and the checkpoint inspector.
import { useEffect, useState } from 'react'
import { useEngine } from '../../platform/engineContext'
import { Tabs, tabId, tabPanelId } from '../../ui/Tabs'
import { CheckpointInspector } from './CheckpointInspector'
import { LatestBatch } from './LatestBatch'
import { LiveCharts } from './LiveCharts'
import { ProducerControls } from './ProducerControls'
import { QueryControls } from './QueryControls'
import { StreamErrorNote } from './StreamErrorNote'
import { selectedLateRow, useStreamsStore } from './streamsStore'
import './streams.css'

type Section = 'live' | 'checkpoint'
const idPrefix = 'streams'

/** Loads on mount and follows the engine's stream events while shown; the store keeps its state while hidden. */
export function StreamsPage() {
  const engine = useEngine()
  const s = useStreamsStore()
  const [section, setSection] = useState<Section>('live')

  useEffect(() => {
    void useStreamsStore.getState().init(engine)
    return engine.onEvent((event) => useStreamsStore.getState().handleEvent(engine, event))
  }, [engine])

  const status = s.status.status === 'ready' ? s.status.value : null
  const lateRows = s.lateRows.status === 'ready' ? s.lateRows.value : []
  const flows = s.checkpoint.status === 'ready' ? s.checkpoint.value : []
  const tabs = [
    { id: 'live' as const, label: 'Live', badge: s.batches.length },
    { id: 'checkpoint' as const, label: 'Checkpoint', ...(s.checkpoint.status === 'ready' ? { badge: flows.length } : {}) }
  ]

  return (
    <section className="streams" aria-label="Streaming">
      {s.status.status === 'error' && <StreamErrorNote title="Could not read the stream status" error={s.status.error} />}
      {s.status.status === 'loading' && (
        <p className="st-empty" role="status">
          Loading the stream status…
        </p>
      )}
      {status && (
        <>
          <div className="st-controls">
            <ProducerControls
              producer={status.producer}
              busy={s.pending === 'producer'}
              error={s.producerError}
              onConfigure={(settings) => s.configureProducer(engine, settings)}
              onControl={(action) => void s.controlProducer(engine, action)}
              onDismissError={s.dismissErrors}
            />
            <QueryControls
              pipelines={status.pipelines}
              pipeline={s.pipeline}
              triggerKind={s.triggerKind}
              intervalMs={s.intervalMs}
              query={status.query}
              busy={s.pending === 'query'}
              error={s.queryError}
              onSelectPipeline={(name) => void s.selectPipeline(engine, name)}
              onTrigger={s.setTrigger}
              onStart={() => void s.startQuery(engine)}
              onStop={() => void s.stopQuery(engine)}
              onDismissError={s.dismissErrors}
            />
          </div>
          {status.pipelines.length === 0 ? (
            <p className="st-empty">This lakehouse has no pipeline to stream. Add SQL files under pipelines/&lt;name&gt;/ with a streaming table to define one.</p>
          ) : (
            <>
              <LatestBatch batch={s.batches[s.batches.length - 1] ?? null} shown={s.batches.length} />
              {s.batchesError && <StreamErrorNote title="Could not read the batches of this pipeline" error={s.batchesError} />}
              <div className="st-tabs-row">
                <Tabs<Section> tabs={tabs} selected={section} onSelect={setSection} label="Streaming sections" idPrefix={idPrefix} />
                <button type="button" className="button st-refresh" title="Read the status, batches, late rows and checkpoint again" onClick={() => void s.refresh(engine)}>
                  Refresh
                </button>
              </div>
              <div className="st-panel" role="tabpanel" id={tabPanelId(idPrefix, section)} aria-labelledby={tabId(idPrefix, section)}>
                {section === 'live' && (
                  <>
                    {s.lateRows.status === 'error' && <StreamErrorNote title="Could not read the late rows" error={s.lateRows.error} />}
                    <LiveCharts
                      batches={s.batches}
                      lateRows={lateRows}
                      lateLoading={s.lateRows.status === 'loading'}
                      selectedLate={selectedLateRow(s)}
                      selectedLateKey={s.selectedLate}
                      onSelectLate={s.selectLate}
                    />
                  </>
                )}
                {section === 'checkpoint' &&
                  (s.checkpoint.status === 'error' ? (
                    <StreamErrorNote title="Could not read the checkpoint" error={s.checkpoint.error} />
                  ) : s.checkpoint.status === 'ready' ? (
                    <CheckpointInspector flows={flows} pipeline={s.pipeline ?? ''} />
                  ) : (
                    <p className="st-empty" role="status">
                      Loading the checkpoint…
                    </p>
                  ))}
              </div>
            </>
          )}
        </>
      )}
    </section>
  )
}
