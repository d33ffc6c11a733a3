// Runs a streaming table's stream-stream join through IntervalJoin, batch by batch, with state in the flow's checkpoint.
//
//   begin(N): restore state/<last committed>/ ──► process: each side's stream (watermark observed on all its rows)
//     ──► side filters ──► IntervalJoin (watermark of batch N = min of the two sides') ──► SELECT list over the pairs
//     + late rows of both sides ──► writeLate (txn) ──► target (txn, by the caller) ──► saveState: state/N/join/ +
//     state/N/watermark.json ──► commits/N (by the caller)
import path from 'node:path'
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import { eventTimeMsExpr, IntervalJoin, maxEventTimeByPartition, WatermarkTracker, type WatermarkTrackerState } from '../../stream/eventTime'
import type { Flow } from '../model'
import type { BatchOffset, FlowCheckpoint } from '../run/checkpoints'
import { renderQuery, runIntoTempTable, type InputRelations } from '../run/flowQuery'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { PipelineRunError } from '../run/runTypes'
import { emptyRelation, eventTimeRange, isNoDataOffset, lateBookkeepingSql, readStateJson } from './flowState'
import { StatefulFlowBase } from './statefulFlowBase'
import type { JoinSidePlan, StreamJoinPlan } from './joinQuery'

type Column = { name: string; type: string }
type SideName = 'left' | 'right'
const SIDES: SideName[] = ['left', 'right']

/** What state/<N>/watermark.json holds for a join besides IntervalJoin's own files (state/<N>/join/). */
interface SavedJoin {
  format: 1
  kind: 'join'
  batchId: number
  /** The watermark batch N ran with: the min of the two sides' watermarks after batch N-1. */
  watermarkUsedMs: number | null
  /** Each side's tracker after batch N. */
  trackers: Record<SideName, WatermarkTrackerState>
  stateRows: number
  /** Each side's input columns: the operator's struct projection and empty inputs of no-data batches are built from them. */
  inputColumns: Record<SideName, Column[]>
}

let counter = 0

/** One stream-stream join flow's operator, watermarks and state files for the length of a run. */
export class StreamJoinFlow extends StatefulFlowBase {
  private operator: IntervalJoin | null = null
  private trackers: Record<SideName, WatermarkTracker>
  private inputColumns: Record<SideName, Column[]> | null = null

  /**
   * The runner of a flow whose query is the stream-stream join `plan` (see openStatefulFlow).
   * @throws PipelineRunError INVALID_WATERMARK when a side's delay is unusable.
   */
  constructor(ctx: RunContext, planned: PlannedDataset, flow: Flow, checkpoint: FlowCheckpoint, readonly plan: StreamJoinPlan) {
    super(ctx, planned, flow, checkpoint)
    this.trackers = this.newTrackers()
  }

  private newTrackers(): Record<SideName, WatermarkTracker> {
    const tracker = (side: JoinSidePlan): WatermarkTracker => {
      const w = side.watermark
      if (w.delayMs === null) throw new PipelineRunError('INVALID_WATERMARK', `${this.where(side)}: ${w.problem ?? 'bad watermark delay'}`, { flow: this.flow.name })
      return new WatermarkTracker({ column: w.column, delayMs: w.delayMs })
    }
    return { left: tracker(this.plan.left), right: tracker(this.plan.right) }
  }

  /** Spark's multiple-watermark policy `min`: the slower side holds the join's watermark back (a side without data yet does not count). */
  protected nextWatermark(): number | null {
    const values = SIDES.map((s) => this.trackers[s].current()).filter((v): v is number => v !== null)
    return values.length === 0 ? null : Math.min(...values)
  }

  protected where(side: JoinSidePlan = this.plan.left): string {
    const at = side.watermark.location
    return `Flow '${this.flow.name}' (${at.file}:${at.line}:${at.column})`
  }

