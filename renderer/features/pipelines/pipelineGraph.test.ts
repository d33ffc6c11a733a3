// Tests lane assignment and graph building over the fake engine's described pipeline and hand-made datasets.
import { describe, expect, it } from 'vitest'
import type { PipelineDatasetDetail } from '../../../engine/api/pipelineApi'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { assignLanes, buildPipelineGraph, flowOwners, flowsOfRun, landingNodeId } from './pipelineGraph'

const dataset = (name: string, table: string | null, dependsOn: string[], extra: Partial<PipelineDatasetDetail> = {}): PipelineDatasetDetail => ({
  name, table, kind: table === null ? 'temporary_view' : 'materialized_view', dependsOn, streaming: false, definitions: [], flows: table === null ? [] : [name],
  fileSources: [], expectations: [], quarantineTable: null, ...extra
})

describe('assignLanes', () => {
  it('puts stored datasets in their schema lane and views or other schemas in the rightmost lane they read', () => {
    const lanes = assignLanes([
      dataset('bronze.raw', 'bronze.raw', []),
      dataset('clean', 'silver.clean', ['bronze.raw']),
      dataset('clean_view', null, ['clean']),
      dataset('gold.report', 'gold.report', ['clean_view']),
      dataset('staging.scratch', 'staging.scratch', ['bronze.raw']),
      dataset('loose', 'other.loose', [])
    ])
    expect(Object.fromEntries(lanes)).toEqual({
      'bronze.raw': 'bronze', clean: 'silver', clean_view: 'silver', 'gold.report': 'gold', 'staging.scratch': 'bronze', loose: 'bronze'
    })
  })
})

describe('buildPipelineGraph', () => {
  it('adds one landing node per file source path and edges from what each dataset reads', async () => {
    const description = await createFakeEngine().pipeline.describe({ name: 'demo' })
    const { nodes, edges } = buildPipelineGraph(description)
    expect(nodes.map((n) => [n.id, n.lane, n.kind])).toEqual([
      [landingNodeId('landing/events'), 'landing', 'landing'],
      ['bronze.events', 'bronze', 'dataset'],
      ['events', 'silver', 'dataset'],
      ['gold.daily_counts', 'gold', 'dataset']
    ])
    expect(edges.map((e) => `${e.source} > ${e.target}`)).toEqual(['landing:landing/events > bronze.events', 'bronze.events > events', 'events > gold.daily_counts'])
    expect(nodes.find((n) => n.id === 'events')!.label).toBe('silver.events')
  })

  it('shows tables read from outside the pipeline as external nodes, once, and shares a landing path between readers', () => {
    const source = { function: 'read_files' as const, path: 'landing/x', format: 'csv', streaming: true }
    const { nodes, edges } = buildPipelineGraph({
      name: 'p', target: 'silver', files: [], diagnostics: [],
      datasets: [
        dataset('bronze.a', 'bronze.a', [], { fileSources: [source] }),
        dataset('bronze.b', 'bronze.b', [], { fileSources: [source] }),
        dataset('c', 'silver.c', ['bronze.a', 'gold.lookup']),
        dataset('d', 'silver.d', ['gold.lookup'])
      ]
    })
    expect(nodes.filter((n) => n.kind === 'landing')).toHaveLength(1)
    expect(nodes.filter((n) => n.kind === 'external').map((n) => [n.id, n.lane])).toEqual([['gold.lookup', 'gold']])
    expect(edges.filter((e) => e.source === 'landing:landing/x').map((e) => e.target)).toEqual(['bronze.a', 'bronze.b'])
    expect(edges.filter((e) => e.source === 'gold.lookup').map((e) => e.target)).toEqual(['c', 'd'])
  })
})

describe('flowOwners / flowsOfRun', () => {
  it('maps every flow to its dataset and counts the flows a full run reports (views have none)', () => {
    const description = {
      name: 'p', target: 'silver', files: [], diagnostics: [],
      datasets: [dataset('a', 'silver.a', [], { flows: ['a', 'a_backfill'] }), dataset('v', null, ['a']), dataset('b', 'silver.b', ['v'])]
    }
    expect(Object.fromEntries(flowOwners(description))).toEqual({ a: 'a', a_backfill: 'a', b: 'b' })
    expect(flowsOfRun(description)).toEqual(['a', 'a_backfill', 'b'])
  })
})
