// layoutDag: positions a DAG's nodes left to right in lanes (columns kept in lane order) with ELK's layered algorithm.
import ELK from 'elkjs/lib/elk.bundled.js'

export interface DagLane {
  id: string
  label: string
}

export interface DagNodeBox {
  id: string
  /** The id of the lane (column band) the node belongs to. */
  lane: string
  width: number
  height: number
}

export interface DagEdgeLink {
  id: string
  source: string
  target: string
}

export interface LaidOutLane {
  id: string
  label: string
  x: number
  width: number
}

export interface DagLayout {
  /** Top-left corner of every node. */
  positions: Map<string, { x: number; y: number }>
  /** The lanes that hold at least one node, left to right, each spanning its nodes plus padding. */
  lanes: LaidOutLane[]
  /** Top and height shared by every lane band. */
  top: number
  height: number
}

/** Horizontal room a lane band leaves around its widest nodes, and room above the nodes for the lane's title. */
export const LANE_PADDING = 12
export const LANE_HEADER = 34

const elk = new ELK()

/**
 * Lays out `nodes` and `edges`: edges point right, and every node of lane i lies left of every node of lane i+1
 * (ELK partitions), so lanes read as columns. Edges to unknown nodes are ignored. Nodes in an unknown lane go last.
 * Deterministic for the same input. @throws Error from ELK when the graph cannot be laid out (never for a DAG).
 */
export async function layoutDag(lanes: DagLane[], nodes: DagNodeBox[], edges: DagEdgeLink[]): Promise<DagLayout> {
  const laneIndex = (lane: string) => {
    const i = lanes.findIndex((l) => l.id === lane)
    return i < 0 ? lanes.length : i
  }
  const ids = new Set(nodes.map((n) => n.id))
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.partitioning.activate': 'true',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '14',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'false',
      'elk.padding': `[top=${LANE_HEADER + 8},left=${LANE_PADDING},bottom=${LANE_PADDING},right=${LANE_PADDING}]`
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height, layoutOptions: { 'elk.partitioning.partition': String(laneIndex(n.lane)) } })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }))
  })
  const positions = new Map<string, { x: number; y: number }>()
  for (const child of graph.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 })

  const laidOut: LaidOutLane[] = []
  for (const lane of lanes) {
    const members = nodes.filter((n) => n.lane === lane.id)
    if (members.length === 0) continue
    const left = Math.min(...members.map((n) => positions.get(n.id)!.x))
    const right = Math.max(...members.map((n) => positions.get(n.id)!.x + n.width))
    laidOut.push({ id: lane.id, label: lane.label, x: left - LANE_PADDING, width: right - left + 2 * LANE_PADDING })
  }
  // Neighbouring bands meet halfway between their nodes, so the lanes tile the graph without gaps or overlaps.
  for (let i = 1; i < laidOut.length; i++) {
    const previous = laidOut[i - 1]!
    const current = laidOut[i]!
    const gapMiddle = (previous.x + previous.width + current.x) / 2
    previous.width = gapMiddle - previous.x
    current.width = current.x + current.width - gapMiddle
    current.x = gapMiddle
  }
  const bottom = Math.max(0, ...nodes.map((n) => positions.get(n.id)!.y + n.height))
  return { positions, lanes: laidOut, top: 0, height: bottom + LANE_PADDING }
}
