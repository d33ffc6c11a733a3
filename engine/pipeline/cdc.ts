// AUTO CDC / APPLY CHANGES: applies one micro-batch of change rows to an SCD1 or SCD2 streaming table in one Delta commit.
import { randomUUID } from 'node:crypto'
import { DeltaTable } from '../delta/deltaTable'
import { DeltaError, isDeltaError } from '../delta/errors'
import type { WriteArgs } from '../delta/operations/write'
import { sqlIdent, type ParquetPort } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import type { StructField, StructType } from '../delta/schema'
import { deltaTypeOf, duckdbTypeOf, field } from '../delta/typeMapping'
import { IS_DELETE, IS_TRUNCATE, SEQ, stageChangeBatch, trackedColumns, type ChangeBatch } from './cdc/changeBatch'
import { openCdcState } from './cdc/cdcState'
import { distinctKeysSql, keyMatchPredicate, mergeOperationParameters, scd1LatestSql, scd2ChainSql, type ResolveColumns } from './cdc/resolveSql'
import type { CdcSpec } from './model'

export { CDC_STATE_DIR, cdcStatePath, resetCdcState } from './cdc/cdcState'

export interface CdcContext {
  /** DuckDB (a DuckdbSession). */
  port: ParquetPort
  clock: { now(): number }
  /** Turns a Spark SQL expression of the spec (SEQUENCE BY, APPLY AS DELETE / TRUNCATE WHEN) into DuckDB SQL; default: used as written. */
  translateExpression?: (sparkSql: string) => string
}

export interface CdcMetrics {
  /** Change rows in the batch. */
  rowsIn: number
  /** Upserts that took effect (including ones superseded later in the same batch). */
  upserted: number
  /** Deletes that took effect (a delete of an unknown key still records a tombstone). */
  deleted: number
  truncated: boolean
  /** SCD1: changes older than what the target already holds for their key (never applied). Always 0 for SCD2, which places them in history. */
  ignoredOutOfOrder: number
  /** Changes whose (key, sequence) was already seen in this batch or applied before. */
  duplicates: number
  /** Rows written to the target by the commit (the rewritten rows of the touched keys). */
  rowsWritten: number
  /** The target's new version; null when nothing was committed. */
  version: number | null
  /** True when the target already carries this txn: the batch was applied before and nothing was done. */
  skipped: boolean
}

export interface ApplyCdcOptions {
  /** Carried by the target commit; a repeat of the same (appId, version) is a no-op. */
  txn: { appId: string; version: number }
  /** Used only when the target does not exist yet. */
  targetSpec?: { partitionColumns?: string[]; properties?: Record<string, string>; schemaHint?: StructType }
}

const SCD2_COLUMNS = ['__START_AT', '__END_AT']

/** Temp tables of one apply, dropped together. */
class Scratch {
  private readonly names: string[] = []
  constructor(readonly port: ParquetPort) {}
  async table(sql: string): Promise<string> {
    const name = sqlIdent(`__lakebench_cdc_${randomUUID().replace(/-/g, '')}`)
    await this.port.exec(`CREATE TEMP TABLE ${name} AS ${sql}`)
    this.names.push(name)
    return name
  }
  async count(sql: string): Promise<number> {
    return Number((await this.port.query(`SELECT count(*) AS n FROM (${sql}) AS counted`))[0]!.n)
  }
  async dropAll(): Promise<void> {
    for (const n of this.names.splice(0)) await this.port.exec(`DROP TABLE IF EXISTS ${n}`)
  }
}

function targetSchemaOf(batch: ChangeBatch, spec: CdcSpec, hint: StructType | undefined): StructType {
  const sequenceType = deltaTypeOf(batch.sequenceType)
  const fields: StructField[] = hint ? hint.fields.map((f) => ({ ...f })) : batch.dataColumns.map((c) => field(c.name, deltaTypeOf(c.type)))
  if (spec.scdType === 2) {
    for (const name of SCD2_COLUMNS) {
      if (!fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) fields.push(field(name, sequenceType))
    }
  }
  return { type: 'struct', fields }
}

