// DagView: an interactive, automatically laid-out DAG in lane columns (React Flow canvas, ELK layout); each node is a real button.
import '@xyflow/react/dist/base.css'
import { Controls, type Edge, Handle, type Node, type NodeProps, Position, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { type MouseEvent, type ReactNode, createContext, useContext, useEffect, useMemo, useState } from 'react'
import { type DagEdgeLink, type DagLane, type DagLayout, type DagNodeBox, LANE_HEADER, layoutDag } from './dagLayout'
import './dagView.css'

export type { DagLane } from './dagLayout'

export interface DagViewNode<T> extends DagNodeBox {
  data: T
  /** Extra class on the node's button (status colours). */
  className?: string
}

export interface DagViewEdge extends DagEdgeLink {
  /** Drawn animated and in the accent colour (work flowing along it). */
  active?: boolean
}

export interface DagViewProps<T> {
  lanes: DagLane[]
  nodes: DagViewNode<T>[]
  edges: DagViewEdge[]
  /** The node's face; it sits inside a button, so it must not contain interactive elements. */
  renderNode(node: DagViewNode<T>): ReactNode
  /** The button's accessible name. */
  nodeLabel(node: DagViewNode<T>): string
  /** The node shown as current (aria-pressed). */
  activeId: string | null
  /** Nodes drawn with a mark (e.g. chosen for an action). */
  markedIds?: ReadonlySet<string>
  /** A click or Enter/Space on a node; `additive` when Ctrl/Cmd or Shift was held. */
  onActivate(id: string, options: { additive: boolean }): void
  ariaLabel: string
}

interface NodeRendering {
  render(id: string): ReactNode
}

const RenderContext = createContext<NodeRendering | null>(null)

type LaneNode = Node<{ label: string; height: number }, 'lane'>
type ItemNode = Node<{ id: string }, 'item'>

function LaneBand({ data, width }: NodeProps<LaneNode>) {
  return (
    <div className="dag-lane" style={{ width, height: data.height }}>
      <div className="dag-lane-title">{data.label}</div>
    </div>
  )
}

function ItemBox({ data }: NodeProps<ItemNode>) {
  const rendering = useContext(RenderContext)
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="dag-handle" />
      {rendering?.render(data.id)}
      <Handle type="source" position={Position.Right} isConnectable={false} className="dag-handle" />
    </>
  )
}

const nodeTypes = { lane: LaneBand, item: ItemBox }

/** The graph, laid out again whenever its nodes, lanes or edges change (not when only their data does). */
export function DagView<T>(props: DagViewProps<T>) {
  return (
    <ReactFlowProvider>
      <DagCanvas {...props} />
    </ReactFlowProvider>
  )
}

function DagCanvas<T>({ lanes, nodes, edges, renderNode, nodeLabel, activeId, markedIds, onActivate, ariaLabel }: DagViewProps<T>) {
  const [layout, setLayout] = useState<DagLayout | null>(null)
  const [layoutError, setLayoutError] = useState<string | null>(null)
  const flow = useReactFlow()
  // Layout depends on structure only: status changes re-render faces without moving anything.
  const structure = JSON.stringify([lanes, nodes.map((n) => [n.id, n.lane, n.width, n.height]), edges.map((e) => [e.id, e.source, e.target])])
  useEffect(() => {
    let stale = false
    layoutDag(lanes, nodes, edges).then(
      (next) => {
        if (stale) return
        setLayout(next)
        setLayoutError(null)
        // Fit once React Flow has measured the new nodes.
        requestAnimationFrame(() => void flow.fitView({ padding: 0.04, maxZoom: 1 }))
      },
      (error: Error) => !stale && setLayoutError(error.message)
    )
    return () => {
      stale = true
    }
    // Keyed on `structure` on purpose: new arrays with the same shape (every status update) must not re-run ELK.
  }, [structure])

  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes])
  const rendering = useMemo<NodeRendering>(
    () => ({
      render(id) {
        const node = byId.get(id)
        if (!node) return null
        const marked = markedIds?.has(id) ?? false
        return (
          <button
            type="button"
            className={`dag-node nopan nodrag ${node.className ?? ''}${marked ? ' marked' : ''}`}
            // React Flow turns pointer events off on nodes that are neither selectable nor draggable; the button takes them back.
            style={{ width: node.width, height: node.height, pointerEvents: 'auto' }}
            aria-pressed={activeId === id}
            aria-label={nodeLabel(node)}
            data-node-id={id}
            onClick={(event: MouseEvent) => onActivate(id, { additive: event.ctrlKey || event.metaKey || event.shiftKey })}
          >
            {renderNode(node)}
          </button>
        )
      }
    }),
    [byId, markedIds, activeId, nodeLabel, renderNode, onActivate]
  )

  const flowNodes = useMemo<(LaneNode | ItemNode)[]>(() => {
    if (!layout) return []
    const bands: LaneNode[] = layout.lanes.map((lane) => ({
      id: `lane:${lane.id}`,
      type: 'lane',
      position: { x: lane.x, y: layout.top },
      width: lane.width,
      data: { label: lane.label, height: layout.height },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1
    }))
    const items: ItemNode[] = nodes
      .filter((n) => layout.positions.has(n.id))
      .map((n) => ({ id: n.id, type: 'item', position: layout.positions.get(n.id)!, width: n.width, height: n.height, data: { id: n.id }, draggable: false, selectable: false, focusable: false }))
    return [...bands, ...items]
  }, [layout, nodes])

  const flowEdges = useMemo<Edge[]>(
    () => edges.map((e) => ({ id: e.id, source: e.source, target: e.target, animated: e.active ?? false, className: e.active ? 'dag-edge active' : 'dag-edge', focusable: false, selectable: false })),
    [edges]
  )

  return (
    <RenderContext.Provider value={rendering}>
      <div className="dag-view" role="group" aria-label={ariaLabel}>
        {layoutError && (
          <p className="dag-error" role="alert">
            The graph could not be laid out: {layoutError}
          </p>
        )}
        <ReactFlow
          nodes={flowNodes}
          edges={flowEdges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          zoomOnDoubleClick={false}
          minZoom={0.3}
          maxZoom={1.6}
          proOptions={{ hideAttribution: true }}
          style={{ ['--dag-lane-header' as string]: `${LANE_HEADER}px` }}
        >
          <Controls showInteractive={false} position="top-right" orientation="horizontal" fitViewOptions={{ padding: 0.04, maxZoom: 1 }} />
        </ReactFlow>
      </div>
    </RenderContext.Provider>
  )
}
