// The pipeline's dependency graph: name resolution, run order, and the structural errors found on the way.
import type { Dataset, DatasetReference, PipelineDefinition, PipelineDiagnostic, SourceLocation } from './model'
import { formatLocation } from './parse/lineIndex'

export interface PipelineGraph {
  /** Dataset names, dependencies first (definition order where the graph leaves a choice). */
  order: string[]
  /** Dataset name -> names of the pipeline datasets it reads (through its query or the flows into it). */
  dependsOn: Map<string, string[]>
  /** References to names that are not pipeline datasets (2- and 3-part names): lakehouse tables or external catalogs. */
  external: DatasetReference[]
}

export type Resolution = { dataset: Dataset } | { ambiguous: Dataset[] } | { missing: true }

/**
 * Resolves a canonical reference name to a pipeline dataset: an exact name match; else for `x`, the one dataset
 * named `<schema>.x` (preferring the target schema when several); else for `<target>.x`, the unqualified dataset `x`.
 */
export function resolveDataset(def: Pick<PipelineDefinition, 'datasets' | 'target'>, name: string): Resolution {
  const exact = def.datasets.find((d) => d.name === name)
  if (exact) return { dataset: exact }
  const parts = name.split('.')
  if (parts.length === 1) {
    const candidates = def.datasets.filter((d) => d.name.split('.').length === 2 && d.name.endsWith(`.${name}`))
    if (candidates.length === 1) return { dataset: candidates[0]! }
    const inTarget = candidates.filter((d) => def.target !== undefined && d.name === `${def.target.toLowerCase()}.${name}`)
    if (inTarget.length === 1) return { dataset: inTarget[0]! }
    if (candidates.length > 1) return { ambiguous: candidates }
  } else if (parts.length === 2 && def.target !== undefined && parts[0] === def.target.toLowerCase()) {
    const unqualified = def.datasets.find((d) => d.name === parts[1])
    if (unqualified) return { dataset: unqualified }
  }
  return { missing: true }
}

interface Edge {
  to: string
  location: SourceLocation
}

/**
 * Builds the dependency graph. Diagnostics (all errors): DUPLICATE_DATASET, DUPLICATE_FLOW, UNKNOWN_DATASET (a
 * `LIVE.x` or unqualified reference, or a flow target, naming no dataset), AMBIGUOUS_DATASET, FLOW_TARGET_NOT_STREAMING_TABLE,
 * MISSING_FLOW (a query-less streaming table no flow fills) and CYCLE (the path, with each edge's file:line:column).
 * 2- and 3-part names that are not datasets go to `external`; validatePipeline decides whether they exist.
 */