async function openOrCreateTarget(ctx: CdcContext, root: string, batch: ChangeBatch, spec: CdcSpec, options: ApplyCdcOptions): Promise<DeltaTable> {
  if (await DeltaTable.exists(root)) return DeltaTable.open(root, ctx.port, { clock: ctx.clock })
  const t = options.targetSpec
  try {
    return await DeltaTable.create(root, ctx.port, { schema: targetSchemaOf(batch, spec, t?.schemaHint), partitionColumns: t?.partitionColumns ?? [], properties: t?.properties ?? {} }, { clock: ctx.clock })
  } catch (e) {
    if (isDeltaError(e, 'TABLE_ALREADY_EXISTS')) return DeltaTable.open(root, ctx.port, { clock: ctx.clock })
    throw e
  }
}

interface Plan {
  metrics: Pick<CdcMetrics, 'upserted' | 'deleted' | 'truncated' | 'ignoredOutOfOrder' | 'duplicates'>
  /** The state change, or null when no change applies. */
  stateWrite: Omit<WriteArgs, 'txn'> | null
  /** Target rows of the touched keys (or of every key when `fullTarget`). */
  targetRowsSql: string
  touchedKeys: string
  fullTarget: boolean
}

interface PlanInput {
  scratch: Scratch
  /** Conformed changes: canonical columns, SEQ, IS_DELETE, IS_TRUNCATE. */
  changes: string
  stateScan: string
  cols: ResolveColumns
  rowCount: number
}

const keysEqual = (keys: readonly string[], a: string, b: string) => keys.map((k) => `${a}.${sqlIdent(k)} = ${b}.${sqlIdent(k)}`).join(' AND ')

/** Deduplicates (key, sequence) within the batch; a delete wins over an upsert with the same sequence. */
function dedupedSql(cols: ResolveColumns, relation: string, where: string): string {
  const columns = [...cols.keys, ...cols.values].map(sqlIdent).join(', ')
  return `SELECT ${columns}, ${SEQ}, ${IS_DELETE} FROM ${relation} WHERE ${where}
    QUALIFY row_number() OVER (PARTITION BY ${cols.keys.map(sqlIdent).join(', ')}, ${SEQ} ORDER BY ${IS_DELETE} DESC) = 1`
}

