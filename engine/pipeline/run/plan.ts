// The run plan: where each dataset is stored, what each reference reads, the order of datasets, and what select / full refresh cover.
import type { Lakehouse } from '../../lakehouse/folder'
import { resolveDataset, type PipelineGraph } from '../graph'
import type { Dataset, Flow, PipelineDefinition } from '../model'

/** What one reference in a query reads. */
export type ResolvedReference =
  | { kind: 'dataset'; dataset: PlannedDataset }
  | { kind: 'external'; table: string }
  | { kind: 'unresolved' }

export interface PlannedDataset {
  dataset: Dataset
  /** `schema.table` where it is stored; null for a temporary view. */
  stored: string | null
  /** Flows that write it (its own query first), in definition order. */
  flows: Flow[]
  /** Canonical names of the datasets it reads. */
  upstream: string[]
}

export interface RunPlan {
  target: string
  /** Every dataset, upstream before downstream. */
  order: PlannedDataset[]
  byName: Map<string, PlannedDataset>
  resolve(name: string): ResolvedReference
}

/** The `schema.table` a dataset is stored as: qualified names as written, others in the pipeline's target schema. */
export function storedNameOf(dataset: Dataset, target: string): string | null {
  if (dataset.kind === 'temporary_view') return null
  return dataset.name.includes('.') ? dataset.name : `${target}.${dataset.name}`
}

/** The dataset's flows; a dataset with a query and no flow of its own gets one named after it. */
function flowsOf(def: PipelineDefinition, dataset: Dataset): Flow[] {
  const flows = def.flows.filter((f) => f.target === dataset.name)
  if (dataset.query && !flows.some((f) => f.name === dataset.name)) {
    flows.unshift({ name: dataset.name, target: dataset.name, kind: 'append', query: dataset.query, once: false, location: dataset.location })
  }
  return flows
}

/**
 * Plans a run of `def` in graph order: where each dataset is stored, which flows write it, and what each reference
 * reads (a pipeline dataset, resolved as buildGraph resolves it, else a 2-part lakehouse table as an external source).
 */
export async function planRun(lakehouse: Lakehouse, def: PipelineDefinition, graph: PipelineGraph, target: string): Promise<RunPlan> {
  const withTarget = { datasets: def.datasets, target }
  const planned: PlannedDataset[] = def.datasets.map((dataset) => ({ dataset, stored: storedNameOf(dataset, target), flows: flowsOf(def, dataset), upstream: graph.dependsOn.get(dataset.name) ?? [] }))
  const byName = new Map(planned.map((p) => [p.dataset.name, p]))
  const external = new Map<string, boolean>()
  for (const ref of graph.external) {
    const parts = ref.name.split('.')
    if (parts.length === 2 && !external.has(ref.name)) external.set(ref.name, (await lakehouse.resolveTable(parts[0]!, parts[1]!)) !== null)
  }
  const order = graph.order.map((name) => byName.get(name)).filter((p): p is PlannedDataset => p !== undefined)
  return {
    target,
    order,
    byName,
    resolve(name) {
      const found = resolveDataset(withTarget, name)
      if ('dataset' in found) return { kind: 'dataset', dataset: byName.get(found.dataset.name)! }
      return external.get(name) ? { kind: 'external', table: name } : { kind: 'unresolved' }
    }
  }
}

/**
 * The datasets a run covers: all, or the selected ones plus everything upstream of them.
 * @returns canonical names; unknown selections are returned separately so the caller can report them.
 */
export function selectDatasets(plan: RunPlan, select: string[] | undefined): { selected: Set<string>; unknown: string[] } {
  if (!select || select.length === 0) return { selected: new Set(plan.order.map((p) => p.dataset.name)), unknown: [] }
  const selected = new Set<string>()
  const unknown: string[] = []
  const add = (p: PlannedDataset): void => {
    if (selected.has(p.dataset.name)) return
    selected.add(p.dataset.name)
    for (const up of p.upstream) add(plan.byName.get(up)!)
  }
  for (const name of select) {
    const found = findDataset(plan, name)
    if (found) add(found)
    else unknown.push(name)
  }
  return { selected, unknown }
}

/** A dataset by canonical name, stored name (`schema.table`) or bare table name. */
export function findDataset(plan: RunPlan, name: string): PlannedDataset | undefined {
  const wanted = name.toLowerCase().replace(/^live\./, '')
  const resolved = plan.resolve(wanted)
  if (resolved.kind === 'dataset') return resolved.dataset
  return plan.order.find((p) => p.stored === wanted)
}
