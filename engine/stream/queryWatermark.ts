// A query run's event-time watermark: the WatermarkTracker restored from the checkpoint, fed per batch, saved with the batch.
//
//   restore(state/<C>/watermark.json) ─► per batch N: beginBatch(triggerTime N) → watermark for N (recorded in offsets/N)
//   ─► the batch runs ─► observe(max event time per partition, triggerTime N) ─► save(state/<N>/watermark.json) ─► commits/N
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sqlIdent } from '../delta/parquetPort'
import type { DuckdbSession } from '../sql/duckdbSession'
import { eventTimeMsExpr } from './eventTime/eventTimeColumn'
import { EventTimeError } from './eventTime/eventTimeError'
import { WatermarkTracker, type EventTimeSpec } from './eventTime/watermarkTracker'
import { readJsonFile } from './checkpoint/atomicFile'
import { StreamError } from './streamError'

/** Name of the tracker's file inside a batch's state folder (operators use sub-folders named by their ids). */
export const WATERMARK_STATE_FILE = 'watermark.json'

/** What a batch saw of event time: max per watermark input (partition) and the overall range, for the tracker and progress. */
export interface BatchEventTime {
  maxByPartition: Map<string, number>
  min: number | null
  max: number | null
}

/**
 * Measures `column` of `relation` (epoch ms of any type eventTimeMsExpr accepts). Partitions are `<input>:<partition>` when
 * the relation has a `partition` column (the topic source's rows carry it; keep it through the transform), else `<input>`,
 * so each topic partition is its own watermark input and any other source counts as one. A relation without the column
 * yields nothing (a transform may drop it when no stateful stage needs it).
 * @throws EventTimeError EVENT_TIME_COLUMN when the column has a type that is not a time; DuckDB errors as they come.
 */
export async function measureEventTime(port: DuckdbSession, relation: string, column: string, input = '0'): Promise<BatchEventTime> {
  const columns = (await port.query(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${sqlIdent(relation)})`)).map((c) => String(c.column_name))
  if (!columns.includes(column)) return { maxByPartition: new Map(), min: null, max: null }
  const ms = await eventTimeMsExpr(port, relation, column)
  const partition = columns.includes('partition') ? `'${input}:' || (${sqlIdent('partition')})::VARCHAR` : `'${input}'`
  const rows = await port.query(`SELECT ${partition} AS p, min(${ms})::BIGINT AS lo, max(${ms})::BIGINT AS hi
    FROM ${sqlIdent(relation)} WHERE ${ms} IS NOT NULL GROUP BY 1 ORDER BY 1`)
  return mergeEventTimes(rows.map((r) => ({ maxByPartition: new Map([[String(r.p), Number(r.hi)]]), min: Number(r.lo), max: Number(r.hi) })))
}

/** Combines the measurements of several inputs (partition names are already distinct per input). */
export function mergeEventTimes(parts: BatchEventTime[]): BatchEventTime {
  const out: BatchEventTime = { maxByPartition: new Map(), min: null, max: null }
  for (const p of parts) {
    for (const [k, v] of p.maxByPartition) out.maxByPartition.set(k, Math.max(v, out.maxByPartition.get(k) ?? -Infinity))
    if (p.min !== null) out.min = out.min === null ? p.min : Math.min(out.min, p.min)
    if (p.max !== null) out.max = out.max === null ? p.max : Math.max(out.max, p.max)
  }
  return out
}

/**
 * The watermark of one run of a query. Idleness is measured against batches' recorded trigger times (not the wall clock at
 * the moment of a re-run), so a batch re-run after a crash reproduces the tracker state of its first attempt exactly.
 */
export class QueryWatermark {
  private constructor(private readonly tracker: WatermarkTracker) {}

  /**
   * The tracker as it was after the last committed batch (state/<C>/watermark.json), or a new one when nothing committed.
   * @throws StreamError CHECKPOINT_CORRUPT naming the file when it is missing (the checkpoint predates the event-time spec,
   *   or was tampered with), unreadable, or not a saved tracker; INVALID_ARGUMENT when the spec's delay is invalid.
   */
  static async restore(spec: EventTimeSpec, lastCommittedStateDir: string | null): Promise<QueryWatermark> {
    let fresh: WatermarkTracker
    try {
      fresh = new WatermarkTracker(spec)
    } catch (e) {
      throw new StreamError('INVALID_ARGUMENT', (e as Error).message)
    }
    if (lastCommittedStateDir === null) return new QueryWatermark(fresh)
    const file = path.join(lastCommittedStateDir, WATERMARK_STATE_FILE)
    const saved = await readJsonFile<object>(file)
    if (saved === null) {
      throw new StreamError('CHECKPOINT_CORRUPT', `checkpoint file ${file} is missing: the watermark after the last committed batch is unknown (was the query started without an event-time spec before?); restore it, or delete the checkpoint and reset the stream`, { file })
    }
    try {
      // The spec given now applies (delay, idle timeout may have changed); what was observed carries over.
      return new QueryWatermark(WatermarkTracker.fromJSON({ ...saved, spec: { ...spec } }, file))
    } catch (e) {
      if (e instanceof EventTimeError) throw new StreamError('CHECKPOINT_CORRUPT', e.message, { file })
      throw e
    }
  }

  /** The watermark for the next batch (null: no event time seen yet). */
  current(): number | null {
    return this.tracker.current()
  }

  /**
   * Called before batch N runs with its trigger time: partitions idle for longer than the timeout at that time stop holding
   * the watermark back, so the watermark recorded in offsets/N may be ahead of the one computed at the end of batch N-1.
   */
  beginBatch(triggerTime: number): number | null {
    this.tracker.observe(new Map(), triggerTime)
    return this.tracker.current()
  }

  /** What beginBatch would return at `triggerTime`, without changing the tracker (to decide on a no-data batch). */
  peek(triggerTime: number): number | null {
    const copy = WatermarkTracker.fromJSON(this.tracker.toJSON())
    copy.observe(new Map(), triggerTime)
    return copy.current()
  }

  /** Folds in batch N's event times (late rows included, as Spark's EventTimeWatermarkExec does). */
  observe(eventTime: BatchEventTime, triggerTime: number): void {
    this.tracker.observe(eventTime.maxByPartition, triggerTime)
  }

  /** Writes the tracker to `<stateDir>/watermark.json` (temp + fsync + rename: a crash leaves the old or the new file). */
  async save(stateDir: string): Promise<void> {
    await fs.mkdir(stateDir, { recursive: true })
    const file = path.join(stateDir, WATERMARK_STATE_FILE)
    const tmp = path.join(stateDir, `.${WATERMARK_STATE_FILE}.${randomUUID()}.tmp`)
    const handle = await fs.open(tmp, 'wx')
    try {
      await handle.writeFile(JSON.stringify(this.tracker.toJSON()) + '\n')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(tmp, file)
  }

  /** Per-partition view (idle or not at `now`) for the streaming panel. */
  partitions(now: number): { partition: string; maxEventTimeMs: number; idle: boolean }[] {
    return this.tracker.partitionStates(now)
  }
}