async function planScd1({ scratch, changes, stateScan, cols }: PlanInput): Promise<Plan> {
  const keys = cols.keys
  const truncates = await scratch.count(`SELECT 1 FROM ${changes} WHERE ${IS_TRUNCATE}`)
  // A truncate empties the table at its sequence: earlier changes of the batch vanish with it, later ones apply after.
  const where = truncates > 0 ? `NOT ${IS_TRUNCATE} AND ${SEQ} > (SELECT max(${SEQ}) FROM ${changes} WHERE ${IS_TRUNCATE})` : `NOT ${IS_TRUNCATE}`
  const considered = await scratch.count(`SELECT 1 FROM ${changes} WHERE ${where}`)
  const incoming = await scratch.table(dedupedSql(cols, changes, where))
  const stored = await scratch.table(truncates > 0
    ? `SELECT * FROM (${stateScan}) AS s LIMIT 0`
    : `SELECT s.* FROM (${stateScan}) AS s WHERE EXISTS (SELECT 1 FROM ${incoming} AS i WHERE ${keysEqual(keys, 'i', 's')})`)
  const applicable = await scratch.table(`SELECT i.* FROM ${incoming} AS i LEFT JOIN ${stored} AS s ON ${keysEqual(keys, 'i', 's')} WHERE s.${SEQ} IS NULL OR i.${SEQ} > s.${SEQ}`)
  const older = await scratch.count(`SELECT 1 FROM ${incoming} AS i JOIN ${stored} AS s ON ${keysEqual(keys, 'i', 's')} WHERE i.${SEQ} < s.${SEQ}`)
  const upserted = await scratch.count(`SELECT 1 FROM ${applicable} WHERE NOT ${IS_DELETE}`)
  const deleted = await scratch.count(`SELECT 1 FROM ${applicable} WHERE ${IS_DELETE}`)
  const events = await scratch.table(
    `SELECT s.* FROM ${stored} AS s WHERE EXISTS (SELECT 1 FROM ${applicable} AS a WHERE ${keysEqual(keys, 'a', 's')}) UNION ALL BY NAME SELECT * FROM ${applicable}`
  )
  const latest = await scratch.table(scd1LatestSql(events, cols))
  const touchedKeys = await scratch.table(distinctKeysSql(keys, applicable))
  // Changes before a truncate are neither applied nor duplicates; every other unapplied change is older or a repeat.
  const metrics = { upserted, deleted, truncated: truncates > 0, ignoredOutOfOrder: older, duplicates: considered - (upserted + deleted + older) }
  const columns = [...keys, ...cols.values].map(sqlIdent).join(', ')
  const targetRowsSql = `SELECT ${columns} FROM ${latest} WHERE NOT ${IS_DELETE}`
  if (truncates > 0) {
    return { metrics, stateWrite: { sourceSql: `SELECT * FROM ${latest}`, mode: 'overwrite', operation: 'TRUNCATE AND MERGE' }, targetRowsSql, touchedKeys, fullTarget: true }
  }
  const stateWrite = upserted + deleted > 0 ? { sourceSql: `SELECT * FROM ${latest}`, mode: 'overwrite' as const, replaceWhere: keyMatchPredicate(keys, touchedKeys), operation: 'MERGE', operationParameters: mergeOperationParameters(keys) } : null
  return { metrics, stateWrite, targetRowsSql, touchedKeys, fullTarget: false }
}

async function planScd2({ scratch, changes, stateScan, cols, rowCount }: PlanInput): Promise<Plan> {
  const keys = cols.keys
  const incoming = await scratch.table(dedupedSql(cols, changes, 'true'))
  const known = await scratch.table(`SELECT s.* FROM (${stateScan}) AS s WHERE EXISTS (SELECT 1 FROM ${incoming} AS i WHERE ${keysEqual(keys, 'i', 's')})`)
  const fresh = await scratch.table(`SELECT i.* FROM ${incoming} AS i WHERE NOT EXISTS (SELECT 1 FROM ${known} AS k WHERE ${keysEqual(keys, 'i', 'k')} AND i.${SEQ} = k.${SEQ})`)
  const upserted = await scratch.count(`SELECT 1 FROM ${fresh} WHERE NOT ${IS_DELETE}`)
  const deleted = await scratch.count(`SELECT 1 FROM ${fresh} WHERE ${IS_DELETE}`)
  const events = await scratch.table(
    `SELECT k.* FROM ${known} AS k WHERE EXISTS (SELECT 1 FROM ${fresh} AS f WHERE ${keysEqual(keys, 'f', 'k')}) UNION ALL BY NAME SELECT * FROM ${fresh}`
  )
  const touchedKeys = await scratch.table(distinctKeysSql(keys, fresh))
  return {
    metrics: { upserted, deleted, truncated: false, ignoredOutOfOrder: 0, duplicates: rowCount - (upserted + deleted) },
    stateWrite: upserted + deleted > 0 ? { sourceSql: `SELECT * FROM ${fresh}`, mode: 'append', operation: 'MERGE' } : null,
    targetRowsSql: scd2ChainSql(events, cols),
    touchedKeys,
    fullTarget: false
  }
}

/** The target rows of every key, from the whole state (after a truncate, or to catch up a target the state is ahead of). */
function allTargetRowsSql(spec: CdcSpec, stateScan: string, cols: ResolveColumns): string {
  const columns = [...cols.keys, ...cols.values].map(sqlIdent).join(', ')
  if (spec.scdType === 2) return scd2ChainSql(`(${stateScan})`, cols)
  return `SELECT ${columns} FROM (${stateScan}) AS s WHERE NOT ${IS_DELETE}`
}

