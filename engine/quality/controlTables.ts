// The pipeline's control tables as plain rows: system.reconciliation_log (newest first) and system.watermark_control.
import type { ReconciliationEntry, WatermarkEntry } from '../api/qualityApi'
import { type QualityContext, columnOrNull, numberOrNull, scanLatest, stringOrNull } from './tableScan'

/** Reconciliation rows a call returns when the caller gives no limit. */
export const DEFAULT_RECONCILIATION_LIMIT = 200

/**
 * The newest `limit` rows of system.reconciliation_log (default 200), newest first. The per-column sums are stored as
 * JSON objects; text that does not parse as one reads as no sums. Empty when no reconciliation has run.
 * @throws DeltaError when the table exists but cannot be read.
 */
export async function reconciliationLog(ctx: QualityContext, limit = DEFAULT_RECONCILIATION_LIMIT): Promise<ReconciliationEntry[]> {
  const scan = await scanLatest(ctx, 'system', 'reconciliation_log')
  if (!scan) return []
  const col = (name: string, cast?: string) => columnOrNull(scan, name, cast)
  const rows = await ctx.session.query(`
    SELECT ${col('batch_id')}, ${col('source_table')}, ${col('target_table')}, ${col('source_count', 'BIGINT')}, ${col('target_count', 'BIGINT')},
      ${col('variance', 'DOUBLE')}, ${col('source_sums')}, ${col('target_sums')}, ${col('source_distinct_keys', 'BIGINT')},
      ${col('target_distinct_keys', 'BIGINT')}, ${col('status')}, ${col('remarks')},
      epoch_ms(${scan.columns.has('process_timestamp') ? 'process_timestamp' : 'CAST(NULL AS TIMESTAMPTZ)'})::BIGINT AS processed_ms
    FROM (${scan.sql}) AS r ORDER BY processed_ms DESC NULLS LAST, batch_id DESC, source_table, target_table LIMIT ${Math.floor(limit)}`)
  return rows.map((r) => ({
    batchId: String(r.batch_id ?? ''),
    sourceTable: String(r.source_table ?? ''),
    targetTable: String(r.target_table ?? ''),
    sourceCount: Number(r.source_count ?? 0),
    targetCount: Number(r.target_count ?? 0),
    variance: numberOrNull(r.variance),
    sourceSums: sumsOf(r.source_sums),
    targetSums: sumsOf(r.target_sums),
    sourceDistinctKeys: numberOrNull(r.source_distinct_keys),
    targetDistinctKeys: numberOrNull(r.target_distinct_keys),
    status: String(r.status ?? ''),
    remarks: String(r.remarks ?? ''),
    processedAt: Number(r.processed_ms ?? 0)
  }))
}

/** `{"column": "exact decimal text"}` as written by reconcile(); anything else is no sums. */
function sumsOf(value: unknown): Record<string, string> | null {
  if (typeof value !== 'string') return null
  try {
    const parsed: unknown = JSON.parse(value)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
  } catch {
    return null
  }
}

/**
 * Every row of system.watermark_control, sorted by source system then table. Empty when the lakehouse keeps no
 * watermarks (pipeline.json configures none, or nothing ran yet).
 * @throws DeltaError when the table exists but cannot be read.
 */
export async function watermarkRows(ctx: QualityContext): Promise<WatermarkEntry[]> {
  const scan = await scanLatest(ctx, 'system', 'watermark_control')
  if (!scan) return []
  const ms = (name: string) => `epoch_ms(${scan.columns.has(name) ? name : 'CAST(NULL AS TIMESTAMPTZ)'})::BIGINT AS ${name}_ms`
  const rows = await ctx.session.query(`
    SELECT ${columnOrNull(scan, 'source_system')}, ${columnOrNull(scan, 'table_name')}, ${columnOrNull(scan, 'watermark_column')},
      ${ms('last_processed_timestamp')}, ${columnOrNull(scan, 'process_date', 'VARCHAR')}, ${columnOrNull(scan, 'status')},
      ${ms('created_at')}, ${ms('updated_at')}
    FROM (${scan.sql}) AS w ORDER BY source_system, table_name`)
  return rows.map((r) => ({
    sourceSystem: String(r.source_system ?? ''),
    tableName: String(r.table_name ?? ''),
    watermarkColumn: stringOrNull(r.watermark_column),
    lastProcessedTimestamp: numberOrNull(r.last_processed_timestamp_ms),
    processDate: stringOrNull(r.process_date),
    status: String(r.status ?? ''),
    createdAt: numberOrNull(r.created_at_ms),
    updatedAt: numberOrNull(r.updated_at_ms)
  }))
}
