// Runs a streaming table's windowed aggregation through the event-time operators, batch by batch, with state in the flow's checkpoint.
//
//   begin(N): restore state/<last committed>/ (or start fresh on a full refresh) ──► process: input query ──► operator
//     (watermark of batch N) ──► emitted windows (append mode) + late rows ──► writeLate (txn) ──► target (txn, by the caller)
//     ──► saveState: state/N/aggregate/ + state/N/watermark.json ──► commits/N (by the caller)
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { sqlIdent } from '../../delta/parquetPort'
import {
  EventTimeError, maxEventTimeByPartition, SessionWindowAggregation, WatermarkTracker, WindowAggregation, type EventTimeOperator
} from '../../stream/eventTime'
import type { Flow } from '../model'
import type { BatchOffset, FlowCheckpoint } from '../run/checkpoints'
import { renderQuery, runIntoTempTable, type InputRelations } from '../run/flowQuery'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { PipelineRunError } from '../run/runTypes'
import { createFor, openIfExists, tableRootOf } from '../run/tableWriter'
import { eventTimeShapeOf, type WindowedAggregation } from './windowQuery'

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

/** `<table>_late`: rows that arrived behind the watermark, with `_lateness_ms` and `_watermark`. */
export function lateTableNameOf(stored: string): string {
  return `${stored}_late`
}

let counter = 0

/** One windowed streaming flow's operator, watermark and state files for the length of a run. */
export class EventTimeFlow {
  private operator: EventTimeOperator
  private tracker: WatermarkTracker
  /** Batch whose end state is in memory; null = fresh (no batch yet, or a full refresh). */
  private stateBatch: number | null = null
  private watermarkUsedMs: number | null = null
  private stateRows = 0
  private inputColumns: SavedEventTime['inputColumns'] = []
  private late: { relation: string; rows: number } | null = null
  private readonly temps: string[] = []

  private constructor(private readonly ctx: RunContext, private readonly planned: PlannedDataset, private readonly flow: Flow,
    private readonly checkpoint: FlowCheckpoint, readonly plan: WindowedAggregation) {
    this.operator = this.newOperator()
    this.tracker = this.newTracker()
  }

  /**
   * The event-time runner of a flow whose query is a watermarked windowed aggregation, or null for any other query.
   * @throws PipelineRunError UNSUPPORTED (a watermarked form we do not run, naming file:line:column) or INVALID_WATERMARK.
   */
  static open(ctx: RunContext, planned: PlannedDataset, flow: Flow, checkpoint: FlowCheckpoint): EventTimeFlow | null {
    if (!flow.query) return null
    const shape = eventTimeShapeOf(flow.query)
    if (shape.kind === 'unsupported') {
      const at = shape.location
      throw new PipelineRunError('UNSUPPORTED', `Flow '${flow.name}' (${at.file}:${at.line}:${at.column}): ${shape.message}`, { flow: flow.name, location: at })
    }
    if (shape.kind !== 'window') return null
    return new EventTimeFlow(ctx, planned, flow, checkpoint, shape.plan)
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
    if (!(e instanceof EventTimeError)) return e as Error
    const code = e.code === 'EVENT_TIME_COLUMN' ? 'WATERMARK_COLUMN' : e.code === 'STATE_CORRUPT' || e.code === 'STATE_INCOMPATIBLE' ? 'EVENT_TIME_STATE' : 'UNSUPPORTED'
    const hint = code === 'EVENT_TIME_STATE' ? ` Recompute the table with \`lakebench run --full-refresh ${this.planned.stored}\`.` : ''
    return new PipelineRunError(code, `${this.where()}: ${e.message}.${hint}`, { flow: this.flow.name })
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
    const last = offset.fullRefresh ? null : (await this.checkpoint.state()).lastCommitted?.batchId ?? null
    const fresh = this.stateBatch === null && this.watermarkUsedMs === null && this.stateRows === 0
    if (offset.fullRefresh ? fresh : last === this.stateBatch) return
    await this.operator.close()
    this.operator = this.newOperator()
    this.tracker = this.newTracker()
    Object.assign(this, { stateBatch: null, watermarkUsedMs: null, stateRows: 0 })
    if (last === null) return
    const file = path.join(this.stateDir(last), 'watermark.json')
    let saved: SavedEventTime
    try {
      saved = JSON.parse(await fs.readFile(file, 'utf8')) as SavedEventTime
    } catch (e) {
      throw this.failure(new EventTimeError('STATE_CORRUPT', `cannot read ${file} (the event-time state of batch ${last}): ${(e as Error).message}`))
    }
    try {
      this.tracker = WatermarkTracker.fromJSON(saved.tracker, file)
      await this.operator.load(path.join(this.stateDir(last), 'aggregate'))
    } catch (e) {
      throw this.failure(e)
    }
    Object.assign(this, { stateBatch: last, watermarkUsedMs: saved.watermarkUsedMs, stateRows: saved.stateRows, inputColumns: saved.inputColumns })
  }

