// Session window aggregation (Spark's `groupBy(session_window(ts, gap), keys).agg(...)`, append mode) with state.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { AggregationOperator, AggregationState } from './aggregationState'
import { finalSelect, mergeSelect, partialSelect, validateAggregates, type AggregateSpec } from './aggregates'
import { msToTimestampSql } from './eventTimeColumn'
import { EventTimeError } from './eventTimeError'
import { parseIntervalMs } from './intervalMs'
import { operatorTablePrefix, type EventTimeOperator, type OperatorBatch, type OperatorOutput } from './operator'

export interface SessionWindowSpec {
  id: string
  eventTime: string
  /** Static gap, e.g. '5 minutes'. */
  gap: string | number
  /** Spark requires at least one column besides session_window in a streaming grouping key; so do we. */
  keys: string[]
  aggregates: AggregateSpec[]
  /** Only append: Spark's guide lists '"Update mode" as output mode is not supported' for session windows. */
  outputMode?: 'append'
}

/**
 * Each on-time event opens the session [ts, ts + gap); sessions of the same key whose ranges overlap merge, so a session
 * "expands itself if following input has been received within gap duration" and "closes when there's no input received
 * within gap duration after receiving the latest input" (guide, "Types of time windows"). Ranges are half-open: events exactly
 * `gap` apart start separate sessions. Open sessions stay in state (with partial aggregates) and merge with later batches'
 * events, which can extend them or bridge two of them; a session is emitted once, when watermark >= its end, and evicted.
 * Output: keys, `window_start`, `window_end` (TIMESTAMP; Spark's `session_window.start` / `.end`), aggregates.
 */
export class SessionWindowAggregation extends AggregationOperator implements EventTimeOperator {
  readonly inputCount = 1
  readonly id: string
  private readonly gapMs: number
  protected readonly table: Record<'onTime' | 'late' | 'merged' | 'state' | 'emitted', string>
  protected readonly state: AggregationState

  /** @throws EventTimeError UNSUPPORTED_OPERATION (update mode, no keys, bad aggregates), INVALID_INTERVAL (gap). */
  constructor(port: DuckdbSession, private readonly spec: SessionWindowSpec) {
    super(port)
    this.id = spec.id
    if ((spec.outputMode as string | undefined ?? 'append') !== 'append') {
      throw new EventTimeError('UNSUPPORTED_OPERATION', `${spec.id}: session windows support append mode only (as in Spark)`)
    }
    if (spec.keys.length === 0) throw new EventTimeError('UNSUPPORTED_OPERATION', `${spec.id}: a streaming session window needs a grouping column besides the session`)
    this.gapMs = parseIntervalMs(spec.gap, { positive: true })
    validateAggregates(spec.aggregates)
    const prefix = operatorTablePrefix(spec.id)
    this.table = { onTime: `${prefix}_on_time`, late: `${prefix}_late`, merged: `${prefix}_merged`, state: `${prefix}_state`, emitted: `${prefix}_emitted` }
    this.state = new AggregationState(port, this.table.state, 'sessionWindow', () => this.config)
  }

  private get config() {
    return { eventTime: this.spec.eventTime, gapMs: this.gapMs, keys: this.spec.keys, aggregates: this.spec.aggregates }
  }

  async process(batch: OperatorBatch): Promise<OperatorOutput> {
    const t = (name: keyof typeof this.table) => sqlIdent(this.table[name])
    const port = this.port
    const lateRows = await this.splitInput(batch, this.spec.eventTime)
    const keys = this.spec.keys.map(sqlIdent).join(', ')
    // Rows with the same key and event time form one single-event session up front (their partials are merged already).
    const fresh = `SELECT ${keys}, _et_ms AS _et_ss, _et_ms + ${this.gapMs} AS _et_se, ${partialSelect(this.spec.aggregates)}, true AS _et_upd
      FROM ${t('onTime')} GROUP BY ${keys}, _et_ms`
    if (!this.state.hasState) {
      await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('state')} AS SELECT * EXCLUDE (_et_upd) FROM (${fresh}) WHERE false`)
      this.state.hasState = true
    }
    // Gaps and islands: sorted by start within a key, a range starts a new session when it begins at or after the furthest
    // end seen so far; otherwise it overlaps and joins the current session.
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('merged')} AS
      WITH ranges AS (SELECT *, false AS _et_upd FROM ${t('state')} UNION ALL BY NAME ${fresh}),
      ordered AS (SELECT *, max(_et_se) OVER (PARTITION BY ${keys} ORDER BY _et_ss, _et_se ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS _et_reach FROM ranges),
      islands AS (SELECT *, sum(CASE WHEN _et_ss < _et_reach THEN 0 ELSE 1 END) OVER (PARTITION BY ${keys} ORDER BY _et_ss, _et_se ROWS UNBOUNDED PRECEDING) AS _et_session FROM ordered)
      SELECT ${keys}, min(_et_ss) AS _et_ss, max(_et_se) AS _et_se, ${mergeSelect(this.spec.aggregates)}, bool_or(_et_upd) AS _et_upd
      FROM islands GROUP BY ${keys}, _et_session`)
    const closed = batch.watermarkMs === null ? 'false' : `_et_se <= ${Math.trunc(batch.watermarkMs)}`
    await port.exec(`CREATE OR REPLACE TEMP TABLE ${t('emitted')} AS
      SELECT ${keys}, ${msToTimestampSql('_et_ss')} AS window_start, ${msToTimestampSql('_et_se')} AS window_end, ${finalSelect(this.spec.aggregates)}
      FROM ${t('merged')} WHERE ${closed} ORDER BY _et_ss, ${keys}`)
    const change = await this.state.retainOpen(t('merged'), closed)
    return this.output(change.removed, lateRows, change)
  }
}
