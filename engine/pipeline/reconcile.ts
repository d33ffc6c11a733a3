// Source-vs-target reconciliation (counts, exact sums, distinct keys) judged PASS/WARN/FAIL and logged to system.reconciliation_log.
import { DeltaTable } from '../delta/deltaTable'
import { DeltaError, isDeltaError } from '../delta/errors'
import { sqlIdent, sqlString, type ParquetPort } from '../delta/parquetPort'
import type { StructType } from '../delta/schema'
import { field } from '../delta/typeMapping'

/**
 * One row per reconcile() call. The per-column sums are JSON objects `{"column": "exact decimal text"}` in
 * source_sums / target_sums (one row per batch keeps the log readable next to the seed's single-row layout).
 */
export const RECONCILIATION_LOG_SCHEMA: StructType = {
  type: 'struct',
  fields: [
    field('batch_id', 'string'),
    field('source_table', 'string'),
    field('target_table', 'string'),
    field('source_count', 'long'),
    field('target_count', 'long'),
    field('variance', 'double'),
    field('source_sums', 'string'),
    field('target_sums', 'string'),
    field('source_distinct_keys', 'long'),
    field('target_distinct_keys', 'long'),
    field('status', 'string'),
    field('remarks', 'string'),
    field('process_timestamp', 'timestamp')
  ]
}

export type ReconciliationStatus = 'PASS' | 'WARN' | 'FAIL'

export interface ReconciliationConfig {
  source: string
  target: string
  /** Distinct key counts compared when given. */
  keyColumns?: string[]
  /** Exact sums compared per column when given. */
  sumColumns?: string[]
  /** |variance| <= warnThreshold passes. */
  warnThreshold: number
  /** |variance| <= failThreshold warns; beyond fails. */
  failThreshold: number
  /** DuckDB conditions applied to the source / target rows. */
  sourceFilter?: string
  targetFilter?: string
}

export interface ReconciliationCheck {
  check: 'count' | 'sum' | 'distinct_keys'
  column?: string
  /** Exact values as text (counts, decimal sums). */
  source: string
  target: string
  /** (target - source) / source; 0 when both are 0; null (never within a threshold) when only the source is 0. */
  variance: number | null
  status: ReconciliationStatus
}

export interface ReconciliationResult {
  batchId: string
  sourceTable: string
  targetTable: string
  sourceCount: number
  targetCount: number
  /** The count variance (the log's `variance` column). */
  variance: number | null
  sourceSums: Record<string, string>
  targetSums: Record<string, string>
  sourceDistinctKeys: number | null
  targetDistinctKeys: number | null
  /** The worst status of all checks. */
  status: ReconciliationStatus
  remarks: string
  processTimestamp: Date
  checks: ReconciliationCheck[]
}

export interface ReconcileContext {
  port: ParquetPort
  clock: { now(): number }
  lakehouse: { tablePath(schema: string, name: string): string }
}

const RANK: Record<ReconciliationStatus, number> = { PASS: 0, WARN: 1, FAIL: 2 }

function judge(variance: number | null, config: ReconciliationConfig): ReconciliationStatus {
  if (variance === null || Number.isNaN(variance)) return 'FAIL'
  const size = Math.abs(variance)
  if (size <= config.warnThreshold) return 'PASS'
  return size <= config.failThreshold ? 'WARN' : 'FAIL'
}

function percent(v: number | null): string {
  return v === null ? 'undefined (source is 0)' : `${(v * 100).toFixed(2)}%`
}

/** Aggregates of one side: count, exact sums (integers and decimals sum exactly in DuckDB), distinct keys. */
function sideSql(sql: string, filter: string | undefined, config: ReconciliationConfig): string {
  const sums = (config.sumColumns ?? []).map((c, i) => `coalesce(sum(${sqlIdent(c)}), 0) AS "sum${i}"`)
  const keys = config.keyColumns ?? []
  const distinct = keys.length === 0 ? 'NULL' : keys.length === 1 ? `count(DISTINCT ${sqlIdent(keys[0]!)})` : `count(DISTINCT ROW(${keys.map(sqlIdent).join(', ')}))`
  const where = filter ? ` WHERE ${filter}` : ''
  return `SELECT count(*) AS n${sums.map((s) => `, ${s}`).join('')}, ${distinct} AS keys FROM (${sql.trim().replace(/;+\s*$/, '')}) AS side_rows${where}`
}

async function openLog(ctx: ReconcileContext): Promise<DeltaTable> {
  const root = ctx.lakehouse.tablePath('system', 'reconciliation_log')
  if (await DeltaTable.exists(root)) return DeltaTable.open(root, ctx.port, { clock: ctx.clock })
  try {
    return await DeltaTable.create(root, ctx.port, { schema: RECONCILIATION_LOG_SCHEMA, name: 'reconciliation_log', description: 'Source vs target reconciliation per batch' }, { clock: ctx.clock })
  } catch (e) {
    if (!isDeltaError(e, 'TABLE_ALREADY_EXISTS')) throw e
    return DeltaTable.open(root, ctx.port, { clock: ctx.clock })
  }
}

/**
 * Compares the rows of `sources.sourceSql` and `sources.targetSql` (DuckDB SELECTs, each narrowed by its filter):
 * row counts, exact sums of `sumColumns`, distinct `keyColumns` values. Each check's variance is
 * (target - source) / source; a check passes within warnThreshold, warns up to failThreshold and fails beyond; the
 * result's status is the worst check, and `remarks` names every check that did not pass. Appends one row to
 * system.reconciliation_log (created on first use) and returns it.
 * @throws DeltaError INVALID_ARGUMENT when the thresholds are negative or warnThreshold > failThreshold;
 *   Error from DuckDB naming the side when a query, filter or column does not bind; DeltaError from the log commit.
 */
