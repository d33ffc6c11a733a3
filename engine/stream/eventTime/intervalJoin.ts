// Stream-stream join with an event-time range condition: both sides buffered in state, matches emitted as they appear.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { eventTimeMsExpr } from './eventTimeColumn'
import { EventTimeError } from './eventTimeError'
import { splitLateRows } from './lateRows'
import { operatorTablePrefix, type EventTimeOperator, type OperatorBatch, type OperatorOutput } from './operator'
import { loadStateTables, saveStateTables } from './stateTables'

export interface IntervalJoinSide { eventTime: string; keys: string[] }

export interface IntervalJoinSpec {
  id: string
  left: IntervalJoinSide
  right: IntervalJoinSide
  /** The time bound: `l.t + lowerMs <= r.t <= l.t + upperMs` (sbit: a workout stop within 3 hours of its start: 0 .. 3h). */
  bounds: { lowerMs: number; upperMs: number }
  /** Extra join condition in DuckDB SQL over aliases `l` and `r` (e.g. `r.ts <= l.stop_ts`); it may only narrow matches. */
  condition?: string
  /** Output projection over `l` and `r` (e.g. `l.*, r.stop_ts`); duplicate names get DuckDB's `_1` suffix. */
  select: string
  /** 'leftOuter' also emits each left row that never matched, with NULL right columns, when it is evicted. */
  type?: 'inner' | 'leftOuter'
}

/**
 * Spark's stream-stream join with a time-range condition (guide, "Inner Joins with optional Watermarking": watermark delays on
 * both inputs plus an event-time range condition "so that the engine can figure out when old rows of one input is not going to
 * be required"). Rows below the batch watermark are late and go to `late` instead of state, so every future row has event time
 * >= watermark; hence a left row can be dropped once `l.t + upperMs < watermark` and a right row once
 * `r.t - lowerMs < watermark`. New matches (new x buffered, buffered x new, new x new) are emitted in the batch where the second
 * row arrives. The outer variant follows the guide's "Outer Joins with Watermarking": NULL results wait for eviction.
 */
export class IntervalJoin implements EventTimeOperator {
  readonly inputCount = 2
  readonly id: string
  private readonly table: Record<'lOnTime' | 'lLate' | 'rOnTime' | 'rLate' | 'lState' | 'rState' | 'lAll' | 'rAll' | 'pairs' | 'emitted', string>
  private hasState = false

  /** @throws EventTimeError UNSUPPORTED_OPERATION when keys do not pair up or the bounds are empty/not finite. */
  constructor(readonly port: DuckdbSession, private readonly spec: IntervalJoinSpec) {
    this.id = spec.id
    const { lowerMs, upperMs } = spec.bounds
    if (!Number.isFinite(lowerMs) || !Number.isFinite(upperMs) || lowerMs > upperMs) {
      throw new EventTimeError('UNSUPPORTED_OPERATION', `${spec.id}: time bound [${lowerMs}, ${upperMs}] ms is empty or unbounded; state could never be evicted`)
    }
    if (spec.left.keys.length !== spec.right.keys.length) {
      throw new EventTimeError('UNSUPPORTED_OPERATION', `${spec.id}: left keys (${spec.left.keys.join(', ')}) and right keys (${spec.right.keys.join(', ')}) differ in number`)
    }
    const p = operatorTablePrefix(spec.id)
    this.table = {
      lOnTime: `${p}_l_on_time`, lLate: `${p}_l_late`, rOnTime: `${p}_r_on_time`, rLate: `${p}_r_late`, lState: `${p}_l_state`,
      rState: `${p}_r_state`, lAll: `${p}_l_all`, rAll: `${p}_r_all`, pairs: `${p}_pairs`, emitted: `${p}_emitted`
    }
  }

  private get config() {
    const { left, right, bounds, condition, select, type } = this.spec
    return { left, right, bounds, condition: condition ?? null, select, type: type ?? 'inner' }
  }