  /**
   * Runs batch `offset`: its input query over `relations` (or an empty input for a batch without new data), the operator
   * with this batch's watermark, and returns a temp table of the windows it finalized, shaped as the query's SELECT
   * (`window` is a struct<start, end> like Spark's). Late rows wait for writeLate.
   * @throws PipelineRunError QUERY_FAILED, WATERMARK_COLUMN (the watermark column is not in the input, naming the clause).
   */
  async process(relations: InputRelations, offset: BatchOffset): Promise<string> {
    const port = this.ctx.session
    const noData = offset.files.length === 0 && Object.values(offset.sources).every((r) => r.fromVersion === r.toVersion)
    const input = noData && this.inputColumns.length > 0 ? await this.emptyInput() : await runIntoTempTable(this.ctx, renderQuery(this.ctx.plan, this.plan.input, relations), this.flow.name, this.flow.query!)
    this.temps.push(input)
    this.inputColumns = (await port.query(`DESCRIBE ${sqlIdent(input)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
    const column = this.plan.watermark.column
    const timeType = this.inputColumns.find((c) => c.name === column)?.type
    const watermarkMs = this.tracker.current()
    let out
    try {
      out = await this.operator.process({ relations: [input], watermarkMs, batchId: offset.batchId })
      this.tracker.observe(await maxEventTimeByPartition(port, input, column, { partitionName: 'input' }), this.ctx.clock.now())
    } catch (e) {
      throw this.failure(e)
    }
    this.watermarkUsedMs = watermarkMs
    this.stateRows = out.stateRows
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
      // Rows read from a bronze table already carry its _batch_id; rows straight from files get this flow's batch.
      const batchColumn = this.inputColumns.some((c) => c.name === '_batch_id') ? '' : `, ${Math.trunc(offset.batchId)}::BIGINT AS _batch_id`
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(late)} AS SELECT COLUMNS(c -> NOT starts_with(c, '_et_') AND NOT starts_with(c, '_etp_') AND c NOT IN ('_metadata', '_watermark', '_lateness_ms')),
        ${hasMetadata ? '_metadata.file_path AS _source_file, ' : ''}_lateness_ms, make_timestamptz(epoch_us(_watermark)) AS _watermark${batchColumn}
        FROM ${sqlIdent(out.late[0]!)}`)
      this.temps.push(late)
      this.late = { relation: late, rows: out.numLateRows }
    }
    return rows
  }

  private async emptyInput(): Promise<string> {
    const name = `__lbp_nodata_${++counter}`
    await this.ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS SELECT ${this.inputColumns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} LIMIT 0`)
    return name
  }

  /**
   * Appends this batch's late rows to `<table>_late` (replacing its rows on the first batch of a full refresh) with the
   * batch's txn, so a re-run never writes them twice. Returns how many rows were late in this batch.
   */
  async writeLate(offset: BatchOffset, appId: string): Promise<number> {
    const stored = lateTableNameOf(this.planned.stored!)
    const root = await tableRootOf(this.ctx.lakehouse, stored)
    const overwrite = offset.overwrite ?? offset.fullRefresh
    const existing = await openIfExists(this.ctx.session, root, this.ctx.clock)
    if (!this.late) {
      // A full refresh without late rows still forgets the old ones (idempotent: a re-run finds the table empty already).
      if (overwrite && existing && (await existing.snapshot()).files.length > 0) await existing.delete()
      return 0
    }
    const table = existing ?? (await createFor(this.ctx.session, root, this.late.relation, { stored }, this.ctx.clock))
    await table.write({ sourceSql: `SELECT * FROM ${sqlIdent(this.late.relation)}`, mode: overwrite ? 'overwrite' : 'append', txn: { appId, version: offset.batchId }, operation: 'STREAMING UPDATE' })
    return this.late.rows
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
    const tmp = path.join(dir, `.watermark-${randomUUID()}.tmp`)
    const handle = await fs.open(tmp, 'w')
    try {
      await handle.writeFile(JSON.stringify(saved, null, 1) + '\n')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(tmp, path.join(dir, 'watermark.json'))
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
    const sources = Object.fromEntries(Object.entries(last.sources).map(([k, r]) => [k, { ...r, fromVersion: r.toVersion }]))
    return { batchId: state.nextBatchId, loadTime: this.ctx.startedAt, fullRefresh: false, files: [], sources, sourceSchemas: { ...last.sourceSchemas } }
  }

  /** Drops the operator's and this flow's temp tables. */
  async close(): Promise<void> {
    await this.operator.close().catch(() => undefined)
    for (const t of this.temps.splice(0)) await this.ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(t)}`).catch(() => undefined)
  }
}
