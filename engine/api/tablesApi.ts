// The tables domain of the Engine API: schemas, tables and each table's Delta history.

/** A Delta table in the lakehouse, addressed as `schema.name`. */
export interface TableRef {
  schema: string
  name: string
  /** Absolute path of the table folder (the one holding _delta_log/). */
  path: string
}

/** One commit of a table, as DESCRIBE HISTORY reports it (newest first). */
export interface HistoryEntry {
  version: number
  /** Commit time in milliseconds since the epoch. */
  timestamp: number
  operation: string
  operationParameters: Record<string, unknown>
  operationMetrics: Record<string, unknown>
  /** Version the commit was based on, when the writer recorded it. */
  readVersion?: number
  isBlindAppend?: boolean
  engineInfo?: string
  isolationLevel?: string
  userMetadata?: string
}

/** A column as the version browser shows it; `type` is Spark type text (bigint, string, struct<a:int>, ...). */
export interface ColumnDescription {
  name: string
  type: string
  nullable: boolean
  comment?: string
}

/** One top-level column difference between two versions' schemas. */
export type SchemaChange = { column: string; change: 'added' | 'removed' | 'typeChanged' | 'nullabilityChanged'; from?: string; to?: string }

/** A live data file with its parsed statistics. */
export interface DataFileInfo {
  path: string
  sizeBytes: number
  rows: number | null
  partitionValues: Record<string, string | null>
  minValues: Record<string, unknown>
  maxValues: Record<string, unknown>
  nullCount: Record<string, number>
  deletionVectorRows: number | null
}

/** Everything the browser shows for one version of a table. */
export interface VersionInfo {
  table: string
  version: number
  timestamp: number
  operation: string
  schema: ColumnDescription[]
  /** vs the previous version; [] at v0. */
  schemaChanges: SchemaChange[]
  partitionColumns: string[]
  numFiles: number
  sizeBytes: number
  numRecords: number | null
  /** Live files at that version (at most 1000; `filesTruncated` when more). */
  files: DataFileInfo[]
  filesTruncated: boolean
  /** The commit's raw actions, in file order. */
  actions: { kind: string; json: string }[]
  /** From operationMetrics where present. */
  rowsAdded: number | null
  rowsRemoved: number | null
}

/** The row-level difference of two versions, matched by key. */
export interface VersionDiff {
  table: string
  from: number
  to: number
  /** Key used (given or inferred: a unique non-null column set). */
  key: string[]
  keyInferred: boolean
  added: number
  removed: number
  changed: number
  unchanged: number
  schemaChanges: SchemaChange[]
  /**
   * Arrow IPC of up to `limit` rows: columns `_change` ('added'|'removed'|'changed'), the key columns, then for each
   * other column `<c>` (to-version value) and `<c>__from` (from-version value).
   */
  rows: Uint8Array
  /** column -> number of changed rows where it differs. */
  changedColumns: Record<string, number>
}

export interface RestorePreview {
  table: string
  toVersion: number
  currentVersion: number
  filesToRemove: number
  filesToAdd: number
  rowsAfter: number | null
  rowsNow: number | null
}

export interface VacuumResult {
  table: string
  dryRun: boolean
  retentionHours: number
  files: string[]
  bytes: number
}

export interface OptimizeResult {
  table: string
  /** The OPTIMIZE commit; null when there was nothing to compact. */
  version: number | null
  filesRemoved: number
  filesAdded: number
  bytesBefore: number
  bytesAfter: number
}

