// PipelineGraph: the pipeline's DAG in medallion lanes; each dataset node shows its status, rows and expectation pass rate.
import { useCallback, useMemo } from 'react'
import type { PipelineDescription } from '../../../engine/api/pipelineApi'
import { DagView, type DagViewEdge, type DagViewNode } from '../../ui/DagView'
import { formatCount, formatRate, statusLabel } from './pipelineFormat'
import { type GraphNodeModel, LANES, buildPipelineGraph } from './pipelineGraph'
import { type NodeState, passRate } from './runProgress'

interface NodeFace {
  model: GraphNodeModel
  state: NodeState | undefined
}

const DATASET_SIZE = { width: 182, height: 80 }
const SOURCE_SIZE = { width: 164, height: 44 }

const kindLabels = { streaming_table: 'streaming table', materialized_view: 'materialized view', temporary_view: 'temporary view' } as const

/** A node's name without the part its lane already says (`bronze.users` in Bronze → `users`, `landing/x` → `x`). */
function shortName(label: string, lane: string): string {
  if (label.startsWith(`${lane}.`)) return label.slice(lane.length + 1)
  if (lane === 'landing' && label.startsWith('landing/')) return label.slice('landing/'.length)
  return label
}

/** The lowest pass rate among a node's expectations (the one worth looking at), or null when none was checked. */
function worstRate(state: NodeState | undefined): number | null {
  const rates = (state?.expectations ?? []).map(passRate).filter((r): r is number => r !== null)
  return rates.length === 0 ? null : Math.min(...rates)
}

function DatasetFace({ model, state }: NodeFace & { model: Extract<GraphNodeModel, { kind: 'dataset' }> }) {
  const status = state?.status ?? 'idle'
  const expectations = model.dataset.expectations.length
  const rate = worstRate(state)
  if (model.dataset.kind === 'temporary_view') {
    return (
      <>
        <span className="pl-node-title">
          <span className="pl-node-kind" aria-hidden="true">V</span>
          <span className="pl-node-name" title={model.label}>{shortName(model.label, model.lane)}</span>
        </span>
        <span className="pl-node-status pl-faint">temporary view</span>
        <span className="pl-node-rows pl-faint">runs inside its readers</span>
      </>
    )
  }
  return (
    <>
      <span className="pl-node-title">
        <span className="pl-node-kind" aria-hidden="true">{model.dataset.kind === 'materialized_view' ? 'MV' : 'ST'}</span>
        <span className="pl-node-name" title={model.label}>{shortName(model.label, model.lane)}</span>
      </span>
      <span className="pl-node-status">
        <span className={`pl-dot status-${status}`} aria-hidden="true" />
        {statusLabel(status)}
        {state?.version !== null && state?.version !== undefined && <span className="pl-node-version">v{state.version}</span>}
      </span>
      <span className="pl-node-rows">
        {state ? (
          <>
            <span>
              <span data-testid="node-written">{formatCount(state.rowsWritten)}</span> written
            </span>
            {state.rowsQuarantined > 0 && <span className="pl-node-quarantined">{formatCount(state.rowsQuarantined)} quar.</span>}
          </>
        ) : (
          <span className="pl-faint">no run recorded</span>
        )}
      </span>
      {expectations > 0 && (
        <span className="pl-node-checks">
          <span className="pl-rate-track" aria-hidden="true">
            <span className={`pl-rate-fill${rate !== null && rate < 1 ? ' partial' : ''}`} style={{ width: `${Math.round((rate ?? 0) * 100)}%` }} />
          </span>
          {expectations} check{expectations === 1 ? '' : 's'} · {rate === null ? 'not run' : `${formatRate(rate)}`}
        </span>
      )}
    </>
  )
}

function SourceFace({ model }: NodeFace) {
  return (
    <>
      <span className="pl-node-title">
        <span className="pl-node-kind source" aria-hidden="true">{model.kind === 'landing' ? model.source.format.toUpperCase().slice(0, 4) : 'TBL'}</span>
        <span className="pl-node-name" title={model.label}>{shortName(model.label, model.lane)}</span>
      </span>
      <span className="pl-node-status pl-faint">{model.kind === 'landing' ? `${model.source.function}${model.source.streaming ? ' · streaming' : ''}` : 'read, not defined here'}</span>
    </>
  )
}

export interface PipelineGraphProps {
  description: PipelineDescription
  states: Map<string, NodeState>
  activeNode: string | null
  refreshSelection: string[]
  onActivate(id: string, options: { additive: boolean }): void
}

export function PipelineGraph({ description, states, activeNode, refreshSelection, onActivate }: PipelineGraphProps) {
  const graph = useMemo(() => buildPipelineGraph(description), [description])
  const nodes = useMemo<DagViewNode<NodeFace>[]>(
    () =>
      graph.nodes.map((model) => {
        const state = model.kind === 'dataset' ? states.get(model.id) : undefined
        const size = model.kind === 'dataset' ? DATASET_SIZE : SOURCE_SIZE
        return { id: model.id, lane: model.lane, ...size, data: { model, state }, className: model.kind !== 'dataset' ? 'source' : model.dataset.kind === 'temporary_view' ? 'view' : `status-${state?.status ?? 'idle'}` }
      }),
    [graph, states]
  )
  const edges = useMemo<DagViewEdge[]>(() => graph.edges.map((e) => ({ ...e, active: states.get(e.target)?.status === 'running' })), [graph, states])
  const marked = useMemo(() => new Set(refreshSelection), [refreshSelection])
  const renderNode = useCallback((node: DagViewNode<NodeFace>) => (node.data.model.kind === 'dataset' ? <DatasetFace {...node.data} model={node.data.model} /> : <SourceFace {...node.data} />), [])
  const nodeLabel = useCallback((node: DagViewNode<NodeFace>) => {
    const { model, state } = node.data
    if (model.kind !== 'dataset') return `${model.kind === 'landing' ? 'Landing files' : 'External table'} ${model.label}`
    if (model.dataset.kind === 'temporary_view') return `${model.label} (temporary view, runs inside the queries that read it)`
    const rows = state ? `, ${formatCount(state.rowsWritten)} rows written, ${formatCount(state.rowsQuarantined)} quarantined` : ''
    return `${model.label} (${kindLabels[model.dataset.kind]}): ${statusLabel(state?.status ?? 'idle')}${rows}`
  }, [])
  return <DagView lanes={LANES} nodes={nodes} edges={edges} renderNode={renderNode} nodeLabel={nodeLabel} activeId={activeNode} markedIds={marked} onActivate={onActivate} ariaLabel="Pipeline graph" />
}
