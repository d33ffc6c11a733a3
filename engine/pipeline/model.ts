// The parsed form of a pipeline: datasets, flows, expectations and sources, with where each was written.

/** 1-based position in a pipeline file. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

/** Character offsets [start, end) inside a Query's `sql`, so the runner can splice in what a reference reads. */
export interface Span {
  start: number
  end: number
}

/**
 * streaming_table: incremental, append-only input (also LIVE-era STREAMING LIVE TABLE);
 * materialized_view: recomputed from its query (also LIVE-era LIVE TABLE);
 * temporary_view: pipeline-private, never stored (CREATE TEMPORARY VIEW, CREATE [STREAMING] LIVE VIEW).
 */
export type DatasetKind = 'streaming_table' | 'materialized_view' | 'temporary_view'

export type ViolationAction = 'warn' | 'drop' | 'fail'

export interface Expectation {
  /** Constraint name as written, backticks removed (may contain spaces). */
  name: string
  /** The boolean Spark SQL expression inside EXPECT (...). */
  expression: string
  /** No ON VIOLATION clause = warn (keep the row, count it). */
  action: ViolationAction
  location: SourceLocation
}

export interface ColumnDefinition {
  name: string
  /** Spark type text as written (STRING, DECIMAL(10,2), ARRAY<STRING>...); absent when only a comment is given. */
  type?: string
  nullable: boolean
  comment?: string
  /** `GENERATED ALWAYS AS (expr)` expression, if any. */
  generatedAs?: string
}

/**
 * `WATERMARK named_expression DELAY OF interval` after a streamed relation (Databricks SQL, DBR 12+): declares the
 * relation's event time and how late rows may arrive. Parsed even when the interval is bad (`delayMs` null, `problem`
 * says why) so validate reports it at its location instead of failing the whole statement.
 */
export interface WatermarkClause {
  /** The event-time column: the column written, or the name a named expression (`to_timestamp(s) AS ts`) adds. */
  column: string
  /** The expression of `WATERMARK expr AS name`; absent when a plain column is written. */
  expression?: string
  /** The delay in milliseconds, or null when the interval could not be read. */
  delayMs: number | null
  /** The interval as written, e.g. `INTERVAL 10 MINUTES`. */
  delayText: string
  /** Why the interval is unusable (not parsed, not positive, a month or more). */
  problem?: string
  /** The clause from WATERMARK through the interval, in the Query's `sql` (removed before the query runs). */
  span: Span
  location: SourceLocation
  /** Where the interval starts, for diagnostics about it. */
  delayLocation: SourceLocation
}

/** A reference from a query to another dataset or table. */
export interface DatasetReference {
  /** Lower-cased name without the LIVE. prefix (`silver.users` stays qualified). */
  name: string
  /** Exactly as written, e.g. `LIVE.users`, `stream(live.users)`'s inner name. */
  written: string
  /** Read as a stream: STREAM(x), STREAM x, stream(LIVE.x). */
  streaming: boolean
  /** The whole reference in the query text, including STREAM( ) wrapping, to replace when running. */
  span: Span
  location: SourceLocation
  /** `STREAM(x) WATERMARK ts DELAY OF ...`: the event time declared on this relation. */
  watermark?: WatermarkClause
}

/** A file source: read_files(...) or the LIVE-era cloud_files(...). */
export interface FileSource {
  function: 'read_files' | 'cloud_files'
  /** The path argument as written (placeholders already substituted), e.g. `landing/users` or `/Volumes/...`. */
  path: string
  /** format => 'csv' | 'json' | 'parquet' | 'xml' | 'text' ... (lower-cased). */
  format: string
  /** Every other option, keys as written (header, schema, inferColumnTypes, cloudFiles.*, ...), values as strings. */
  options: Record<string, string>
  streaming: boolean
  span: Span
  location: SourceLocation
  /** `STREAM read_files(...) WATERMARK ts DELAY OF ...`: the event time declared on this source. */
  watermark?: WatermarkClause
}

