// Runs a streaming table's windowed aggregation through the event-time operators, batch by batch, with state in the flow's checkpoint.
//
//   begin(N): restore state/<last committed>/ (or start fresh on a full refresh) ──► process: input query ──► operator
//     (watermark of batch N) ──► emitted windows (append mode) + late rows ──► writeLate (txn) ──► target (txn, by the caller)
//     ──► saveState: state/N/aggregate/ + state/N/watermark.json ──► commits/N (by the caller)
import path from 'node:path'
import { sqlIdent } from '../../delta/parquetPort'
import {
  EventTimeError, eventTimeMsExpr, maxEventTimeByPartition, SessionWindowAggregation, WatermarkTracker, WindowAggregation, type EventTimeOperator
} from '../../stream/eventTime'
import type { Flow } from '../model'
import type { BatchOffset, FlowCheckpoint } from '../run/checkpoints'
import { renderQuery, runIntoTempTable, type InputRelations } from '../run/flowQuery'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { PipelineRunError } from '../run/runTypes'
import { emptyRelation, eventTimeRange, isNoDataOffset, lateBookkeepingSql, readStateJson } from './flowState'
import { StatefulFlowBase } from './statefulFlowBase'
import type { WindowedAggregation } from './windowQuery'

/** What state/<N>/watermark.json holds besides the operator's own files. */
interface SavedEventTime {
  format: 1
  batchId: number
  /** The watermark batch N ran with (Spark: computed at the end of batch N-1). */
  watermarkUsedMs: number | null
  /** The tracker after batch N: its current() is the watermark of batch N+1. */
  tracker: unknown
  stateRows: number
  /** The operator input's columns, so a batch without new data can feed it an empty relation of the same shape. */
  inputColumns: { name: string; type: string }[]
}

let counter = 0

/** One windowed streaming flow's operator, watermark and state files for the length of a run. */
export class EventTimeFlow extends StatefulFlowBase {
  private operator: EventTimeOperator
  private tracker: WatermarkTracker
  private inputColumns: SavedEventTime['inputColumns'] = []

  /**
   * The event-time runner of a flow whose query is the watermarked windowed aggregation `plan` (see openStatefulFlow).
   * @throws PipelineRunError INVALID_WATERMARK, UNSUPPORTED (an operator setting it refuses).
   */
  constructor(ctx: RunContext, planned: PlannedDataset, flow: Flow, checkpoint: FlowCheckpoint, readonly plan: WindowedAggregation) {
    super(ctx, planned, flow, checkpoint)
    this.operator = this.newOperator()
    this.tracker = this.newTracker()
  }

  private newOperator(): EventTimeOperator {
    const p = this.plan
    const id = `${this.ctx.config.name}/${this.flow.name}/aggregate`
    const keys = p.keys.map((_, i) => `_etp_k${i}`)
    const aggregates = p.aggregates.map((a, j) => ({ fn: a.fn, ...(a.argument !== undefined ? { column: `_etp_v${j}` } : {}), as: `_etp_o${j}` }))
    try {
      return p.kind === 'session'
        ? new SessionWindowAggregation(this.ctx.session, { id, eventTime: p.watermark.column, gap: p.size, keys, aggregates })
        : new WindowAggregation(this.ctx.session, { id, eventTime: p.watermark.column, window: { size: p.size, ...(p.slide ? { slide: p.slide } : {}) }, keys, aggregates, outputMode: 'append' })
    } catch (e) {
      throw this.failure(e)
    }
  }

  private newTracker(): WatermarkTracker {
    const w = this.plan.watermark
    if (w.delayMs === null) throw new PipelineRunError('INVALID_WATERMARK', `${this.where()}: ${w.problem ?? 'bad watermark delay'}`, { flow: this.flow.name })
    return new WatermarkTracker({ column: w.column, delayMs: w.delayMs })
  }

  protected where(): string {
    const at = this.plan.watermark.location
    return `Flow '${this.flow.name}' (${at.file}:${at.line}:${at.column})`
  }

  protected nextWatermark(): number | null {
    return this.tracker.current()
  }

  /**
   * Brings operator and watermark to the state batch `offset` starts from: fresh for a full refresh, else the state
   * saved by the last committed batch (already in memory when this run committed it).
   * @throws PipelineRunError EVENT_TIME_STATE when that state is missing, unreadable or from another query.
   */
  async begin(offset: BatchOffset): Promise<void> {
    this.late = null
    this.stats = null
    const last = offset.fullRefresh ? null : (await this.checkpoint.state()).lastCommitted?.batchId ?? null
    const fresh = this.stateBatch === null && this.watermarkUsedMs === null && this.stateRows === 0
    if (offset.fullRefresh ? fresh : last === this.stateBatch) return
    await this.operator.close()
    this.operator = this.newOperator()
    this.tracker = this.newTracker()
    Object.assign(this, { stateBatch: null, watermarkUsedMs: null, stateRows: 0 })
    if (last === null) return
    const file = path.join(this.stateDir(last), 'watermark.json')
    try {
      const saved = await readStateJson<SavedEventTime>(file, last)
      this.tracker = WatermarkTracker.fromJSON(saved.tracker, file)
      await this.operator.load(path.join(this.stateDir(last), 'aggregate'))
      Object.assign(this, { stateBatch: last, watermarkUsedMs: saved.watermarkUsedMs, stateRows: saved.stateRows, inputColumns: saved.inputColumns })
    } catch (e) {
      throw this.failure(e)
    }
  }