  /**
   * The operator for these side columns: each emitted pair is one struct column per alias holding that side's columns
   * (NULL fields for the missing right side of an outer row), so the SELECT list reads `s.col` as written.
   * @throws PipelineRunError QUERY_FAILED when a join key is not a column of its side.
   */
  private operatorFor(columns: Record<SideName, Column[]>): IntervalJoin {
    if (this.operator) return this.operator
    const column = (side: SideName, name: string): string => {
      const found = columns[side].find((c) => c.name.toLowerCase() === name.toLowerCase())
      if (!found) throw new PipelineRunError('QUERY_FAILED', `${this.where(this.plan[side])}: join key '${this.plan[side].alias}.${name}' is not a column of that stream (columns: ${columns[side].map((c) => c.name).join(', ')})`, { flow: this.flow.name })
      return found.name
    }
    const struct = (side: SideName, rel: 'l' | 'r'): string =>
      `{${columns[side].map((c) => `${sqlString(c.name)}: ${rel}.${sqlIdent(c.name)}`).join(', ')}} AS ${sqlIdent(this.plan[side].alias)}`
    this.operator = new IntervalJoin(this.ctx.session, {
      id: `${this.ctx.config.name}/${this.flow.name}/join`,
      type: this.plan.type,
      left: { eventTime: column('left', this.plan.left.watermark.column), keys: this.plan.keys.map((k) => column('left', k.left)) },
      right: { eventTime: column('right', this.plan.right.watermark.column), keys: this.plan.keys.map((k) => column('right', k.right)) },
      bounds: this.plan.bounds,
      select: `${struct('left', 'l')}, ${struct('right', 'r')}`
    })
    return this.operator
  }

  /**
   * Brings operator and watermarks to the state batch `offset` starts from: fresh for a full refresh, else the state
   * saved by the last committed batch (already in memory when this run committed it).
   * @throws PipelineRunError EVENT_TIME_STATE when that state is missing, unreadable or from another query.
   */
  async begin(offset: BatchOffset): Promise<void> {
    this.late = null
    this.stats = null
    const last = offset.fullRefresh ? null : (await this.checkpoint.state()).lastCommitted?.batchId ?? null
    const fresh = this.stateBatch === null && this.watermarkUsedMs === null && this.stateRows === 0 && this.operator === null
    if (offset.fullRefresh ? fresh : last === this.stateBatch && (last === null || this.operator !== null)) return
    await this.operator?.close()
    this.operator = null
    this.trackers = this.newTrackers()
    Object.assign(this, { stateBatch: null, watermarkUsedMs: null, stateRows: 0, inputColumns: null })
    if (last === null) return
    const file = path.join(this.stateDir(last), 'watermark.json')
    try {
      const saved = await readStateJson<SavedJoin>(file, last)
      this.trackers = { left: WatermarkTracker.fromJSON(saved.trackers?.left, file), right: WatermarkTracker.fromJSON(saved.trackers?.right, file) }
      await this.operatorFor(saved.inputColumns).load(path.join(this.stateDir(last), 'join'))
      Object.assign(this, { stateBatch: last, watermarkUsedMs: saved.watermarkUsedMs, stateRows: saved.stateRows, inputColumns: saved.inputColumns })
    } catch (e) {
      throw this.failure(e)
    }
  }

  /** One side's rows of this batch, unfiltered (its watermark observes all of them). */
  private async sideInput(side: SideName, relations: InputRelations, noData: boolean): Promise<string> {
    const known = this.inputColumns?.[side]
    const name = noData && known ? await emptyRelation(this.ctx, `__lbp_join_nodata_${++counter}`, known)
      : await runIntoTempTable(this.ctx, renderQuery(this.ctx.plan, this.plan[side].input, relations), this.flow.name, this.flow.query!)
    this.temps.push(name)
    return name
  }

