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
import {
  emptyRelation, eventTimeFailure, eventTimeRange, isNoDataOffset, lateBookkeepingSql, noDataOffset, readStateJson, writeLateRows, writeStateJson,
  type StatefulBatchStats, type StatefulFlow
} from './flowState'
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
export class EventTimeFlow implements StatefulFlow {
  private operator: EventTimeOperator
  private tracker: WatermarkTracker
  /** Batch whose end state is in memory; null = fresh (no batch yet, or a full refresh). */
  private stateBatch: number | null = null
  private watermarkUsedMs: number | null = null
  private stateRows = 0
  private inputColumns: SavedEventTime['inputColumns'] = []
  private late: { relation: string; rows: number } | null = null
  private stats: StatefulBatchStats | null = null
  private readonly temps: string[] = []

  /**
   * The event-time runner of a flow whose query is the watermarked windowed aggregation `plan` (see openStatefulFlow).
   * @throws PipelineRunError INVALID_WATERMARK, UNSUPPORTED (an operator setting it refuses).
   */
  constructor(private readonly ctx: RunContext, private readonly planned: PlannedDataset, private readonly flow: Flow,
    private readonly checkpoint: FlowCheckpoint, readonly plan: WindowedAggregation) {
    this.operator = this.newOperator()
    this.tracker = this.newTracker()
  }

  lastBatch(): StatefulBatchStats | null {
    return this.stats
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

  private where(): string {
    const at = this.plan.watermark.location
    return `Flow '${this.flow.name}' (${at.file}:${at.line}:${at.column})`
  }

  private failure(e: unknown): Error {
    return eventTimeFailure(e, this.where(), this.flow.name, this.planned.stored!)
  }

  private stateDir(batchId: number): string {
    return path.join(this.checkpoint.dir, 'state', String(batchId))
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

  /** Appends this batch's late rows to `<table>_late` with the batch's txn (see writeLateRows). */
  writeLate(offset: BatchOffset, appId: string): Promise<number> {
    return writeLateRows(this.ctx, this.planned, this.late, offset, appId)
  }

  /**
   * Writes state/<N>/aggregate/ (the operator's tables) and then state/<N>/watermark.json (tmp + fsync + rename), before
   * the caller writes commits/N: a batch is only marked done once the state it leaves is on disk.
   */
  async saveState(batchId: number): Promise<void> {
    const dir = this.stateDir(batchId)
    try {
      await this.operator.save(path.join(dir, 'aggregate'))
    } catch (e) {
      throw this.failure(e)
    }
    const saved: SavedEventTime = { format: 1, batchId, watermarkUsedMs: this.watermarkUsedMs, tracker: this.tracker.toJSON(), stateRows: this.stateRows, inputColumns: this.inputColumns }
    await writeStateJson(path.join(dir, 'watermark.json'), saved)
    this.stateBatch = batchId
  }

  /**
   * Spark's no-data micro-batch (`spark.sql.streaming.noDataMicroBatches.enabled`): when the watermark moved past the one
   * the last batch used and windows are still open in state, a batch without new input emits the windows it closed. Its
   * offset repeats the last committed batch's source positions with no files; null when no such batch is due.
   */
  async noDataBatch(): Promise<BatchOffset | null> {
    const state = await this.checkpoint.state()
    const last = state.lastCommitted
    if (!last || state.pending) return null
    if (this.stateBatch !== last.batchId) await this.begin({ ...last, fullRefresh: false })
    const next = this.tracker.current()
    if (next === null || (this.watermarkUsedMs !== null && next <= this.watermarkUsedMs) || this.stateRows === 0) return null
    return noDataOffset(state, last, this.ctx)
  }

  /** Drops the operator's and this flow's temp tables. */
  async close(): Promise<void> {
    await this.operator.close().catch(() => undefined)
    for (const t of this.temps.splice(0)) await this.ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(t)}`).catch(() => undefined)
  }
}
