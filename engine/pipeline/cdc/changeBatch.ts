// One micro-batch of CDC change rows, materialised once with its sequence, delete and truncate flags and resolved columns.
import { randomUUID } from 'node:crypto'
import { DeltaError } from '../../delta/errors'
import { sqlIdent, type ParquetPort } from '../../delta/parquetPort'
import type { CdcSpec } from '../model'

/** Internal column names added to the staged changes; user columns with these names are rejected. */
export const SEQ = '__lakebench_seq'
export const IS_DELETE = '__lakebench_delete'
export const IS_TRUNCATE = '__lakebench_truncate'

export interface ColumnInfo {
  name: string
  /** DuckDB type as DESCRIBE prints it. */
  type: string
}

/** The staged batch: a temp table with the change columns plus SEQ / IS_DELETE / IS_TRUNCATE. */
export interface ChangeBatch {
  relation: string
  rowCount: number
  /** Key columns, spelled as in the change rows. */
  keys: ColumnInfo[]
  /** Columns stored in the target (COLUMNS include / * EXCEPT applied), keys first-as-written order of the source. */
  dataColumns: ColumnInfo[]
  /** DuckDB type of the SEQUENCE BY expression (also the type of __START_AT / __END_AT). */
  sequenceType: string
  drop(): Promise<void>
}

function trimSql(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '')
}

function resolveColumn(columns: readonly ColumnInfo[], name: string, role: string, flow: string): ColumnInfo {
  const bare = name.trim().replace(/^`(.*)`$/, '$1')
  const found = columns.find((c) => c.name.toLowerCase() === bare.toLowerCase())
  if (!found) {
    throw new DeltaError('INVALID_ARGUMENT', `${flow}: ${role} column '${bare}' is not a column of the change source (columns: ${columns.map((c) => c.name).join(', ')})`, { column: bare })
  }
  return found
}

/** The target's data columns: COLUMNS a, b keeps those (keys always kept); COLUMNS * EXCEPT (...) drops those. */
export function selectDataColumns(all: readonly ColumnInfo[], keys: readonly ColumnInfo[], spec: CdcSpec, flow: string): ColumnInfo[] {
  const include = spec.columns?.include
  const except = spec.columns?.except
  if (include && include.length > 0) {
    const chosen = new Set(include.map((c) => resolveColumn(all, c, 'COLUMNS', flow).name))
    for (const k of keys) chosen.add(k.name)
    return all.filter((c) => chosen.has(c.name))
  }
  if (except && except.length > 0) {
    const dropped = new Set(except.map((c) => resolveColumn(all, c, 'COLUMNS * EXCEPT', flow).name))
    for (const k of keys) {
      if (dropped.has(k.name)) throw new DeltaError('INVALID_ARGUMENT', `${flow}: key column '${k.name}' cannot be excluded by COLUMNS * EXCEPT`, { column: k.name })
    }
    return all.filter((c) => !dropped.has(c.name))
  }
  return [...all]
}

/** The columns whose changes open a new SCD2 version: TRACK HISTORY ON list / * EXCEPT, else every non-key data column. */
export function trackedColumns(dataColumns: readonly ColumnInfo[], keys: readonly ColumnInfo[], spec: CdcSpec, flow: string): ColumnInfo[] {
  const keyNames = new Set(keys.map((k) => k.name))
  const candidates = dataColumns.filter((c) => !keyNames.has(c.name))
  const include = spec.trackHistory?.include
  const except = spec.trackHistory?.except
  if (include && include.length > 0) {
    const chosen = new Set(include.map((c) => resolveColumn(dataColumns, c, 'TRACK HISTORY ON', flow).name))
    return candidates.filter((c) => chosen.has(c.name))
  }
  if (except && except.length > 0) {
    const dropped = new Set(except.map((c) => resolveColumn(dataColumns, c, 'TRACK HISTORY ON * EXCEPT', flow).name))
    return candidates.filter((c) => !dropped.has(c.name))
  }
  return candidates
}

