// The pipeline domain behind the Engine API: lists and validates pipelines, starts runs in the background, cancels them by id.
import { randomUUID } from 'node:crypto'
import type { PipelineApi, PipelineDiagnosticInfo, PipelineFlowProgress, PipelineSummary } from '../api/pipelineApi'
import type { EngineEvent } from '../api/events'
import type { Lakehouse } from '../lakehouse/folder'
import type { PipelineDiagnostic } from './model'
import { listPipelines } from './pipelineConfig'
import { storedNameOf } from './run/plan'
import { PipelineRunError, type FlowResult } from './run/runTypes'
import { loadPipeline, runLoadedPipeline } from './runner'

function diagnosticInfo(d: PipelineDiagnostic): PipelineDiagnosticInfo {
  return { severity: d.severity, code: d.code, message: d.message, file: d.location.file, line: d.location.line, column: d.location.column }
}

function progressOf(f: FlowResult): PipelineFlowProgress {
  const { flow, target, kind, status, rowsIn, rowsWritten, rowsQuarantined, rowsLate, eventTime, state, expectations, version, durationMs, error, reason } = f
  return {
    flow, target, kind, status, rowsIn, rowsWritten, rowsQuarantined, ...(rowsLate !== undefined ? { rowsLate } : {}),
    ...(eventTime !== undefined ? { eventTime: { ...eventTime } } : {}), ...(state !== undefined ? { state: { ...state } } : {}),
    expectations: expectations.map((e) => ({ ...e })), version, durationMs,
    ...(error !== undefined ? { error } : {}), ...(reason !== undefined ? { reason } : {})
  }
}

/** Runs in flight, by id; one run per pipeline at a time (two would race for the same checkpoints). */
export class PipelineRuns {
  private readonly running = new Map<string, { pipeline: string; controller: AbortController; done: Promise<void> }>()

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** The run-related part of the pipeline API over the lakehouse `current()` returns at each call. */
  api(current: () => Lakehouse): Pick<PipelineApi, 'list' | 'validate' | 'run' | 'cancel'> {
    return {
      list: () => this.list(current()),
      validate: (arg) => this.validate(current(), arg.name),
      run: (arg) => this.start(current(), arg.name, arg.fullRefresh, arg.select),
      cancel: async (arg) => this.cancel(arg.runId)
    }
  }

  async list(lakehouse: Lakehouse): Promise<PipelineSummary[]> {
    const out: PipelineSummary[] = []
    for (const name of await listPipelines(lakehouse)) {
      const loaded = await loadPipeline(lakehouse, name)
      const byName = new Map(loaded.definition.datasets.map((d) => [d.name, d]))
      out.push({
        name,
        target: loaded.config.target,
        datasets: loaded.graph.order.map((n) => byName.get(n)!).filter(Boolean).map((d) => ({
          name: d.name, table: storedNameOf(d, loaded.config.target), kind: d.kind, dependsOn: loaded.graph.dependsOn.get(d.name) ?? []
        })),
        diagnostics: loaded.diagnostics.map(diagnosticInfo)
      })
    }
    return out
  }

  async validate(lakehouse: Lakehouse, name: string): Promise<{ valid: boolean; diagnostics: PipelineDiagnosticInfo[]; order: string[] }> {
    const loaded = await loadPipeline(lakehouse, name)
    const result = await runLoadedPipeline(lakehouse, loaded, { validateOnly: true })
    return { valid: result.status !== 'invalid', diagnostics: loaded.diagnostics.map(diagnosticInfo), order: loaded.graph.order }
  }

  /**
   * Loads the pipeline (so a missing one fails here, not in an event) and runs it in the background.
   * @throws PipelineRunError PIPELINE_NOT_FOUND / INVALID_CONFIG, PIPELINE_RUNNING when that pipeline is running.
   */
  async start(lakehouse: Lakehouse, name: string, fullRefresh?: true | string[], select?: string[]): Promise<{ runId: string }> {
    if ([...this.running.values()].some((r) => r.pipeline === name)) {
      throw new PipelineRunError('PIPELINE_RUNNING', `Pipeline ${name} is already running; cancel it or wait for it to finish`, { pipeline: name })
    }
    const loaded = await loadPipeline(lakehouse, name)
    const runId = randomUUID()
    const controller = new AbortController()
    const done = runLoadedPipeline(lakehouse, loaded, {
      runId,
      signal: controller.signal,
      ...(fullRefresh !== undefined ? { fullRefresh } : {}),
      ...(select !== undefined ? { select } : {}),
      onEvent: (e) => {
        if (e.type === 'flow_started') this.emit({ type: 'pipeline.progress', runId, pipeline: name, flow: e.flow })
        if (e.type === 'flow_finished') this.emit({ type: 'pipeline.progress', runId, pipeline: name, flow: e.result.flow, finished: progressOf(e.result) })
      }
    }).then(
      (result) => {
        const flows = result.flows.map(progressOf)
        this.emit({ type: 'pipeline.finished', runId, pipeline: name, status: result.status, flows, ...(result.error !== undefined ? { error: result.error } : {}) })
        if (flows.some((f) => f.version !== null)) this.emit({ type: 'tables.changed', statements: [] })
      },
      (error: unknown) => {
        this.emit({ type: 'pipeline.finished', runId, pipeline: name, status: 'failed', flows: [], error: error instanceof Error ? error.message : String(error) })
      }
    ).finally(() => this.running.delete(runId))
    this.running.set(runId, { pipeline: name, controller, done })
    return { runId }
  }

  cancel(runId: string): void {
    this.running.get(runId)?.controller.abort()
  }

  /** Cancels every run and waits for them to stop (before the lakehouse closes). */
  async stopAll(): Promise<void> {
    const runs = [...this.running.values()]
    for (const r of runs) r.controller.abort()
    await Promise.all(runs.map((r) => r.done))
  }
}