  async process(batch: OperatorBatch): Promise<OperatorOutput> {
    const [left, right] = batch.relations
    if (batch.relations.length !== 2 || left === undefined || right === undefined) {
      throw new EventTimeError('UNSUPPORTED_OPERATION', `${this.id} takes 2 inputs (left, right), got ${batch.relations.length}`)
    }
    const t = (name: keyof typeof this.table) => sqlIdent(this.table[name])
    const port = this.port
    const { lowerMs, upperMs } = this.spec.bounds
    // Row ids depend only on the batch id and the row's position, so a re-run of the batch (same input) makes the same ids.
    const rid = `${Math.trunc(batch.batchId)}::BIGINT * 1000000000 + row_number() OVER ()`
    const l = await splitLateRows(port, left, await eventTimeMsExpr(port, left, this.spec.left.eventTime), batch.watermarkMs,
      { onTime: this.table.lOnTime, late: this.table.lLate }, '_et_l_ms', `${rid} AS _et_l_rid, false AS _et_l_matched`)
    const r = await splitLateRows(port, right, await eventTimeMsExpr(port, right, this.spec.right.eventTime), batch.watermarkMs,
      { onTime: this.table.rOnTime, late: this.table.rLate }, '_et_r_ms', `${rid} AS _et_r_rid`)
    if (!this.hasState) {
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('lState')} AS SELECT * FROM ${t('lOnTime')} WHERE false`)
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('rState')} AS SELECT * FROM ${t('rOnTime')} WHERE false`)
      this.hasState = true
    }
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('lAll')} AS SELECT *, false AS _et_l_new FROM ${t('lState')} UNION ALL BY NAME SELECT *, true AS _et_l_new FROM ${t('lOnTime')}`)
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('rAll')} AS SELECT *, false AS _et_r_new FROM ${t('rState')} UNION ALL BY NAME SELECT *, true AS _et_r_new FROM ${t('rOnTime')}`)
    const keysEqual = this.spec.left.keys.map((k, i) => `l.${sqlIdent(k)} = r.${sqlIdent(this.spec.right.keys[i]!)}`)
    const on = [...keysEqual, `r._et_r_ms BETWEEN l._et_l_ms + ${lowerMs} AND l._et_l_ms + ${upperMs}`, ...(this.spec.condition ? [`(${this.spec.condition})`] : [])]
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('pairs')} AS SELECT l._et_l_rid, r._et_r_rid
      FROM ${t('lAll')} l JOIN ${t('rAll')} r ON ${on.join(' AND ')} WHERE l._et_l_new OR r._et_r_new`)
    const wm = batch.watermarkMs === null ? null : Math.trunc(batch.watermarkMs)
    const evictLeft = wm === null ? 'false' : `_et_l_ms + ${upperMs} < ${wm}`
    const evictRight = wm === null ? 'false' : `_et_r_ms - ${lowerMs} < ${wm}`
    const matchedNow = `(_et_l_matched OR _et_l_rid IN (SELECT _et_l_rid FROM ${t('pairs')}))`
    const inner = `SELECT ${this.spec.select} FROM ${t('pairs')} p JOIN ${t('lAll')} l ON l._et_l_rid = p._et_l_rid JOIN ${t('rAll')} r ON r._et_r_rid = p._et_r_rid`
    const outer = `SELECT ${this.spec.select} FROM (SELECT * FROM ${t('lAll')} WHERE ${evictLeft} AND NOT ${matchedNow}) l
      LEFT JOIN (SELECT * FROM ${t('rAll')} WHERE false) r ON false`
    // The projection may carry internal columns (l.*): drop every `_et_` column from the output.
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('emitted')} AS SELECT COLUMNS(c -> NOT starts_with(c, '_et_'))
      FROM (${inner}${this.spec.type === 'leftOuter' ? ` UNION ALL ${outer}` : ''})`)
    const [stats] = await port.query(`SELECT (SELECT count(*) FROM ${t('emitted')}) AS emitted,
      (SELECT count(*) FILTER (WHERE ${evictLeft}) FROM ${t('lAll')}) + (SELECT count(*) FILTER (WHERE ${evictRight}) FROM ${t('rAll')}) AS removed`)
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('lState')} AS SELECT * EXCLUDE (_et_l_new) REPLACE (${matchedNow} AS _et_l_matched)
      FROM ${t('lAll')} WHERE NOT (${evictLeft})`)
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('rState')} AS SELECT * EXCLUDE (_et_r_new) FROM ${t('rAll')} WHERE NOT (${evictRight})`)
    const [sizes] = await port.query(`SELECT (SELECT count(*) FROM ${t('lState')}) + (SELECT count(*) FROM ${t('rState')}) AS total`)
    return {
      emitted: this.table.emitted, late: [this.table.lLate, this.table.rLate], numEmittedRows: Number(stats!.emitted),
      numLateRows: l.lateRows + r.lateRows, stateRows: Number(sizes!.total), stateRowsUpdated: l.onTimeRows + r.onTimeRows,
      stateRowsRemoved: Number(stats!.removed)
    }
  }

  async save(dir: string): Promise<void> {
    await saveStateTables(this.port, dir, { kind: 'intervalJoin', config: this.config },
      { left: this.hasState ? this.table.lState : null, right: this.hasState ? this.table.rState : null })
  }

  async load(dir: string): Promise<void> {
    const manifest = await loadStateTables(this.port, dir, { kind: 'intervalJoin', config: this.config }, { left: this.table.lState, right: this.table.rState })
    this.hasState = manifest.tables.left !== null && manifest.tables.right !== null
  }

  async close(): Promise<void> {
    for (const name of Object.values(this.table)) await this.port.exec(`DROP TABLE IF EXISTS ${sqlIdent(name)}`)
  }
}
