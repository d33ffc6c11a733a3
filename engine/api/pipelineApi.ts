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
}
