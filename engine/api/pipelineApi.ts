// The pipeline domain of the Engine API: list, validate, run (progress as events) and cancel pipelines of the lakehouse.

/** Where a diagnostic points: a pipeline file, 1-based line and column. */
export interface PipelineDiagnosticInfo {
  severity: 'error' | 'warning'
  /** PARSE_ERROR, UNKNOWN_DATASET, CYCLE, UNSUPPORTED, ... */
  code: string
  message: string
  file: string
  line: number
  column: number
}

export interface PipelineDatasetInfo {
  /** Canonical dataset name as the pipeline writes it (`users`, `silver.users`). */
  name: string
  /** `schema.table` it is stored as; null for a temporary view. */
  table: string | null
  kind: 'streaming_table' | 'materialized_view' | 'temporary_view'
  /** Names of the datasets it reads. */
  dependsOn: string[]
}

export interface PipelineSummary {
  name: string
  /** Schema for unqualified dataset names. */
  target: string
  /** Datasets in run order (upstream first). */
  datasets: PipelineDatasetInfo[]
  /** Parse, graph and validation findings; any error means the pipeline will not run. */
  diagnostics: PipelineDiagnosticInfo[]
}

export interface PipelineFlowProgress {
  flow: string
  /** The table the flow writes. */
  target: string
  kind: 'streaming_table' | 'materialized_view' | 'temporary_view' | 'cdc'
  status: 'completed' | 'no_new_data' | 'unchanged' | 'failed' | 'skipped' | 'cancelled'
  rowsIn: number
  rowsWritten: number
  rowsQuarantined: number
  /** Watermarked streaming tables only: rows that arrived behind the watermark and went to `<table>_late`. */
  rowsLate?: number
  /** Watermarked stateful flows only: the watermark the flow's last batch ran with and the event-time range it read (ms, null = none). */
  eventTime?: { watermark: number | null; min: number | null; max: number | null }
  /** Stateful flows only (windows, sessions, stream-stream joins): state rows kept after the run, updated and evicted in it. */
  state?: { rowsTotal: number; rowsUpdated: number; rowsRemoved: number }
  expectations: { dataset: string; expectation: string; action: 'warn' | 'drop' | 'fail'; passed: number; failed: number }[]
  /** Version committed by the flow, or null. */
  version: number | null
  durationMs: number
  error?: string
  reason?: string
}

export type PipelineRunStatus = 'completed' | 'failed' | 'cancelled' | 'invalid'

export interface PipelineRunArg {
  name: string
  /** true = recompute every selected table; a list = recompute those tables. */
  fullRefresh?: true | string[]
  /** Only these tables and what they read. */
  select?: string[]
}

/** A file source a dataset reads: read_files(...) / cloud_files(...) over a landing path. */
export interface PipelineFileSourceInfo {
  function: 'read_files' | 'cloud_files'
  /** The path as the run resolves it (placeholders substituted), e.g. `landing/users`. */
  path: string
  format: string
  streaming: boolean
}

export interface PipelineExpectationInfo {
  name: string
  /** The boolean expression inside EXPECT (...). */
  expression: string
  action: 'warn' | 'drop' | 'fail'
  line: number
}

/** One statement of a pipeline file, as written, with where it starts. */
export interface PipelineSourceText {
  /** Path relative to the lakehouse folder, e.g. `pipelines/sbit/01_bronze.sql`. */
  file: string
  line: number
  column: number
  text: string
}

export interface PipelineDatasetDetail extends PipelineDatasetInfo {
  streaming: boolean
  comment?: string
  /** The CREATE statement, then each statement of a flow into the dataset (CREATE FLOW, APPLY CHANGES / AUTO CDC INTO). */
  definitions: PipelineSourceText[]
  /** Names of the flows that write the dataset (the name events and system.pipeline_events use). */
  flows: string[]
  fileSources: PipelineFileSourceInfo[]
  expectations: PipelineExpectationInfo[]
  /** `<schema>.<table>_quarantine` when the dataset has DROP ROW expectations and that table exists, else null. */
  quarantineTable: string | null
}

export interface PipelineDescription {
  name: string
  target: string
  /** Pipeline .sql files relative to the lakehouse folder, in run order. */
  files: string[]
  /** Datasets in run order (upstream first). */
  datasets: PipelineDatasetDetail[]
  diagnostics: PipelineDiagnosticInfo[]
}

/** One flow of a recorded run (a `flow_progress` row of system.pipeline_events with its quality_results). */
export interface PipelineFlowRunRecord {
  flow: string
  status: PipelineFlowProgress['status']
  startedAt: number
  endedAt: number
  rowsIn: number
  /** Rows read from incremental sources; null for materialized views and older records. */
  rowsRead: number | null
  rowsWritten: number
  rowsQuarantined: number
  durationMs: number
  version: number | null
  /** The error, or why the flow was skipped. */
  error: string | null
  expectations: { dataset: string; expectation: string; action: 'warn' | 'drop' | 'fail'; passed: number; failed: number }[]
}

/** A recorded run of a pipeline (its `update` row of system.pipeline_events and its flows). */
export interface PipelineRunRecord {
  runId: string
  pipeline: string
  status: PipelineRunStatus
  startedAt: number
  endedAt: number
  durationMs: number
  rowsIn: number
  rowsWritten: number
  rowsQuarantined: number
  error: string | null
  flows: PipelineFlowRunRecord[]
}

export interface PipelineApi {
  /** Every pipeline of the lakehouse (pipelines/<name>/), parsed, with its datasets and diagnostics. */
  list(): Promise<PipelineSummary[]>
  /** Parses and plans a pipeline without writing anything. */
  validate(arg: { name: string }): Promise<{ valid: boolean; diagnostics: PipelineDiagnosticInfo[]; order: string[] }>
  /**
   * Starts a run and returns at once; progress arrives as `pipeline.progress` events and the outcome as one
   * `pipeline.finished` event. Fails with PIPELINE_NOT_FOUND, or PIPELINE_RUNNING when that pipeline is already running.
   */
  run(arg: PipelineRunArg): Promise<{ runId: string }>
  /** Stops a run after the step in progress; tables keep their last committed versions. Unknown/finished ids are ignored. */
  cancel(arg: { runId: string }): Promise<void>
  /**
   * The pipeline's datasets with their definition text (file:line), flows, file sources, expectations and quarantine
   * table. Fails with PIPELINE_NOT_FOUND.
   */
  describe(arg: { name: string }): Promise<PipelineDescription>
  /** Recorded runs of the pipeline from system.pipeline_events, newest first (default 20); [] before the first run. */
  runs(arg: { name: string; limit?: number }): Promise<PipelineRunRecord[]>
}