/** A path-qualified table read such as delta.`/data/users` or parquet.`landing/x` (left in the query text as written). */
export interface PathRead {
  /** The qualifier, lower-cased: delta, parquet, json, csv... */
  format: string
  path: string
  streaming: boolean
  span: Span
  location: SourceLocation
}

export interface Query {
  /** The SELECT text as written, `${...}` placeholders substituted. */
  sql: string
  /** Where `sql` starts in its file. */
  location: SourceLocation
  references: DatasetReference[]
  fileSources: FileSource[]
  /** Path-qualified reads (delta.`/path`); absent when there are none. */
  pathReads?: PathRead[]
}

export interface Dataset {
  /** Lower-cased canonical name (`users`, or `silver.users` when written qualified). */
  name: string
  /** As written in the definition. */
  displayName: string
  kind: DatasetKind
  /** Streaming table, or a streaming (LIVE) view. */
  streaming: boolean
  columns: ColumnDefinition[]
  expectations: Expectation[]
  /** Informational PRIMARY KEY / FOREIGN KEY constraints, as written. */
  keyConstraints: string[]
  partitionColumns: string[]
  clusterBy: string[]
  comment?: string
  properties: Record<string, string>
  /** TEMPORARY / PRIVATE: kept inside the pipeline, not published (a temporary_view is always private). */
  temporary?: boolean
  /** Absent for a query-less streaming table that CDC or append flows fill. */
  query?: Query
  location: SourceLocation
}

export type ScdType = 1 | 2

export interface CdcSpec {
  /** FROM [STREAM] source; there is no Query here, so its span indexes the CDC statement's text. */
  source: DatasetReference
  keys: string[]
  /** SEQUENCE BY expression (a column or an expression such as struct(a, b)). */
  sequenceBy: string
  applyAsDeleteWhen?: string
  applyAsTruncateWhen?: string
  /** COLUMNS a, b or COLUMNS * EXCEPT (a, b); absent = all columns. */
  columns?: { include?: string[]; except?: string[] }
  scdType: ScdType
  /** TRACK HISTORY ON ... (SCD2 only). */
  trackHistory?: { include?: string[]; except?: string[] }
  ignoreNullUpdates: boolean
  /** The legacy APPLY CHANGES ... WHERE filter on source rows, if written. */
  where?: string
}

export interface Flow {
  /** Flow name: the dataset's own name for its defining query, else the CREATE FLOW name. */
  name: string
  /** Canonical name of the target dataset. */
  target: string
  kind: 'append' | 'cdc'
  /** The append flow's SELECT (INSERT INTO target ... or the dataset's own query). */
  query?: Query
  cdc?: CdcSpec
  /** INSERT INTO ONCE: runs once per full refresh. */
  once: boolean
  location: SourceLocation
}

/** Something a laptop cannot run (model UDFs, AI functions, Kafka, secrets, external catalogs): reported by validate. */
export interface UnsupportedFeature {
  feature: string
  detail: string
  location: SourceLocation
}

export interface PipelineDiagnostic {
  severity: 'error' | 'warning'
  /** PARSE_ERROR, UNKNOWN_DATASET, CYCLE, DUPLICATE_DATASET, MISSING_FLOW, UNSUPPORTED, UNRESOLVED_PLACEHOLDER, ... */
  code: string
  message: string
  location: SourceLocation
}

export interface PipelineDefinition {
  name: string
  /** Pipeline .sql files, in name order. */
  files: string[]
  datasets: Dataset[]
  flows: Flow[]
  unsupported: UnsupportedFeature[]
  /** Schema for unqualified dataset names (pipeline.json `target`), when known; used to resolve `schema.x` references. */
  target?: string
  /** Placeholder values and `SET key = value` settings in effect after the last file. */
  configuration?: Record<string, string>
}