/**
 * Runs `changesSql` once into a temp table, adding the SEQUENCE BY value and the delete / truncate flags (a NULL
 * condition counts as false), and resolves keys and target columns.
 * @throws DeltaError INVALID_ARGUMENT naming the column or row: unknown key / COLUMNS / TRACK HISTORY column, a change
 *   column using a reserved name (__START_AT, __END_AT, __lakebench_*), a NULL sequence value, or a NULL key.
 * @throws Error from DuckDB when the change query or one of the expressions does not run.
 */
export async function stageChangeBatch(port: ParquetPort, changesSql: string, spec: CdcSpec, expressions: { sequence: string; deleteWhen?: string; truncateWhen?: string }, flow: string): Promise<ChangeBatch> {
  const relation = sqlIdent(`__lakebench_cdc_changes_${randomUUID().replace(/-/g, '')}`)
  const deleteSql = expressions.deleteWhen ? `coalesce(CAST((${expressions.deleteWhen}) AS BOOLEAN), false)` : 'false'
  const truncateSql = expressions.truncateWhen ? `coalesce(CAST((${expressions.truncateWhen}) AS BOOLEAN), false)` : 'false'
  await port.exec(
    `CREATE TEMP TABLE ${relation} AS SELECT change_rows.*, (${expressions.sequence}) AS ${SEQ}, ${deleteSql} AS ${IS_DELETE}, ${truncateSql} AS ${IS_TRUNCATE} FROM (${trimSql(changesSql)}) AS change_rows`
  )
  const drop = async () => { await port.exec(`DROP TABLE IF EXISTS ${relation}`) }
  try {
    const described = await port.query(`DESCRIBE ${relation}`)
    const all: ColumnInfo[] = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
    const sequenceType = all.find((c) => c.name === SEQ)!.type
    const userColumns = all.filter((c) => c.name !== SEQ && c.name !== IS_DELETE && c.name !== IS_TRUNCATE)
    for (const c of userColumns) {
      const lower = c.name.toLowerCase()
      if (lower === '__start_at' || lower === '__end_at' || lower.startsWith('__lakebench_')) {
        throw new DeltaError('INVALID_ARGUMENT', `${flow}: the change source has column '${c.name}', a name reserved for CDC bookkeeping; exclude it with COLUMNS * EXCEPT or rename it`, { column: c.name })
      }
    }
    const keys = spec.keys.map((k) => resolveColumn(userColumns, k, 'KEYS', flow))
    const dataColumns = selectDataColumns(userColumns, keys, spec, flow)
    const counts = (await port.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE ${SEQ} IS NULL) AS null_seq, count(*) FILTER (WHERE ${keys.map((k) => `${sqlIdent(k.name)} IS NULL`).join(' OR ')}) AS null_key,
         CAST(to_json(any_value(change_rows) FILTER (WHERE ${SEQ} IS NULL)) AS VARCHAR) AS seq_example,
         CAST(to_json(any_value(change_rows) FILTER (WHERE ${keys.map((k) => `${sqlIdent(k.name)} IS NULL`).join(' OR ')})) AS VARCHAR) AS key_example
       FROM ${relation} AS change_rows`
    ))[0]!
    if (Number(counts.null_seq) > 0) {
      throw new DeltaError('INVALID_ARGUMENT', `${flow}: ${Number(counts.null_seq)} change row(s) have a NULL SEQUENCE BY value (${spec.sequenceBy}), e.g. ${String(counts.seq_example)}`, { rows: Number(counts.null_seq) })
    }
    if (Number(counts.null_key) > 0) {
      throw new DeltaError('INVALID_ARGUMENT', `${flow}: ${Number(counts.null_key)} change row(s) have a NULL key (${keys.map((k) => k.name).join(', ')}), e.g. ${String(counts.key_example)}`, { rows: Number(counts.null_key) })
    }
    return { relation, rowCount: Number(counts.n), keys, dataColumns, sequenceType, drop }
  } catch (e) {
    await drop()
    throw e
  }
}
