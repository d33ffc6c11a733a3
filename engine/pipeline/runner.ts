// runPipeline: parse, plan and run a pipeline's flows in graph order, reporting progress, and record the run in the system tables.
import { randomUUID } from 'node:crypto'
import type { Lakehouse } from '../lakehouse/folder'
import { DuckdbSession } from '../sql/duckdbSession'
import { SqlEngine } from '../sql/queryRunner'
import { buildGraph, type PipelineGraph } from './graph'
import type { PipelineDefinition, PipelineDiagnostic } from './model'
import { parsePipelineFolder } from './parse/parsePipeline'
import { readPipelineConfig, type PipelineConfig } from './pipelineConfig'
import { runCdcFlow } from './run/cdcFlow'
import { finishWatermarks, runReconciliations, RunWatermarks } from './run/controlTables'
import { runAppendFlow } from './run/flowExecution'
import { refreshMaterializedView } from './run/materializedView'
import { findDataset, planRun, selectDatasets, type PlannedDataset, type RunPlan } from './run/plan'
import type { RunContext, RunStage } from './run/runContext'
import { PipelineRunError, type FlowResult, type PipelineRunResult, type RunPipelineOptions } from './run/runTypes'
import { recordRun } from './run/systemTables'
import { validatePipeline } from './validate'
import { validateEventTime } from './eventTime/eventTimeValidation'

export type { FlowResult, PipelineEvent, PipelineRunResult, RunPipelineOptions } from './run/runTypes'
export { PipelineRunError } from './run/runTypes'

export interface RunnerResources {
  /** Run on this DuckDB session instead of a new one (it is then not closed). */
  session?: DuckdbSession
  /** Called as each flow passes a durable step; crash-injection tests kill the process there. */
  onStage?: (stage: RunStage, flow: string) => void
}

/** Everything a pipeline folder says before anything runs: the definition, its graph and every diagnostic. */
export interface LoadedPipeline {
  config: PipelineConfig
  definition: PipelineDefinition
  graph: PipelineGraph
  diagnostics: PipelineDiagnostic[]
}

/**
 * Reads pipeline.json and the .sql files of pipelines/<name>, builds the graph and validates it against the lakehouse.
 * @throws PipelineRunError PIPELINE_NOT_FOUND / INVALID_CONFIG.
 */
export async function loadPipeline(lakehouse: Lakehouse, name: string): Promise<LoadedPipeline> {
  const config = await readPipelineConfig(lakehouse, name)
  const parsed = await parsePipelineFolder(config.folder, name, { configuration: config.configuration, target: config.target })
  return analysePipeline(lakehouse, config, parsed.definition, parsed.diagnostics)
}

/** Graph and validation diagnostics for an already parsed definition (tests hand-build definitions). */
export async function analysePipeline(lakehouse: Lakehouse, config: PipelineConfig, definition: PipelineDefinition, parseDiagnostics: PipelineDiagnostic[] = []): Promise<LoadedPipeline> {
  const def = { ...definition, target: definition.target ?? config.target }
  const { graph, diagnostics } = buildGraph(def)
  const tables = new Set((await lakehouse.listTables()).map((t) => `${t.schema}.${t.name}`.toLowerCase()))
  const validation = validatePipeline(def, graph, { root: lakehouse.root, hasTable: (s, t) => tables.has(`${s}.${t}`.toLowerCase()) })
  return { config, definition: def, graph, diagnostics: [...parseDiagnostics, ...diagnostics, ...validation, ...validateEventTime(def)] }
}

/**
 * Runs pipeline `name` of the lakehouse (see runLoadedPipeline).
 * @throws PipelineRunError PIPELINE_NOT_FOUND / INVALID_CONFIG; everything after loading is reported in the result.
 */
export async function runPipeline(lakehouse: Lakehouse, name: string, options: RunPipelineOptions = {}, resources: RunnerResources = {}): Promise<PipelineRunResult> {
  return runLoadedPipeline(lakehouse, await loadPipeline(lakehouse, name), options, resources)
}

