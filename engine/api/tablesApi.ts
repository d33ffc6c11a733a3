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
}