export function buildGraph(def: PipelineDefinition): { graph: PipelineGraph; diagnostics: PipelineDiagnostic[] } {
  const diagnostics: PipelineDiagnostic[] = []
  const error = (code: string, message: string, location: SourceLocation): void => {
    diagnostics.push({ severity: 'error', code, message, location })
  }
  const datasets = new Map<string, Dataset>()
  for (const d of def.datasets) {
    const first = datasets.get(d.name)
    if (first) error('DUPLICATE_DATASET', `dataset ${d.displayName} is already defined at ${formatLocation(first.location)}`, d.location)
    else datasets.set(d.name, d)
  }
  const unique = { datasets: [...datasets.values()], target: def.target }
  const edges = new Map<string, Edge[]>([...datasets.keys()].map((n) => [n, []]))
  const external: DatasetReference[] = []
  const addReference = (from: Dataset, ref: DatasetReference): void => {
    const resolved = resolveDataset(unique, ref.name)
    if ('dataset' in resolved) {
      edges.get(from.name)!.push({ to: resolved.dataset.name, location: ref.location })
    } else if ('ambiguous' in resolved) {
      error('AMBIGUOUS_DATASET', `${ref.written} matches ${resolved.ambiguous.map((d) => d.displayName).join(' and ')}; qualify it with its schema`, ref.location)
    } else if (/^live\./i.test(ref.written.replace(/^`|`$/g, '')) || !ref.name.includes('.')) {
      error('UNKNOWN_DATASET', `${ref.written} is not a dataset of this pipeline`, ref.location)
    } else external.push(ref)
  }
  const flowsInto = new Map<string, number>()
  const flowNames = new Map<string, SourceLocation>()
  for (const flow of def.flows) {
    const firstFlow = flowNames.get(flow.name)
    if (firstFlow) error('DUPLICATE_FLOW', `flow ${flow.name} is already defined at ${formatLocation(firstFlow)}`, flow.location)
    else flowNames.set(flow.name, flow.location)
    const resolved = resolveDataset(unique, flow.target)
    if (!('dataset' in resolved)) {
      error('UNKNOWN_DATASET', `flow ${flow.name} writes to ${flow.target}, which no CREATE STREAMING TABLE in this pipeline defines`, flow.location)
      continue
    }
    const target = resolved.dataset
    if (target.kind !== 'streaming_table') {
      error('FLOW_TARGET_NOT_STREAMING_TABLE', `flow ${flow.name} writes to ${target.displayName}, a ${target.kind.replace('_', ' ')}; flows may only target streaming tables`, flow.location)
      continue
    }
    flowsInto.set(target.name, (flowsInto.get(target.name) ?? 0) + 1)
    // A dataset's own defining flow shares its query; its references are added once, below.
    if (flow.query && flow.query !== target.query) for (const ref of flow.query.references) addReference(target, ref)
    if (flow.cdc) addReference(target, flow.cdc.source)
  }
  for (const d of datasets.values()) {
    if (d.query) for (const ref of d.query.references) addReference(d, ref)
    else if (d.kind === 'streaming_table' && !flowsInto.has(d.name)) {
      error('MISSING_FLOW', `streaming table ${d.displayName} has no query and no flow writes to it (add AS SELECT ..., CREATE FLOW ... INSERT INTO or AUTO CDC INTO)`, d.location)
    }
  }
  const { order, cycles } = orderDatasets([...datasets.keys()], edges)
  for (const cycle of cycles) {
    const path = cycle.map((e) => e.from).concat(cycle[0]!.from)
    const steps = cycle.map((e) => `${e.from} reads ${e.to} at ${formatLocation(e.location)}`)
    error('CYCLE', `datasets depend on each other in a cycle: ${path.join(' -> ')} (${steps.join('; ')})`, cycle[0]!.location)
  }
  const dependsOn = new Map<string, string[]>()
  for (const [name, list] of edges) dependsOn.set(name, [...new Set(list.map((e) => e.to))])
  return { graph: { order, dependsOn, external }, diagnostics }
}

/** Depth-first post-order (dependencies first); each back edge closes a cycle, reported once per set of datasets. */
function orderDatasets(names: string[], edges: Map<string, Edge[]>): { order: string[]; cycles: { from: string; to: string; location: SourceLocation }[][] } {
  const state = new Map<string, 'visiting' | 'done'>()
  const order: string[] = []
  const cycles: { from: string; to: string; location: SourceLocation }[][] = []
  const seenCycles = new Set<string>()
  const stack: { name: string; via?: Edge }[] = []
  const visit = (name: string): void => {
    state.set(name, 'visiting')
    for (const edge of edges.get(name) ?? []) {
      stack.push({ name, via: edge })
      const s = state.get(edge.to)
      if (s === undefined) visit(edge.to)
      else if (s === 'visiting') {
        const startIndex = stack.findIndex((f) => f.name === edge.to)
        const cycle = stack.slice(startIndex).map((f) => ({ from: f.name, to: f.via!.to, location: f.via!.location }))
        const key = [...new Set(cycle.map((e) => e.from))].sort().join('\u0000')
        if (!seenCycles.has(key)) {
          seenCycles.add(key)
          cycles.push(cycle)
        }
      }
      stack.pop()
    }
    state.set(name, 'done')
    order.push(name)
  }
  for (const name of names) if (!state.has(name)) visit(name)
  return { order, cycles }
}
