// Tumbling and sliding event-time window aggregation (Spark's `groupBy(window(ts, size[, slide]), keys).agg(...)`) with state.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { AggregationOperator, AggregationState } from './aggregationState'
import { finalSelect, mergeSelect, partialSelect, validateAggregates, type AggregateSpec } from './aggregates'
import { msToTimestampSql } from './eventTimeColumn'
import { EventTimeError } from './eventTimeError'
import { parseIntervalMs } from './intervalMs'
import { operatorTablePrefix, type EventTimeOperator, type OperatorBatch, type OperatorOutput } from './operator'

export type OutputMode = 'append' | 'update'

export interface WindowAggregationSpec {
  /** Operator id, unique within the query (names its state folder and its DuckDB tables). */
  id: string
  /** Event-time column (TIMESTAMP or epoch ms). */
  eventTime: string
  /** `window(ts, size)` is tumbling; with `slide` it is sliding (`window(ts, '10 minutes', '5 minutes')`). */
  window: { size: string | number; slide?: string | number }
  /** Grouping columns besides the window. */
  keys: string[]
  aggregates: AggregateSpec[]
  outputMode: OutputMode
}

/**
 * Windows are aligned to the epoch like Spark's `window()` with startTime 0, start inclusive and end exclusive
 * ("12:05 will be in the window [12:05,12:10) but not in [12:00,12:05)"). Output columns: the keys, `window_start` and
 * `window_end` (TIMESTAMP, the flattened form of Spark's `window.start` / `window.end` struct), then the aggregates.
 *
 * Emission follows the guide ("Handling Late Data and Watermarking"): in append mode a window is emitted once, in the first
 * batch whose watermark >= window end, and its state is dropped then ("drops intermediate state of a window < watermark, and
 * appends the final counts"); in update mode the windows changed by this batch are emitted every batch and state is dropped
 * once the watermark passes the window end. Late input rows never reach state (see lateRows.ts).
 */
export class WindowAggregation extends AggregationOperator implements EventTimeOperator {
  readonly inputCount = 1
  readonly id: string
  private readonly sizeMs: number
  private readonly slideMs: number
  protected readonly table: Record<'onTime' | 'late' | 'batch' | 'merged' | 'state' | 'emitted', string>
  protected readonly state: AggregationState

  /** @throws EventTimeError INVALID_INTERVAL (bad size/slide, slide > size) or UNSUPPORTED_OPERATION (bad aggregates). */
  constructor(port: DuckdbSession, private readonly spec: WindowAggregationSpec) {
    super(port)
    this.id = spec.id
    this.sizeMs = parseIntervalMs(spec.window.size, { positive: true })
    this.slideMs = spec.window.slide === undefined ? this.sizeMs : parseIntervalMs(spec.window.slide, { positive: true })
    // Spark's TimeWindow check: "The slide duration must be less than or equal to the windowDuration".
    if (this.slideMs > this.sizeMs) throw new EventTimeError('INVALID_INTERVAL', `window slide ${this.slideMs}ms exceeds size ${this.sizeMs}ms in ${spec.id}`)
    validateAggregates(spec.aggregates)
    const prefix = operatorTablePrefix(spec.id)
    this.table = { onTime: `${prefix}_on_time`, late: `${prefix}_late`, batch: `${prefix}_batch`, merged: `${prefix}_merged`, state: `${prefix}_state`, emitted: `${prefix}_emitted` }
    this.state = new AggregationState(port, this.table.state, 'windowAggregation', () => this.config)
  }

  private get config() {
    const { eventTime, keys, aggregates, outputMode } = this.spec
    return { eventTime, sizeMs: this.sizeMs, slideMs: this.slideMs, keys, aggregates, outputMode }
  }

  async process(batch: OperatorBatch): Promise<OperatorOutput> {
    const t = (name: keyof typeof this.table) => sqlIdent(this.table[name])
    const port = this.port
    const lateRows = await this.splitInput(batch, this.spec.eventTime)
    const keys = this.spec.keys.map(sqlIdent)
    const groupKeys = [...keys, '_et_ws', '_et_we'].join(', ')
    const size = this.sizeMs, slide = this.slideMs
    // Each row belongs to ceil(size/slide) candidate windows ending after it; starts are aligned down to the slide.
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('batch')} AS
      SELECT ${groupKeys}, ${partialSelect(this.spec.aggregates)}, true AS _et_upd FROM (
        SELECT o.*, w._et_ws, w._et_ws + ${size} AS _et_we FROM ${t('onTime')} o,
          LATERAL (SELECT (o._et_ms - (((o._et_ms % ${slide}) + ${slide}) % ${slide})) - k.k * ${slide} AS _et_ws
                   FROM range(${Math.ceil(size / slide)}) AS k(k)) w
        WHERE w._et_ws + ${size} > o._et_ms)
      GROUP BY ${groupKeys}`)
    if (!this.state.hasState) {
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('state')} AS SELECT * EXCLUDE (_et_upd) FROM ${t('batch')} WHERE false`)
      this.state.hasState = true
    }
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('merged')} AS
      SELECT ${groupKeys}, ${mergeSelect(this.spec.aggregates)}, bool_or(_et_upd) AS _et_upd
      FROM (SELECT *, false AS _et_upd FROM ${t('state')} UNION ALL BY NAME SELECT * FROM ${t('batch')})
      GROUP BY ${groupKeys}`)
    const closed = batch.watermarkMs === null ? 'false' : `_et_we <= ${Math.trunc(batch.watermarkMs)}`
    const emit = this.spec.outputMode === 'append' ? closed : '_et_upd'
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('emitted')} AS
      SELECT ${[...keys, `${msToTimestampSql('_et_ws')} AS window_start`, `${msToTimestampSql('_et_we')} AS window_end`].join(', ')},
        ${finalSelect(this.spec.aggregates)}
      FROM ${t('merged')} WHERE ${emit} ORDER BY _et_ws, ${[...keys, '_et_we'].join(', ')}`)
    const [emitted] = await port.query(`SELECT count(*) AS n FROM ${t('emitted')}`)
    const change = await this.state.retainOpen(t('merged'), closed)
    return this.output(Number(emitted!.n), lateRows, change)
  }
}
