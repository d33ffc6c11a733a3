// AggregationState: the one state table of a windowed aggregation (which windows stay open between batches, saved and restored with the checkpoint), and the base both aggregations share.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { eventTimeMsExpr } from './eventTimeColumn'
import { EventTimeError } from './eventTimeError'
import { splitLateRows } from './lateRows'
import type { OperatorBatch, OperatorOutput } from './operator'
import { loadStateTables, saveStateTables } from './stateTables'

/** Progress counts of one batch's state change. */
export interface StateChange {
  /** Rows (windows) left open in state. */
  total: number
  /** Open or closed windows this batch touched. */
  updated: number
  /** Windows closed by the watermark and dropped from state. */
  removed: number
}

export class AggregationState {
  /** False until the first batch (or a load) created the state table. */
  hasState = false

  /**
   * @param table the (unquoted) name of the temp table holding the state; `kind` and `config()` are written with it so that a load into an
   *   operator of another kind or configuration is refused (STATE_INCOMPATIBLE).
   */
  constructor(private readonly port: DuckdbSession, readonly table: string, private readonly kind: string, private readonly config: () => unknown) {}

  /**
   * Keeps the rows of `merged` (a quoted relation: state merged with this batch, flagged `_et_upd` where the batch touched them) for which
   * `closed` is false as the new state, and counts what changed.
   */
  async retainOpen(merged: string, closed: string): Promise<StateChange> {
    const [stats] = await this.port.query(`SELECT count(*) FILTER (WHERE NOT (${closed})) AS total, count(*) FILTER (WHERE _et_upd) AS updated,
      count(*) FILTER (WHERE ${closed}) AS removed FROM ${merged}`)
    await this.port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(this.table)} AS SELECT * EXCLUDE (_et_upd) FROM ${merged} WHERE NOT (${closed})`)
    return { total: Number(stats!.total), updated: Number(stats!.updated), removed: Number(stats!.removed) }
  }

  /** Writes the state (or its absence) into `dir`. */
  async save(dir: string): Promise<void> {
    await saveStateTables(this.port, dir, { kind: this.kind, config: this.config() }, { state: this.hasState ? this.table : null })
  }

  /**
   * Restores the state saved in `dir`.
   * @throws EventTimeError STATE_CORRUPT naming the file, STATE_INCOMPATIBLE when it was saved by another operator or configuration.
   */
  async load(dir: string): Promise<void> {
    const manifest = await loadStateTables(this.port, dir, { kind: this.kind, config: this.config() }, { state: this.table })
    this.hasState = manifest.tables.state !== null
  }
}

/**
 * What the window and session aggregations share: their temp tables, one AggregationState, and saving, restoring,
 * reporting and dropping them. Subclasses set `table` and `state` in their constructor.
 */
export abstract class AggregationOperator {
  abstract readonly id: string
  protected abstract readonly table: { readonly emitted: string; readonly late: string; readonly onTime: string } & Record<string, string>
  protected abstract readonly state: AggregationState

  constructor(readonly port: DuckdbSession) {}

  /**
   * Splits the batch's one input on its watermark: late rows into `table.late`, the rest into `table.onTime` with their
   * event time in ms as `_et_ms`; returns how many were late.
   * @throws EventTimeError UNSUPPORTED_OPERATION for other than one input; EVENT_TIME_COLUMN from the event-time column.
   */
  protected async splitInput(batch: OperatorBatch, eventTimeColumn: string): Promise<number> {
    const [input] = batch.relations
    if (batch.relations.length !== 1 || input === undefined) throw new EventTimeError('UNSUPPORTED_OPERATION', `${this.id} takes 1 input, got ${batch.relations.length}`)
    const et = await eventTimeMsExpr(this.port, input, eventTimeColumn)
    return (await splitLateRows(this.port, input, et, batch.watermarkMs, this.table, '_et_ms')).lateRows
  }

  /** The batch's output: emitted windows, late rows, and the state change for progress. */
  protected output(numEmittedRows: number, numLateRows: number, change: StateChange): OperatorOutput {
    return {
      emitted: this.table.emitted, late: [this.table.late], numEmittedRows, numLateRows,
      stateRows: change.total, stateRowsUpdated: change.updated, stateRowsRemoved: change.removed
    }
  }

  save(dir: string): Promise<void> {
    return this.state.save(dir)
  }

  load(dir: string): Promise<void> {
    return this.state.load(dir)
  }

  async close(): Promise<void> {
    for (const name of Object.values(this.table)) await this.port.exec(`DROP TABLE IF EXISTS ${sqlIdent(name)}`)
  }
}