/**
 * Applies one micro-batch of change rows (`changesSql`, a DuckDB SELECT over the source's new rows) to the target
 * streaming table at `targetRoot`, with Databricks AUTO CDC semantics:
 * - SCD1: per key the change with the greatest SEQUENCE BY value wins; a delete removes the key and leaves a
 *   tombstone so a later-arriving older change is ignored; IGNORE NULL UPDATES keeps existing values where the
 *   change has NULL; APPLY AS TRUNCATE WHEN empties the table at that sequence.
 * - SCD2: the target has __START_AT / __END_AT (the sequence type); a key's versions are recomputed from all its
 *   known changes, so out-of-order changes land in the right place; a delete closes the current version; an upsert
 *   that changes no tracked column (TRACK HISTORY) updates the current version instead of opening one; repeated
 *   (key, sequence) changes count once.
 * Several changes of one key in a batch are applied in sequence order. The target is created on first use (from
 * `targetSpec.schemaHint` or the change columns after COLUMNS, plus __START_AT / __END_AT for SCD2). Per-key
 * sequences, tombstones and SCD2 change history live in a hidden state table (see cdc/cdcState.ts), committed before
 * the target; the target changes in exactly one commit carrying `txn`. Applying a batch whose txn the target already
 * has is a no-op (`skipped`). If a crash falls between the state commit and the target commit, the next apply with that
 * flow's appId finds the state ahead and rebuilds the target from it, so reruns converge. The same (appId, version)
 * must always carry the same changes.
 * @throws DeltaError INVALID_ARGUMENT for an unknown KEYS / COLUMNS / TRACK HISTORY column, a NULL key or sequence,
 *   reserved column names, or TRUNCATE with SCD2; SCHEMA_MISMATCH when the changes have a column the target (or its
 *   state) lacks, or values that do not fit it; conflict codes from the Delta commit; Error from DuckDB when the
 *   change query or an expression does not run.
 */
