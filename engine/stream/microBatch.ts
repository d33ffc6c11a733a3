// One micro-batch, from planning its offsets to commits/N: the stages, in the order that makes a crash at any point recoverable.
//
//   plan (nextEnd per source) ─► offsets/N ─► load (start, end] per source ─► transform ─► [stateful step: state/<N>/<op>]
//   ─► watermark observed, state/<N>/watermark.json ─► <sink>_late write and sink write, each with txn(queryId, N)
//   ─► system.stream_progress (txn) ─► commits/N ─► retention (offsets, commits and state folders of old batches)
//   A crash before offsets/N: nothing happened. After it: batch N re-runs with the recorded offsets. After the sink
//   commit: the re-run's write is skipped by the txn. After commits/N: batch N+1 is planned from offsets/N.
import { performance } from 'node:perf_hooks'
import { sqlIdent } from '../delta/parquetPort'
import type { DuckdbSession } from '../sql/duckdbSession'
import type { CheckpointMetadata, OffsetEntry, StreamCheckpoint } from './checkpoint/streamCheckpoint'
import type { DeltaSink } from './deltaSink'
import type { EventTimeSpec } from './eventTime/watermarkTracker'
import { appendProgress, type BatchProgress } from './progress'
import { measureEventTime, type QueryWatermark } from './queryWatermark'
import type { SourceOffset, StreamSource } from './sources/streamSource'
import type { StatefulStep, StatefulStepOutput } from './statefulStep'
import type { StreamClock } from './clock'

/** Durable points of a batch, reported to `onPhase` (crash tests kill the process there). */
export type BatchPhase = 'offsetsPublishing' | 'offsetsWritten' | 'loaded' | 'sinkCommitted' | 'progressWritten' | 'commitPublishing' | 'committed'

/** Everything a batch needs from its query. */
export interface BatchContext {
  name: string
  runId: string
  metadata: CheckpointMetadata
  lakehouseRoot: string
  sources: StreamSource[]
  transform?: (relations: string[]) => string
  eventTime?: EventTimeSpec
  statefulStep?: StatefulStep
  /** The run's watermark (set iff eventTime is): observed and saved by every batch before its commits/N. */
  watermark: QueryWatermark | null
  port: DuckdbSession
  checkpoint: StreamCheckpoint
  sink: DeltaSink
  lateSink: DeltaSink
  clock: StreamClock
  recordProgress: boolean
  retainBatches: number
  /** Unique per run, so queries sharing a DuckDB session never clash. */
  relationPrefix: string
  onPhase: (phase: BatchPhase, batchId: number) => void
  /** @throws StreamError QUERY_CANCELLED once the query was cancelled. */
  assertNotCancelled: () => void
}

/** A batch to run: its recorded (or about to be recorded) end, and where it starts. */
export interface PlannedBatch {
  start: OffsetEntry | null
  end: OffsetEntry
  /** False for a re-run of a batch found in offsets/ at start (its offsets file exists already). */
  isNew: boolean
  latestOffsetMs: number
}

const startOf = (start: OffsetEntry | null, source: StreamSource): SourceOffset | null => start?.sources[source.id] ?? null

/**
 * Asks every source for its next end; null when none has new data, unless `runWithoutData` (Spark's no-data micro-batch:
 * the watermark moved and a stateful step may emit), in which case the batch ends where it starts and loads no rows.
 * @throws whatever a source's nextEnd throws (StreamError SOURCE_OFFSET_INVALID ...).
 */
export async function planBatch(ctx: BatchContext, last: OffsetEntry | null, batchId: number, triggerTime: number, watermarkMs: number | null, runWithoutData = false): Promise<PlannedBatch | null> {
  const began = performance.now()
  const ends: Record<string, SourceOffset> = {}
  let hasData = false
  for (const source of ctx.sources) {
    const start = startOf(last, source)
    const end = await source.nextEnd(start)
    ends[source.id] = end
    if (!source.sameOffset(start, end)) hasData = true
  }
  if (!hasData && !runWithoutData) return null
  return { start: last, end: { batchId, triggerTime, watermarkMs, sources: ends }, isNew: true, latestOffsetMs: performance.now() - began }
}

/**
 * Runs one planned batch to commits/N and returns its progress (listeners are the caller's business).
 * `restoreFrom` is the state folder of the last committed batch on the first batch of a resumed run.
 * @throws StreamError CHECKPOINT_CONFLICT (another writer's offsets/N or commits/N), QUERY_CANCELLED; DeltaError from
 *   the sink (SCHEMA_MISMATCH, CONCURRENT_TRANSACTION); source and DuckDB errors naming the file or source.
 */