  /**
   * Runs batch `offset`: its input query over `relations` (or an empty input for a batch without new data), the operator
   * with this batch's watermark, and returns a temp table of the windows it finalized, shaped as the query's SELECT
   * (`window` is a struct<start, end> like Spark's). Late rows wait for writeLate.
   * @throws PipelineRunError QUERY_FAILED, WATERMARK_COLUMN (the watermark column is not in the input, naming the clause).
   */
  async process(relations: InputRelations, offset: BatchOffset): Promise<string> {
    const port = this.ctx.session
    const noData = isNoDataOffset(offset)
    const input = noData && this.inputColumns.length > 0 ? await emptyRelation(this.ctx, `__lbp_nodata_${++counter}`, this.inputColumns) : await runIntoTempTable(this.ctx, renderQuery(this.ctx.plan, this.plan.input, relations), this.flow.name, this.flow.query!)
    this.temps.push(input)
    this.inputColumns = (await port.query(`DESCRIBE ${sqlIdent(input)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
    const column = this.plan.watermark.column
    const timeType = this.inputColumns.find((c) => c.name === column)?.type
    const watermarkMs = this.tracker.current()
    let out
    let range
    try {
      out = await this.operator.process({ relations: [input], watermarkMs, batchId: offset.batchId })
      this.tracker.observe(await maxEventTimeByPartition(port, input, column, { partitionName: 'input' }), this.ctx.clock.now())
      range = await eventTimeRange(this.ctx, input, await eventTimeMsExpr(port, input, column))
    } catch (e) {
      throw this.failure(e)
    }
    this.watermarkUsedMs = watermarkMs
    this.stateRows = out.stateRows
    this.stats = { watermarkMs, minEventMs: range.min, maxEventMs: range.max, stateRows: out.stateRows, stateRowsUpdated: out.stateRowsUpdated, stateRowsRemoved: out.stateRowsRemoved }
    // Spark's window bounds have the type of the time column: timestamp (TIMESTAMPTZ here) or timestamp_ntz (TIMESTAMP).
    const bound = (c: string) => (timeType === 'TIMESTAMP WITH TIME ZONE' ? `make_timestamptz(epoch_us(${c}))` : c)
    const select = this.plan.output.map((o) => {
      if (o.kind === 'window') return `{'start': ${bound('window_start')}, 'end': ${bound('window_end')}} AS ${sqlIdent(this.plan.windowName)}`
      if (o.kind === 'key') return `${sqlIdent(`_etp_k${o.index}`)} AS ${sqlIdent(this.plan.keys[o.index]!.name!)}`
      return `${sqlIdent(`_etp_o${o.index}`)} AS ${sqlIdent(this.plan.aggregates[o.index]!.name)}`
    })
    const rows = `__lbp_windows_${++counter}`
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(rows)} AS SELECT ${select.join(', ')} FROM ${sqlIdent(out.emitted)}`)
    this.temps.push(rows)
    if (out.numLateRows > 0) {
      const late = `__lbp_late_${++counter}`
      const hasMetadata = this.inputColumns.some((c) => c.name === '_metadata')
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(late)} AS SELECT COLUMNS(c -> NOT starts_with(c, '_et_') AND NOT starts_with(c, '_etp_') AND c NOT IN ('_metadata', '_watermark', '_lateness_ms', '_batch_id', '_processed_at')),
        ${hasMetadata ? '_metadata.file_path AS _source_file, ' : ''}_lateness_ms, make_timestamptz(epoch_us(_watermark)) AS _watermark,
        ${lateBookkeepingSql(offset, this.inputColumns.map((c) => c.name))}
        FROM ${sqlIdent(out.late[0]!)}`)
      this.temps.push(late)
      this.late = { relation: late, rows: out.numLateRows }
    }
    return rows
  }

  /** state/<N>/aggregate/: the operator's tables. */
  protected saveOperator(dir: string): Promise<void> {
    return this.operator.save(path.join(dir, 'aggregate'))
  }

  protected savedState(batchId: number): SavedEventTime {
    return { format: 1, batchId, watermarkUsedMs: this.watermarkUsedMs, tracker: this.tracker.toJSON(), stateRows: this.stateRows, inputColumns: this.inputColumns }
  }

  protected closeOperator(): Promise<void> {
    return this.operator.close()
  }
}
