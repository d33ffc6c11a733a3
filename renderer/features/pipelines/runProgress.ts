// runProgress: a pipeline run as the panel follows it: events folded into flow outcomes and a log, and flows rolled up into node states.
import type { PipelineFlowProgress, PipelineRunRecord, PipelineRunStatus } from '../../../engine/api/pipelineApi'
import type { EngineEvent } from '../../../engine/api/events'

export type FlowStatus = PipelineFlowProgress['status']
export type NodeStatus = 'idle' | 'running' | FlowStatus

export interface ExpectationOutcome {
  dataset: string
  expectation: string
  action: 'warn' | 'drop' | 'fail'
  passed: number
  failed: number
}

/** What one flow did, from a live event or a recorded run. */
export interface FlowOutcome {
  flow: string
  status: FlowStatus
  rowsIn: number
  rowsWritten: number
  rowsQuarantined: number
  expectations: ExpectationOutcome[]
  version: number | null
  durationMs: number
  error?: string
}

export type LogLevel = 'info' | 'warn' | 'error'

export interface RunLogEntry {
  seq: number
  /** ms since the epoch, when the panel received the event. */
  time: number
  level: LogLevel
  flow?: string
  message: string
}

/** A run the panel started or saw starting, followed event by event. */
export interface LiveRun {
  runId: string
  pipeline: string
  startedAt: number
  endedAt: number | null
  status: 'running' | PipelineRunStatus
  /** Flows the run is expected to report (from describe); the bar's M. */
  expectedFlows: number
  running: string[]
  finished: FlowOutcome[]
  error?: string
  log: RunLogEntry[]
}

