// The public shapes of a pipeline run: options, per-flow results, progress events.
import type { PipelineDiagnostic } from '../model'

export interface RunClock {
  /** Milliseconds since the epoch. */
  now(): number
}

export interface RunPipelineOptions {
  /** true = recompute every selected table; a list = recompute those tables (canonical or stored names). */
  fullRefresh?: true | string[]
  /** Run only these tables and everything they read (upstream), in graph order. */
  select?: string[]
  /** Parse and plan only: no table, checkpoint or system table is written. */
  validateOnly?: boolean
  onEvent?: (event: PipelineEvent) => void
  signal?: AbortSignal
  /** Drives _load_time, commit timestamps and event times; tests inject one. Default Date.now. */
  clock?: RunClock
  /** The run id; default a random UUID. */
  runId?: string
}

export type FlowStatus = 'completed' | 'no_new_data' | 'unchanged' | 'failed' | 'skipped' | 'cancelled'

export interface ExpectationCount {
  dataset: string
  expectation: string
  action: 'warn' | 'drop' | 'fail'
  passed: number
  failed: number
}

export interface FlowResult {
  flow: string
  /** The stored table (`schema.name`) the flow writes, or the view name for a temporary view. */
  target: string
  kind: 'streaming_table' | 'materialized_view' | 'temporary_view' | 'cdc'
  status: FlowStatus
  /**
   * Rows the flow's query produced: what entered its expectations. The run checks rowsIn = rowsWritten +
   * rowsQuarantined for every flow; rows the query itself adds or removes (explode, joins, filters, aggregates) are
   * the difference between rowsRead and rowsIn, not a loss.
   */
  rowsIn: number
  /**
   * Rows the flow read from its incremental sources (new landing files, new source table versions) before its query;
   * undefined for materialized views, which recompute from whole inputs.
   */
  rowsRead?: number
  /** ms since the epoch when the flow started. */
  startedAt?: number
  rowsWritten: number
  rowsQuarantined: number
  /** Rows of a watermarked stream that arrived at or behind the watermark, written to `<table>_late`; absent for other flows. */
  rowsLate?: number
  /**
   * Watermarked flows only: the watermark this batch ran with (computed at the end of the flow's previous batch, as
   * Spark does) and the event-time range of the rows it read, ms since the epoch (null when unknown or no rows).
   */
  eventTime?: { watermark: number | null; min: number | null; max: number | null }
  /** Stateful flows only (windows, sessions, stream-stream joins): state rows kept after the batch, updated and evicted in it. */
  state?: { rowsTotal: number; rowsUpdated: number; rowsRemoved: number }
  expectations: ExpectationCount[]
  /** The table version this flow committed, or null when it committed nothing. */
  version: number | null
  durationMs: number
  error?: string
  /** Why a flow was skipped (e.g. an upstream flow failed). */
  reason?: string
}

export interface PipelineRunResult {
  runId: string
  pipeline: string
  status: 'completed' | 'failed' | 'cancelled' | 'invalid'
  diagnostics: PipelineDiagnostic[]
  flows: FlowResult[]
  startedAt: number
  endedAt: number
  /** The first error, naming the flow (and expectation) that failed. */
  error?: string
  /** pipeline.json reconciliations run after the flows (each also a row of system.reconciliation_log). */
  reconciliations?: { source: string; target: string; status: 'PASS' | 'WARN' | 'FAIL' | 'ERROR'; remarks: string }[]
}

export type PipelineEvent =
  | { type: 'run_started'; runId: string; pipeline: string; flows: string[] }
  | { type: 'flow_started'; runId: string; flow: string; target: string }
  | { type: 'flow_finished'; runId: string; result: FlowResult }
  | { type: 'run_finished'; runId: string; result: PipelineRunResult }

/** A failure that names its flow; `code` is stable for tests and the API. */
export class PipelineRunError extends Error {
  constructor(readonly code: string, message: string, readonly detail: Record<string, unknown> = {}) {
    super(message)
    this.name = 'PipelineRunError'
  }
}