export async function applyCdc(ctx: CdcContext, targetRoot: string, changesSql: string, spec: CdcSpec, options: ApplyCdcOptions): Promise<CdcMetrics> {
  const flow = options.txn.appId
  if (spec.scdType === 2 && spec.applyAsTruncateWhen) {
    throw new DeltaError('INVALID_ARGUMENT', `${flow}: APPLY AS TRUNCATE WHEN is only supported with STORED AS SCD TYPE 1`)
  }
  const translate = ctx.translateExpression ?? ((sql: string) => sql)
  const batch = await stageChangeBatch(ctx.port, changesSql, spec, {
    sequence: translate(spec.sequenceBy),
    deleteWhen: spec.applyAsDeleteWhen ? translate(spec.applyAsDeleteWhen) : undefined,
    truncateWhen: spec.applyAsTruncateWhen ? translate(spec.applyAsTruncateWhen) : undefined
  }, flow)
  const scratch = new Scratch(ctx.port)
  const nothing: CdcMetrics = { rowsIn: batch.rowCount, upserted: 0, deleted: 0, truncated: false, ignoredOutOfOrder: 0, duplicates: 0, rowsWritten: 0, version: null, skipped: false }
  try {
    const target = await openOrCreateTarget(ctx, targetRoot, batch, spec, options)
    const targetSnapshot = await target.snapshot()
    const targetTxn = targetSnapshot.txns.get(flow)?.version ?? -1
    if (targetTxn >= options.txn.version) return { ...nothing, skipped: true }

    const dataFields = batch.dataColumns.map((c) => field(c.name, deltaTypeOf(c.type)))
    const state = await openCdcState(ctx.port, ctx.clock, targetSnapshot, spec.scdType, dataFields, deltaTypeOf(batch.sequenceType))
    const stateSnapshot = await state.snapshot()
    const stateAhead = (stateSnapshot.txns.get(flow)?.version ?? -1) > targetTxn
    const canonical = stateSnapshot.schema.fields.filter((f) => f.name !== SEQ && f.name !== IS_DELETE)
    const changes = await scratch.table(conformedChangesSql(batch, canonical, stateSnapshot.schema.fields.find((f) => f.name === SEQ)!, flow))
    const keys = batch.keys.map((k) => canonical.find((f) => f.name.toLowerCase() === k.name.toLowerCase())!.name)
    const keySet = new Set(keys)
    const values = canonical.map((f) => f.name).filter((n) => !keySet.has(n))
    const tracked = spec.scdType === 2 ? trackedColumns(canonical.map((f) => ({ name: f.name, type: '' })), keys.map((k) => ({ name: k, type: '' })), spec, flow).map((c) => c.name) : undefined
    const cols: ResolveColumns = { keys, values, tracked, ignoreNullUpdates: spec.ignoreNullUpdates }
    const input: PlanInput = { scratch, changes, stateScan: await scanSql(stateSnapshot, ctx.port), cols, rowCount: batch.rowCount }
    const plan = spec.scdType === 1 ? await planScd1(input) : await planScd2(input)
    const metrics: CdcMetrics = { ...nothing, ...plan.metrics }
    if (!plan.stateWrite && !stateAhead) return metrics

    if (plan.stateWrite) await state.write({ ...plan.stateWrite, txn: options.txn })
    let write: WriteArgs
    if (stateAhead) {
      // A crash left the state ahead of the target: rebuild every key from the state (which now includes this batch).
      write = { sourceSql: allTargetRowsSql(spec, await scanSql(await state.snapshot(), ctx.port), cols), mode: 'overwrite', txn: options.txn, operation: 'MERGE' }
    } else if (plan.fullTarget) {
      write = { sourceSql: plan.targetRowsSql, mode: 'overwrite', txn: options.txn, operation: 'TRUNCATE AND MERGE' }
    } else {
      write = { sourceSql: plan.targetRowsSql, mode: 'overwrite', replaceWhere: keyMatchPredicate(keys, plan.touchedKeys), txn: options.txn, operation: 'MERGE', operationParameters: mergeOperationParameters(keys) }
    }
    const committed = await target.write(write)
    if (committed.skipped) return { ...metrics, skipped: true }
    return { ...metrics, rowsWritten: Number(committed.metrics.numOutputRows ?? 0), version: committed.version }
  } finally {
    await scratch.dropAll()
    await batch.drop()
  }
}

/** The batch's rows with exactly the state's columns and types (missing ones NULL) plus SEQ / IS_DELETE / IS_TRUNCATE. */
function conformedChangesSql(batch: ChangeBatch, canonical: readonly StructField[], sequence: StructField, flow: string): string {
  const byLower = new Map(batch.dataColumns.map((c) => [c.name.toLowerCase(), c]))
  const canonicalLower = new Set(canonical.map((f) => f.name.toLowerCase()))
  const extra = batch.dataColumns.filter((c) => !canonicalLower.has(c.name.toLowerCase()))
  if (extra.length > 0) {
    throw new DeltaError('SCHEMA_MISMATCH', `${flow}: the changes have column(s) ${extra.map((c) => `'${c.name}'`).join(', ')} that the CDC target was not created with (columns: ${canonical.map((f) => f.name).join(', ')}); a full refresh of the target recreates it with the new columns`, { columns: extra.map((c) => c.name) })
  }
  const selects = canonical.map((f) => {
    const source = byLower.get(f.name.toLowerCase())
    const type = duckdbTypeOf(f.type)
    return source ? `CAST(${sqlIdent(source.name)} AS ${type}) AS ${sqlIdent(f.name)}` : `NULL::${type} AS ${sqlIdent(f.name)}`
  })
  return `SELECT ${selects.join(', ')}, CAST(${SEQ} AS ${duckdbTypeOf(sequence.type)}) AS ${SEQ}, ${IS_DELETE}, ${IS_TRUNCATE} FROM ${batch.relation}`
}