/** A run that has started and reported nothing yet. */
export function startLiveRun(runId: string, pipeline: string, expectedFlows: number, now: number, note: string): LiveRun {
  return { runId, pipeline, startedAt: now, endedAt: null, status: 'running', expectedFlows, running: [], finished: [], log: [{ seq: 1, time: now, level: 'info', message: note }] }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`

function outcomeOf(p: PipelineFlowProgress): FlowOutcome {
  const { flow, status, rowsIn, rowsWritten, rowsQuarantined, expectations, version, durationMs } = p
  const error = p.error ?? p.reason
  return { flow, status, rowsIn, rowsWritten, rowsQuarantined, expectations, version, durationMs, ...(error !== undefined ? { error } : {}) }
}

/** The log line of a finished flow: its level says whether anything needs a look. */
export function flowLogEntry(f: FlowOutcome): { level: LogLevel; message: string } {
  const failedChecks = f.expectations.filter((e) => e.failed > 0)
  const level: LogLevel = f.status === 'failed' ? 'error' : f.status === 'cancelled' || f.status === 'skipped' || failedChecks.length > 0 ? 'warn' : 'info'
  const counts = `${plural(f.rowsIn, 'row')} in, ${f.rowsWritten.toLocaleString('en-US')} written, ${f.rowsQuarantined.toLocaleString('en-US')} quarantined`
  const version = f.version === null ? 'no commit' : `v${f.version}`
  const checks = failedChecks.map((e) => `${e.expectation} (${e.action}) failed ${e.failed.toLocaleString('en-US')}`).join('; ')
  const status = f.status.replace(/_/g, ' ')
  return { level, message: `${status}: ${counts}, ${version}, ${f.durationMs} ms${checks ? ` — ${checks}` : ''}${f.error ? ` — ${f.error}` : ''}` }
}

/**
 * Folds one engine event into the run: events of other runs are ignored (the same object comes back). A progress
 * event without `finished` marks its flow running; with it, records the outcome; `pipeline.finished` closes the run
 * with the engine's status and its final flow list (which wins over what events said, should one have been missed).
 */
export function applyRunEvent(run: LiveRun, event: EngineEvent, now: number): LiveRun {
  if ((event.type !== 'pipeline.progress' && event.type !== 'pipeline.finished') || event.runId !== run.runId) return run
  const seq = (run.log[run.log.length - 1]?.seq ?? 0) + 1
  if (event.type === 'pipeline.progress') {
    if (!event.finished) {
      return { ...run, running: [...run.running.filter((f) => f !== event.flow), event.flow], log: [...run.log, { seq, time: now, level: 'info', flow: event.flow, message: 'started' }] }
    }
    const outcome = outcomeOf(event.finished)
    const entry = flowLogEntry(outcome)
    return {
      ...run,
      running: run.running.filter((f) => f !== event.flow),
      finished: [...run.finished.filter((f) => f.flow !== outcome.flow), outcome],
      log: [...run.log, { seq, time: now, flow: event.flow, ...entry }]
    }
  }
  const finished = event.flows.length > 0 ? event.flows.map(outcomeOf) : run.finished
  const level: LogLevel = event.status === 'completed' ? 'info' : event.status === 'cancelled' ? 'warn' : 'error'
  const written = finished.reduce((n, f) => n + f.rowsWritten, 0)
  const message = `Run ${event.status}: ${plural(finished.length, 'flow')}, ${plural(written, 'row')} written in ${((now - run.startedAt) / 1000).toFixed(1)} s${event.error ? ` — ${event.error}` : ''}`
  return {
    ...run,
    status: event.status,
    endedAt: now,
    running: [],
    finished,
    ...(event.error !== undefined ? { error: event.error } : {}),
    log: [...run.log, { seq, time: now, level, message }]
  }
}

/** The flow outcomes of a recorded run, in the same shape as live ones. */
export function outcomesOfRecord(record: PipelineRunRecord): FlowOutcome[] {
  return record.flows.map((f) => ({
    flow: f.flow, status: f.status, rowsIn: f.rowsIn, rowsWritten: f.rowsWritten, rowsQuarantined: f.rowsQuarantined,
    expectations: f.expectations, version: f.version, durationMs: f.durationMs, ...(f.error !== null ? { error: f.error } : {})
  }))
}

/** A node's state: its flows rolled up. */
export interface NodeState {
  status: NodeStatus
  rowsIn: number
  rowsWritten: number
  rowsQuarantined: number
  expectations: ExpectationOutcome[]
  version: number | null
  durationMs: number
  error?: string
}

// When a dataset has several flows, the node shows the one that matters most.
const statusWeight: Record<NodeStatus, number> = { running: 8, failed: 7, cancelled: 6, skipped: 5, completed: 4, no_new_data: 3, unchanged: 2, idle: 0 }

/**
 * Rolls flow outcomes up into one state per dataset (via `owners`: flow → dataset): rows and expectation counts
 * add up, the status is the most telling of its flows (running, then failed, cancelled, skipped, completed, no new
 * data, unchanged), the version is the newest committed. `running` flows are shown running even before an outcome.
 */
export function nodeStates(owners: Map<string, string>, outcomes: FlowOutcome[], running: string[] = []): Map<string, NodeState> {
  const states = new Map<string, NodeState>()
  const stateOf = (dataset: string) => {
    let state = states.get(dataset)
    if (!state) {
      state = { status: 'idle', rowsIn: 0, rowsWritten: 0, rowsQuarantined: 0, expectations: [], version: null, durationMs: 0 }
      states.set(dataset, state)
    }
    return state
  }
  for (const outcome of outcomes) {
    const state = stateOf(owners.get(outcome.flow) ?? outcome.flow)
    if (statusWeight[outcome.status] > statusWeight[state.status]) state.status = outcome.status
    state.rowsIn += outcome.rowsIn
    state.rowsWritten += outcome.rowsWritten
    state.rowsQuarantined += outcome.rowsQuarantined
    state.durationMs += outcome.durationMs
    if (outcome.version !== null) state.version = Math.max(state.version ?? -1, outcome.version)
    if (outcome.error !== undefined && state.error === undefined) state.error = outcome.error
    for (const e of outcome.expectations) {
      const same = state.expectations.find((x) => x.expectation === e.expectation)
      if (same) {
        same.passed += e.passed
        same.failed += e.failed
      } else state.expectations.push({ ...e })
    }
  }
  for (const flow of running) stateOf(owners.get(flow) ?? flow).status = 'running'
  return states
}

/** Share of rows that passed an expectation, 0..1; null when no row was checked. */
export function passRate(e: Pick<ExpectationOutcome, 'passed' | 'failed'>): number | null {
  const total = e.passed + e.failed
  return total === 0 ? null : e.passed / total
}