  /** The side's rows that pass its filters (Spark SQL over its alias). */
  private async filtered(side: SideName, input: string): Promise<string> {
    const { alias, filters } = this.plan[side]
    if (filters.length === 0) return input
    const sql = `SELECT * FROM ${sqlIdent(input)} AS \`${alias.replace(/`/g, '``')}\` WHERE ${filters.map((f) => `(${f})`).join(' AND ')}`
    const name = await runIntoTempTable(this.ctx, sql, this.flow.name, this.flow.query!)
    this.temps.push(name)
    return name
  }

  /**
   * Runs batch `offset`: both sides' streams over `relations` (empty inputs for a batch without new data), their filters,
   * the join with this batch's watermark, and returns a temp table of the new pairs (and, for LEFT OUTER, the unmatched
   * left rows the watermark evicted) shaped by the query's SELECT list. Late rows of both sides wait for writeLate.
   * @throws PipelineRunError QUERY_FAILED, WATERMARK_COLUMN (a side lacks its watermark column).
   */
  async process(relations: InputRelations, offset: BatchOffset): Promise<string> {
    const port = this.ctx.session
    const noData = isNoDataOffset(offset)
    const inputs = { left: await this.sideInput('left', relations, noData), right: await this.sideInput('right', relations, noData) }
    const describe = async (t: string): Promise<Column[]> => (await port.query(`DESCRIBE ${sqlIdent(t)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
    const columns = { left: await describe(inputs.left), right: await describe(inputs.right) }
    const watermarkMs = this.nextWatermark()
    let out
    const range: { min: number | null; max: number | null }[] = []
    try {
      const operator = this.operatorFor(this.inputColumns ?? columns)
      out = await operator.process({ relations: [await this.filtered('left', inputs.left), await this.filtered('right', inputs.right)], watermarkMs, batchId: offset.batchId })
      for (const side of SIDES) {
        const column = this.plan[side].watermark.column
        this.trackers[side].observe(await maxEventTimeByPartition(port, inputs[side], column, { partitionName: 'input' }), this.ctx.clock.now())
        range.push(await eventTimeRange(this.ctx, inputs[side], await eventTimeMsExpr(port, inputs[side], column)))
      }
    } catch (e) {
      throw this.failure(e)
    }
    this.inputColumns ??= columns
    this.watermarkUsedMs = watermarkMs
    this.stateRows = out.stateRows
    const bound = (pick: (r: { min: number | null; max: number | null }) => number | null, f: (...v: number[]) => number): number | null => {
      const values = range.map(pick).filter((v): v is number => v !== null)
      return values.length === 0 ? null : f(...values)
    }
    this.stats = { watermarkMs, minEventMs: bound((r) => r.min, Math.min), maxEventMs: bound((r) => r.max, Math.max), stateRows: out.stateRows, stateRowsUpdated: out.stateRowsUpdated, stateRowsRemoved: out.stateRowsRemoved }
    const where = this.plan.residual.length > 0 ? ` WHERE ${this.plan.residual.map((r) => `(${r})`).join(' AND ')}` : ''
    const rows = await runIntoTempTable(this.ctx, `SELECT ${this.plan.select} FROM ${sqlIdent(out.emitted)}${where}`, this.flow.name, this.flow.query!)
    this.temps.push(rows)
    if (out.numLateRows > 0) this.late = { relation: await this.lateRelation(out.late as [string, string], offset), rows: out.numLateRows }
    return rows
  }

  /** Both sides' late rows in one relation (union by name, so its columns are the same every batch), with `_join_side`. */
  private async lateRelation([left, right]: [string, string], offset: BatchOffset): Promise<string> {
    const columns = this.inputColumns!
    const select = (side: SideName, relation: string): string => {
      const names = columns[side].map((c) => c.name)
      const kept = names.filter((n) => !['_metadata', '_batch_id', '_processed_at', '_watermark', '_lateness_ms', '_join_side'].includes(n))
      return `SELECT ${[...kept.map((n) => sqlIdent(n)), ...(names.includes('_metadata') ? ['_metadata.file_path AS _source_file'] : []),
        `${sqlString(this.plan[side].alias)} AS _join_side`, '_lateness_ms', 'make_timestamptz(epoch_us(_watermark)) AS _watermark',
        lateBookkeepingSql(offset, names)].join(', ')} FROM ${sqlIdent(relation)}`
    }
    const late = `__lbp_join_late_${++counter}`
    await this.ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(late)} AS ${select('left', left)} UNION ALL BY NAME ${select('right', right)}`)
    this.temps.push(late)
    return late
  }

  /** state/<N>/join/: IntervalJoin's tables. */
  protected async saveOperator(dir: string): Promise<void> {
    await this.operator!.save(path.join(dir, 'join'))
  }

  protected savedState(batchId: number): SavedJoin {
    return {
      format: 1, kind: 'join', batchId, watermarkUsedMs: this.watermarkUsedMs, stateRows: this.stateRows, inputColumns: this.inputColumns!,
      trackers: { left: this.trackers.left.toJSON(), right: this.trackers.right.toJSON() }
    }
  }

  protected async closeOperator(): Promise<void> {
    await this.operator?.close()
  }
}