export async function reconcile(ctx: ReconcileContext, config: ReconciliationConfig, sources: { sourceSql: string; targetSql: string }, batchId: string): Promise<ReconciliationResult> {
  if (!(config.warnThreshold >= 0) || !(config.failThreshold >= config.warnThreshold)) {
    throw new DeltaError('INVALID_ARGUMENT', `reconciliation ${config.source} -> ${config.target}: need 0 <= warnThreshold <= failThreshold, got ${config.warnThreshold} and ${config.failThreshold}`)
  }
  const sumColumns = config.sumColumns ?? []
  const sums = sumColumns.map((_, i) => `CAST(s."sum${i}" AS VARCHAR) AS "ss${i}", CAST(t."sum${i}" AS VARCHAR) AS "ts${i}",
    CASE WHEN s."sum${i}" = 0 THEN (CASE WHEN t."sum${i}" = 0 THEN 0.0 ELSE NULL END) ELSE CAST(t."sum${i}" - s."sum${i}" AS DOUBLE) / CAST(s."sum${i}" AS DOUBLE) END AS "sv${i}"`)
  const query = async () => {
    try {
      return (await ctx.port.query(`WITH s AS (${sideSql(sources.sourceSql, config.sourceFilter, config)}), t AS (${sideSql(sources.targetSql, config.targetFilter, config)})
        SELECT s.n AS sn, t.n AS tn, s.keys AS sk, t.keys AS tk${sums.map((x) => `, ${x}`).join('')} FROM s, t`))[0]!
    } catch (e) {
      throw new Error(`reconciliation ${config.source} -> ${config.target}: ${(e as Error).message.split('\n')[0]}`)
    }
  }
  const row = await query()
  const ratio = (s: number, t: number) => (s === 0 ? (t === 0 ? 0 : null) : (t - s) / s)
  const sourceCount = Number(row.sn)
  const targetCount = Number(row.tn)
  const checks: ReconciliationCheck[] = []
  const countVariance = ratio(sourceCount, targetCount)
  checks.push({ check: 'count', source: String(sourceCount), target: String(targetCount), variance: countVariance, status: judge(countVariance, config) })
  const sourceSums: Record<string, string> = {}
  const targetSums: Record<string, string> = {}
  sumColumns.forEach((c, i) => {
    sourceSums[c] = String(row[`ss${i}`])
    targetSums[c] = String(row[`ts${i}`])
    const v = row[`sv${i}`] === null ? null : Number(row[`sv${i}`])
    checks.push({ check: 'sum', column: c, source: sourceSums[c]!, target: targetSums[c]!, variance: v, status: judge(v, config) })
  })
  const keyed = (config.keyColumns ?? []).length > 0
  const sourceDistinctKeys = keyed ? Number(row.sk) : null
  const targetDistinctKeys = keyed ? Number(row.tk) : null
  if (keyed) {
    const v = ratio(sourceDistinctKeys!, targetDistinctKeys!)
    checks.push({ check: 'distinct_keys', column: config.keyColumns!.join(', '), source: String(sourceDistinctKeys), target: String(targetDistinctKeys), variance: v, status: judge(v, config) })
  }
  const status = checks.reduce<ReconciliationStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'PASS')
  const failing = checks.filter((c) => c.status !== 'PASS')
  const remarks = failing.length === 0
    ? `all ${checks.length} check(s) within ${percent(config.warnThreshold)}`
    : failing.map((c) => `${c.status} ${c.check}${c.column ? ` (${c.column})` : ''}: source ${c.source}, target ${c.target}, variance ${percent(c.variance)} ${c.status === 'WARN' ? `above warn threshold ${percent(config.warnThreshold)}` : `beyond fail threshold ${percent(config.failThreshold)}`}`).join('; ')
  const now = ctx.clock.now()
  const result: ReconciliationResult = {
    batchId, sourceTable: config.source, targetTable: config.target, sourceCount, targetCount, variance: countVariance,
    sourceSums, targetSums, sourceDistinctKeys, targetDistinctKeys, status, remarks, processTimestamp: new Date(now), checks
  }
  const lit = (v: string | number | null, type: string) => (v === null ? `CAST(NULL AS ${type})` : `CAST(${typeof v === 'number' ? String(v) : sqlString(v)} AS ${type})`)
  const log = await openLog(ctx)
  await log.write({
    mode: 'append',
    sourceSql: `SELECT ${lit(batchId, 'VARCHAR')} AS batch_id, ${lit(config.source, 'VARCHAR')} AS source_table, ${lit(config.target, 'VARCHAR')} AS target_table,
      ${lit(sourceCount, 'BIGINT')} AS source_count, ${lit(targetCount, 'BIGINT')} AS target_count, ${lit(countVariance, 'DOUBLE')} AS variance,
      ${lit(sumColumns.length ? JSON.stringify(sourceSums) : null, 'VARCHAR')} AS source_sums, ${lit(sumColumns.length ? JSON.stringify(targetSums) : null, 'VARCHAR')} AS target_sums,
      ${lit(sourceDistinctKeys, 'BIGINT')} AS source_distinct_keys, ${lit(targetDistinctKeys, 'BIGINT')} AS target_distinct_keys,
      ${lit(status, 'VARCHAR')} AS status, ${lit(remarks, 'VARCHAR')} AS remarks, (epoch_ms(CAST(${Math.trunc(now)} AS BIGINT)) AT TIME ZONE 'UTC') AS process_timestamp`
  })
  return result
}
