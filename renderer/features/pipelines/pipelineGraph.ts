// pipelineGraph: a described pipeline as graph nodes in medallion lanes (landing → bronze → silver → gold) and the edges between them.
import type { PipelineDatasetDetail, PipelineDescription, PipelineFileSourceInfo } from '../../../engine/api/pipelineApi'

export type Lane = 'landing' | 'bronze' | 'silver' | 'gold'

export const LANES: { id: Lane; label: string }[] = [
  { id: 'landing', label: 'Landing' },
  { id: 'bronze', label: 'Bronze' },
  { id: 'silver', label: 'Silver' },
  { id: 'gold', label: 'Gold' }
]

const laneOrder: Lane[] = LANES.map((l) => l.id)

export type GraphNodeModel =
  | { kind: 'landing'; id: string; lane: 'landing'; label: string; source: PipelineFileSourceInfo }
  | { kind: 'dataset'; id: string; lane: Lane; label: string; dataset: PipelineDatasetDetail }
  /** A table the pipeline reads but does not define. */
  | { kind: 'external'; id: string; lane: Lane; label: string }

export interface GraphEdgeModel {
  id: string
  source: string
  target: string
}

/** The id of the landing node of a file source path. */
export const landingNodeId = (path: string) => `landing:${path}`

/** The medallion lane a `schema.table` name's schema names, or null for any other schema. */
function laneOfSchema(table: string | null): Lane | null {
  const schema = table?.split('.')[0]?.toLowerCase()
  return schema === 'bronze' || schema === 'silver' || schema === 'gold' ? schema : null
}

/**
 * Lane of every dataset: its stored schema when that is bronze, silver or gold; otherwise (temporary views, other
 * schemas) the rightmost lane of what it reads, at least bronze, so the graph still flows left to right.
 * Datasets arrive upstream first, as describe returns them.
 */
export function assignLanes(datasets: PipelineDatasetDetail[]): Map<string, Lane> {
  const lanes = new Map<string, Lane>()
  for (const dataset of datasets) {
    const own = laneOfSchema(dataset.table)
    if (own) {
      lanes.set(dataset.name, own)
      continue
    }
    const upstream = dataset.dependsOn.map((d) => lanes.get(d) ?? laneOfSchema(d) ?? 'bronze')
    const rightmost = upstream.reduce<number>((max, lane) => Math.max(max, laneOrder.indexOf(lane)), laneOrder.indexOf('bronze'))
    lanes.set(dataset.name, laneOrder[rightmost]!)
  }
  return lanes
}

/** Nodes (landing paths, datasets, external tables read) and edges (read → reader) of a described pipeline. */
export function buildPipelineGraph(description: PipelineDescription): { nodes: GraphNodeModel[]; edges: GraphEdgeModel[] } {
  const lanes = assignLanes(description.datasets)
  const known = new Set(description.datasets.map((d) => d.name))
  const nodes: GraphNodeModel[] = []
  const edges: GraphEdgeModel[] = []
  const seen = new Set<string>()
  const addEdge = (source: string, target: string) => {
    const id = `${source}->${target}`
    if (!seen.has(id)) {
      seen.add(id)
      edges.push({ id, source, target })
    }
  }
  for (const dataset of description.datasets) {
    for (const source of dataset.fileSources) {
      const id = landingNodeId(source.path)
      if (!nodes.some((n) => n.id === id)) nodes.push({ kind: 'landing', id, lane: 'landing', label: source.path, source })
      addEdge(id, dataset.name)
    }
    for (const read of dataset.dependsOn) {
      if (!known.has(read) && !nodes.some((n) => n.id === read)) nodes.push({ kind: 'external', id: read, lane: laneOfSchema(read) ?? 'landing', label: read })
      addEdge(read, dataset.name)
    }
  }
  for (const dataset of description.datasets) {
    nodes.push({ kind: 'dataset', id: dataset.name, lane: lanes.get(dataset.name)!, label: dataset.table ?? dataset.name, dataset })
  }
  return { nodes, edges }
}

/** Which dataset each flow name writes, from describe's per-dataset flow lists. */
export function flowOwners(description: PipelineDescription): Map<string, string> {
  const owners = new Map<string, string>()
  for (const dataset of description.datasets) for (const flow of dataset.flows) owners.set(flow, dataset.name)
  return owners
}

/** The flows a full run reports, in run order: every flow of every dataset (temporary views have none). */
export function flowsOfRun(description: PipelineDescription): string[] {
  return description.datasets.flatMap((d) => d.flows)
}