export async function runBatch(ctx: BatchContext, batch: PlannedBatch, previousTriggerTime: number | null, restoreFrom: string | null): Promise<{ progress: BatchProgress; maxEventTimeMs: number | null }> {
  const id = batch.end.batchId
  const began = performance.now()
  const temp: string[] = []
  try {
    let walCommit = 0
    if (batch.isNew) {
      const t = performance.now()
      await ctx.checkpoint.offsets.add(batch.end, () => ctx.onPhase('offsetsPublishing', id))
      walCommit = performance.now() - t
      ctx.onPhase('offsetsWritten', id)
    }
    ctx.assertNotCancelled()
    const loadStarted = performance.now()
    const relations: string[] = []
    const sourceProgress: BatchProgress['sources'] = []
    for (const [i, source] of ctx.sources.entries()) {
      const relation = `${ctx.relationPrefix}_src${i}`
      temp.push(relation)
      const start = startOf(batch.start, source)
      const end = batch.end.sources[source.id]!
      const { rows } = await source.load(start, end, { port: ctx.port, relation })
      relations.push(relation)
      sourceProgress.push({ description: source.id, startOffset: start, endOffset: end, numInputRows: rows })
      ctx.assertNotCancelled()
    }
    const getBatch = performance.now() - loadStarted
    ctx.onPhase('loaded', id)
    const addStarted = performance.now()
    let output = relations[0]!
    if (ctx.transform) {
      output = `${ctx.relationPrefix}_out`
      temp.push(output)
      await ctx.port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(output)} AS ${ctx.transform(relations)}`)
    }
    const stateDir = ctx.checkpoint.stateDir(id)
    const transformed = output
    let stateful: StatefulStepOutput | null = null
    if (ctx.statefulStep) {
      stateful = await ctx.statefulStep({ port: ctx.port, relation: output, batchId: id, watermarkMs: batch.end.watermarkMs, stateDir, restoreFrom, sources: relations, eventTimeColumn: ctx.eventTime?.column })
      output = stateful.emitted
    }
    // Event times of what the step consumed (its own measure of its inputs), else of the transform's output.
    const range = ctx.eventTime ? (stateful?.eventTime ?? await measureEventTime(ctx.port, transformed, ctx.eventTime.column)) : null
    if (ctx.watermark) {
      // Observed at the recorded trigger time, so a re-run reproduces the same tracker state; saved before commits/N.
      if (range) ctx.watermark.observe(range, batch.end.triggerTime)
      await ctx.watermark.save(stateDir)
    }
    ctx.assertNotCancelled()
    const query = { id: ctx.metadata.id, name: ctx.name, batchId: id }
    const late = await lateRelation(ctx, stateful, temp)
    // Two tables cannot share a Delta commit: each write carries txn(queryId, N), so either one is skipped when re-run,
    // and the step's determinism makes the re-run's rows the ones the first attempt wrote.
    if (late) await ctx.lateSink.write(late, query)
    const sinkVersion = await ctx.sink.write(output, query)
    const written = await ctx.port.query(`SELECT count(*)::BIGINT AS n FROM ${sqlIdent(output)}`)
    const addBatch = performance.now() - addStarted
    ctx.onPhase('sinkCommitted', id)
    ctx.assertNotCancelled()
    const numInputRows = sourceProgress.reduce((a, s) => a + s.numInputRows, 0)
    const sinceLastTrigger = previousTriggerTime === null ? 0 : batch.end.triggerTime - previousTriggerTime
    const progress: BatchProgress = {
      id: ctx.metadata.id, runId: ctx.runId, name: ctx.name, batchId: id, timestamp: batch.end.triggerTime,
      numInputRows,
      inputRowsPerSecond: sinceLastTrigger > 0 ? numInputRows / (sinceLastTrigger / 1000) : 0,
      processedRowsPerSecond: 0,
      durationMs: { triggerExecution: 0, latestOffset: batch.latestOffsetMs, getBatch, addBatch, walCommit, commitOffsets: 0 },
      ...(range ? { eventTime: { watermark: batch.end.watermarkMs, min: range.min, max: range.max } } : {}),
      stateOperators: stateful?.stateOperators ?? [],
      sources: sourceProgress,
      sink: { description: `DeltaSink[${ctx.sink.table}]`, numOutputRows: Number(written[0]!.n) },
      numRowsLate: stateful?.numLateRows ?? 0
    }
    if (ctx.recordProgress) {
      // The row is written before commits/N so that its txn keeps it exactly-once; its duration excludes the commit file.
      progress.durationMs.triggerExecution = performance.now() - began + batch.latestOffsetMs
      await appendProgress(ctx.lakehouseRoot, ctx.port, progress, ctx.clock)
      ctx.onPhase('progressWritten', id)
    }
    const commitStarted = performance.now()
    await ctx.checkpoint.commits.add({ batchId: id, committedAt: ctx.clock.now(), sinkVersion }, () => ctx.onPhase('commitPublishing', id))
    progress.durationMs.commitOffsets = performance.now() - commitStarted
    ctx.onPhase('committed', id)
    await ctx.checkpoint.applyRetention(id, ctx.retainBatches)
    progress.durationMs.triggerExecution = performance.now() - began + batch.latestOffsetMs
    const seconds = progress.durationMs.triggerExecution / 1000
    progress.processedRowsPerSecond = seconds > 0 ? numInputRows / seconds : 0
    return { progress, maxEventTimeMs: range?.max ?? null }
  } finally {
    for (const relation of temp) await ctx.port.exec(`DROP TABLE IF EXISTS ${sqlIdent(relation)}`).catch(() => undefined)
  }
}

/**
 * The step's late rows as one relation (a second write with the same txn version would be skipped), or null when there
 * are none: `<sink>_late` gets a commit only in batches that have late rows.
 */
async function lateRelation(ctx: BatchContext, stateful: StatefulStepOutput | null, temp: string[]): Promise<string | null> {
  if (!stateful || stateful.late.length === 0 || stateful.numLateRows === 0) return null
  if (stateful.late.length === 1) return stateful.late[0]!
  const relation = `${ctx.relationPrefix}_late`
  temp.push(relation)
  const parts = stateful.late.map((r, i) => `SELECT ${i}::INTEGER AS _input, * FROM ${sqlIdent(r)}`)
  await ctx.port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relation)} AS ${parts.join(' UNION ALL BY NAME ')}`)
  return relation
}
