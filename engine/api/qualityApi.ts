// The quality domain of the Engine API: quarantine tables, expectation pass rates, reconciliation results, watermarks.

/** One expectation that sent rows to a quarantine table, with how many of its rows failed it. */
export interface QuarantineExpectation {
  /** The expectation's name (`CONSTRAINT name EXPECT ...`). */
  name: string
  /** Its SQL condition as the pipeline declared it, or null when the quarantine rows do not record it. */
  condition: string | null
  /** Quarantined rows that failed this expectation (a row failing several counts once for each). */
  failedRows: number
}

/** A `<schema>.<table>_quarantine` table. */
export interface QuarantineTableInfo {
  /** `schema.table_quarantine`. */
  table: string
  /** The table it guards (`schema.table`). */
  guards: string
  rowCount: number
  /** Expectations named by its rows, most failed rows first. */
  expectations: QuarantineExpectation[]
  /** When the newest row was quarantined (ms since the epoch), or null for an empty table. */
  lastQuarantinedAt: number | null
}

/** One expectation of one dataset, from system.quality_results. */
export interface ExpectationPassRate {
  pipeline: string
  /** The stored dataset (`schema.table`). */
  dataset: string
  expectation: string
  /** `warn`, `drop` or `fail` (ON VIOLATION). */
  action: string
  /** Rows that passed / failed in the latest run that evaluated it. */
  passed: number
  failed: number
  /** When that run evaluated it (ms since the epoch). */
  evaluatedAt: number
  runId: string
  /** Sums over every run on record. */
  totalPassed: number
  totalFailed: number
}

export interface QualityOverview {
  /** Every quarantine table of the lakehouse, sorted by name. */
  quarantineTables: QuarantineTableInfo[]
  /** Latest pass rates, sorted by dataset then expectation; empty before the first pipeline run. */
  expectations: ExpectationPassRate[]
}

export interface QuarantineRowsArg {
  /** `schema.table_quarantine`. */
  table: string
  /** Only rows that failed this expectation. */
  expectation?: string
  /** Rows to return (default 500). */
  limit?: number
  offset?: number
}

/**
 * Quarantined rows, newest first. The Arrow columns start with `_expectation` (failed expectation names, comma
 * separated), `_condition` (their SQL conditions, `; ` separated) and `_reason`, then the row's own columns, then
 * `_batch_id` and `_quarantined_at`.
 */
export interface QuarantineRows {
  table: string
  expectation: string | null
  rows: Uint8Array
  rowCount: number
  /** Rows matching the filter in the whole table (for paging). */
  totalCount: number
  offset: number
}

/** A row of system.reconciliation_log. */
export interface ReconciliationEntry {
  /** The pipeline run that reconciled. */
  batchId: string
  sourceTable: string
  targetTable: string
  sourceCount: number
  targetCount: number
  /** (target - source) / source of the counts; null when only the source is 0. */
  variance: number | null
  /** Exact per-column sums as decimal text; null when the check compared no sums. */
  sourceSums: Record<string, string> | null
  targetSums: Record<string, string> | null
  sourceDistinctKeys: number | null
  targetDistinctKeys: number | null
  /** PASS, WARN or FAIL. */
  status: string
  remarks: string
  /** When it ran (ms since the epoch). */
  processedAt: number
}

/** A row of system.watermark_control. */
export interface WatermarkEntry {
  sourceSystem: string
  tableName: string
  watermarkColumn: string | null
  /** The watermark (ms since the epoch), null until a run succeeded. */
  lastProcessedTimestamp: number | null
  /** `YYYY-MM-DD` of the last status change. */
  processDate: string | null
  /** RUNNING, SUCCESS or FAILED. */
  status: string
  createdAt: number | null
  updatedAt: number | null
}

export interface QualityApi {
  /** Every quarantine table with its counts, and the latest expectation pass rates. Empty before anything ran. */
  overview(): Promise<QualityOverview>
  /**
   * Rows of one quarantine table as Arrow IPC, optionally only those that failed `expectation`.
   * Fails with TABLE_NOT_FOUND when the table does not exist, NOT_A_QUARANTINE_TABLE when it is not one.
   */
  quarantine(arg: QuarantineRowsArg): Promise<QuarantineRows>
  /** system.reconciliation_log, newest first (default 200 rows); empty when no reconciliation ran. */
  reconciliation(arg?: { limit?: number }): Promise<ReconciliationEntry[]>
  /** system.watermark_control sorted by source system and table; empty when the pipeline keeps no watermarks. */
  watermarks(): Promise<WatermarkEntry[]>
}