/**
 * Runs a loaded pipeline: stops before anything runs when a diagnostic is an error (status `invalid`); otherwise runs
 * the selected datasets (plus their upstream) in graph order: streaming tables process only new input, materialized
 * views commit only changed content; a failed flow fails the run and skips the datasets downstream of it; every flow
 * is checked for rows in = rows written + rows quarantined. The run (unless validate-only) is recorded in
 * system.pipeline_events and system.quality_results. Never throws for flow failures: they are in the result.
 */
export async function runLoadedPipeline(lakehouse: Lakehouse, loaded: LoadedPipeline, options: RunPipelineOptions = {}, resources: RunnerResources = {}): Promise<PipelineRunResult> {
  const clock = options.clock ?? { now: () => Date.now() }
  const runId = options.runId ?? randomUUID()
  const startedAt = clock.now()
  const pipeline = loaded.config.name
  const result: PipelineRunResult = { runId, pipeline, status: 'completed', diagnostics: loaded.diagnostics, flows: [], startedAt, endedAt: startedAt }
  const finish = (status: PipelineRunResult['status'], error?: string): PipelineRunResult => {
    result.status = status
    if (error !== undefined && result.error === undefined) result.error = error
    result.endedAt = clock.now()
    options.onEvent?.({ type: 'run_finished', runId, result })
    return result
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) {
    return finish('invalid', errors.map((d) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.code}: ${d.message}`).join('\n'))
  }
  const plan = await planRun(lakehouse, loaded.definition, loaded.graph, loaded.config.target)
  const { selected, unknown } = selectDatasets(plan, options.select)
  const refresh = fullRefreshSet(plan, selected, options.fullRefresh)
  if (unknown.length > 0 || refresh.unknown.length > 0) {
    return finish('invalid', `Unknown table(s) ${[...unknown, ...refresh.unknown].join(', ')} in pipeline ${pipeline} (datasets: ${plan.order.map((p) => p.stored ?? p.dataset.name).join(', ')})`)
  }
  const runnable = plan.order.filter((p) => selected.has(p.dataset.name) && p.stored !== null)
  options.onEvent?.({ type: 'run_started', runId, pipeline, flows: runnable.flatMap((p) => flowNamesOf(p)) })
  if (options.validateOnly) return finish('completed')

  const session = resources.session ?? (await DuckdbSession.create())
  const sql = await SqlEngine.open(lakehouse, { session, clock, ansi: loaded.config.ansi })
  const ctx: RunContext = { lakehouse, session, sql, config: loaded.config, plan, clock, runId, startedAt, fullRefresh: refresh.names, ...(options.signal ? { signal: options.signal } : {}), ...(resources.onStage ? { onStage: resources.onStage } : {}) }
  const broken = new Map<string, string>()
  try {
    const watermarks = new RunWatermarks(ctx)
    ctx.onBatchStart = (target) => watermarks.batchStarting(target)
    for (const planned of runnable) {
      const blockedBy = planned.upstream.find((u) => broken.has(u))
      for (const [index, flow] of flowsToRun(planned).entries()) {
        const flowResult: FlowResult = {
          flow: flow.name, target: planned.stored!, kind: flow.kind === 'cdc' ? 'cdc' : planned.dataset.kind, status: 'completed',
          rowsIn: 0, rowsWritten: 0, rowsQuarantined: 0, expectations: [], version: null, durationMs: 0
        }
        result.flows.push(flowResult)
        if (options.signal?.aborted) {
          flowResult.status = 'cancelled'
          continue
        }
        if (blockedBy !== undefined) {
          flowResult.status = 'skipped'
          flowResult.reason = `upstream ${blockedBy} ${broken.get(blockedBy)}`
          broken.set(planned.dataset.name, 'was skipped')
          options.onEvent?.({ type: 'flow_finished', runId, result: flowResult })
          continue
        }
        options.onEvent?.({ type: 'flow_started', runId, flow: flow.name, target: planned.stored! })
        const began = clock.now()
        flowResult.startedAt = began
        try {
          if (flow.kind === 'cdc') await runCdcFlow(ctx, planned, flow, flowResult)
          else if (planned.dataset.kind === 'materialized_view') await refreshMaterializedView(ctx, planned, flowResult)
          else await runAppendFlow(ctx, planned, flow, flowResult, index === 0)
          if (flowResult.rowsIn !== flowResult.rowsWritten + flowResult.rowsQuarantined) {
            throw new PipelineRunError('ROW_COUNT_MISMATCH', `Flow '${flow.name}': ${flowResult.rowsIn} row(s) in but ${flowResult.rowsWritten} written + ${flowResult.rowsQuarantined} quarantined`)
          }
        } catch (e) {
          const cancelled = e instanceof PipelineRunError && e.code === 'CANCELLED'
          // A FAIL UPDATE still evaluated every expectation: system.quality_results records what failed.
          if (e instanceof PipelineRunError && e.code === 'EXPECTATION_VIOLATION' && flowResult.expectations.length === 0) {
            flowResult.expectations.push(...((e.detail.counts as FlowResult['expectations'] | undefined) ?? []))
          }
          flowResult.status = cancelled ? 'cancelled' : 'failed'
          flowResult.error = e instanceof Error ? e.message : String(e)
          broken.set(planned.dataset.name, cancelled ? 'was cancelled' : 'failed')
          result.error ??= `Flow '${flow.name}' (${planned.stored}) ${cancelled ? 'was cancelled' : 'failed'}: ${flowResult.error}`
        }
        flowResult.durationMs = clock.now() - began
        options.onEvent?.({ type: 'flow_finished', runId, result: flowResult })
      }
    }
    // Watermarks move only for tables whose flows all succeeded, after their commits.
    await finishWatermarks(ctx, watermarks.begun, result.flows)
    // Reconciliation compares what this run changed; a run that committed nothing has nothing new to reconcile.
    if (!options.signal?.aborted && ctx.config.reconciliation.length > 0 && result.flows.some((f) => f.version !== null)) {
      result.reconciliations = await runReconciliations(ctx)
    }
    const status = result.flows.some((f) => f.status === 'cancelled') ? 'cancelled' : result.flows.some((f) => f.status === 'failed') ? 'failed' : 'completed'
    result.status = status
    result.endedAt = clock.now()
    try {
      await recordRun(session, lakehouse, result, clock)
    } catch (e) {
      result.error ??= `Recording the run in the system tables failed: ${(e as Error).message}`
      result.status = 'failed'
    }
    return finish(result.status)
  } finally {
    sql.close()
    if (!resources.session) session.close()
  }
}

/** The flows that write a dataset: a materialized view's own query, or a streaming table's append and CDC flows. */
function flowsToRun(planned: PlannedDataset): PlannedDataset['flows'] {
  if (planned.dataset.kind === 'materialized_view') return planned.flows.slice(0, 1)
  return planned.flows
}

function flowNamesOf(planned: PlannedDataset): string[] {
  return flowsToRun(planned).map((f) => f.name)
}

function fullRefreshSet(plan: RunPlan, selected: Set<string>, fullRefresh: RunPipelineOptions['fullRefresh']): { names: Set<string>; unknown: string[] } {
  if (fullRefresh === undefined) return { names: new Set(), unknown: [] }
  if (fullRefresh === true || fullRefresh.length === 0) return { names: new Set(selected), unknown: [] }
  const names = new Set<string>()
  const unknown: string[] = []
  for (const name of fullRefresh) {
    const found = findDataset(plan, name)
    if (found) names.add(found.dataset.name)
    else unknown.push(name)
  }
  return { names, unknown }
}