export interface TablesApi {
  /** Schema names (bronze, silver, gold, system, ...), sorted. */
  listSchemas(): Promise<string[]>
  /** Tables of one schema, or of all schemas when `schema` is omitted. */
  listTables(arg?: { schema?: string }): Promise<TableRef[]>
  /** Commits of `table` (`schema.name`), newest first, at most `limit` of them. */
  history(arg: { table: string; limit?: number }): Promise<HistoryEntry[]>
  /** Schema (with changes), files, raw actions and row counts of one version. */
  versionInfo(arg: { table: string; version: number }): Promise<VersionInfo>
  /** The first `limit` rows (default 100) of a version as Arrow IPC. */
  preview(arg: { table: string; version: number; limit?: number }): Promise<{ rows: Uint8Array; rowCount: number }>
  /** Row and schema differences between two versions, by `key` (inferred when omitted). */
  diff(arg: { table: string; from: number; to: number; key?: string[]; limit?: number }): Promise<VersionDiff>
  /** What restore would change, without writing. */
  restorePreview(arg: { table: string; version: number }): Promise<RestorePreview>
  /** RESTORE to `version`; returns the new version. */
  restore(arg: { table: string; version: number }): Promise<{ version: number }>
  optimize(arg: { table: string; where?: string; zorderBy?: string[] }): Promise<OptimizeResult>
  vacuum(arg: { table: string; retentionHours?: number; dryRun: boolean }): Promise<VacuumResult>
  /** DESCRIBE DETAIL's row. */
  detail(arg: { table: string }): Promise<Record<string, unknown>>
  /** Column statistics and candidate keys of a version (latest when `version` is omitted), computed by scanning its data. */
  profile(arg: { table: string; version?: number }): Promise<TableProfile>
  /** Stops the profiles running now; each rejects with CANCELLED. */
  cancelProfile(): Promise<void>
  /** Rows, size, files, version and last change of every table, from the Delta logs only (no data is read). */
  summaries(): Promise<TableSummary[]>
}

/** How a column is profiled: numbers get moments, quartiles, outliers and a histogram; nested and binary only counts. */
export type ProfileColumnKind = 'numeric' | 'string' | 'temporal' | 'boolean' | 'nested' | 'other'

/** Equal-width bins over [min, max]; temporal edges are epoch seconds (`scale` says how to print them). */
export interface ProfileHistogram {
  scale: 'number' | 'date' | 'timestamp'
  bins: { lower: number; upper: number; count: number }[]
}

/** Values beyond the IQR fences (q1 − 1.5×IQR, q3 + 1.5×IQR), with the most extreme few as examples. */
export interface ProfileOutliers {
  count: number
  lowerFence: number
  upperFence: number
  /** Up to three lowest then up to three highest outlying values, as SQL prints them. */
  examples: string[]
}

/** One column's statistics at one version. Fields a kind does not have are null (or [] for topValues). */
export interface ColumnProfile {
  name: string
  /** Spark type text (bigint, string, struct<a:int>, ...). */
  type: string
  kind: ProfileColumnKind
  /** Non-null values. */
  count: number
  nulls: number
  /** nulls as a percentage of the table's rows (0 for an empty table). */
  nullPercent: number
  distinct: number | null
  /** false when the table is larger than TableProfile.exactDistinctLimit and approx_count_distinct estimated it. */
  distinctExact: boolean
  /** Smallest and largest value as SQL prints them. */
  min: string | null
  max: string | null
  mean: number | null
  stddev: number | null
  /** quantile_cont at 0.25, 0.5 and 0.75. */
  quartiles: [number, number, number] | null
  /** String lengths in characters. */
  minLength: number | null
  maxLength: number | null
  /** The 5 most frequent non-null values with their counts (ties by value text); [] when every value is distinct. */
  topValues: { value: string; count: number }[]
  outliers: ProfileOutliers | null
  histogram: ProfileHistogram | null
}

/** A version's profile: per-column statistics plus the column sets that identify a row. */
export interface TableProfile {
  table: string
  version: number
  rows: number
  columns: ColumnProfile[]
  /** Single columns that are unique and non-null, then the 2-column combinations that are (neither column a key alone). */
  candidateKeys: string[][]
  /** The bounded pair search: which columns were paired, how many pairs were counted, whether every eligible pair was. */
  keySearch: { pairColumns: string[]; pairsChecked: number; exhaustive: boolean }
  /** Tables with more rows than this get approximate distinct counts. */
  exactDistinctLimit: number
  elapsedMs: number
}

/** What the explorer shows for a table, read from its Delta log at the latest version. */
export interface TableSummary {
  schema: string
  name: string
  /** Sum of the live files' stats.numRecords (minus deletion-vector rows); null when a file has no numRecords. */
  rows: number | null
  sizeBytes: number | null
  numFiles: number | null
  version: number | null
  /** Commit time of the latest version, ms since the epoch. */
  lastModified: number | null
  /** Why the log could not be read (the other fields are then null). */
  error?: string
}
