// fakeStream: the in-memory, deterministic stream domain of the fake engine: a producer, one query at a time, batches pushed by tests.
import { EngineError } from '../api/errors'
import type { EngineEvent } from '../api/events'
import type {
  CheckpointFlowInfo,
  LateRowInfo,
  ProducerInfo,
  ProducerSettings,
  StreamApi,
  StreamBatchInfo,
  StreamQueryInfo,
  StreamStatus,
  StreamTrigger
} from '../api/streamApi'

/** The two stream events the fake sends. */
export type FakeStreamEvent = Extract<EngineEvent, { type: 'stream.progress' | 'stream.status' }>

export interface FakeBatchOptions {
  /** Rows the batch reads; default 120 + 10 × batchId. */
  inputRows?: number
  /** Rows it sends to the late table; default 1 on odd batch ids, 0 on even ones. */
  lateRows?: number
  /** Milliseconds the clock moves before the batch; default the trigger's interval (1 s for other triggers). */
  advanceMs?: number
}

export interface FakeStream extends StreamApi {
  /** Every call made, in order, as `stream.method` with its argument. */
  readonly calls: { method: string; arg: unknown }[]
  /**
   * Runs one micro-batch of the running query now: records its progress, late rows and checkpoint entries, then emits
   * `stream.progress` and `stream.status`. @throws EngineError STREAM_NOT_FOUND when no query is running.
   */
  emitBatch(options?: FakeBatchOptions): StreamBatchInfo
}

export interface FakeStreamOptions {
  /** Called with `stream.<method>` and its argument for every call (the fake engine's call log). */
  record?(method: string, arg: unknown): void
  /** The lakehouse's producer, or null for a lakehouse that has none. */
  producer?: ProducerInfo | null
  /** First clock reading (ms since the epoch); default 2026-01-01T08:00:00Z. */
  startTime?: number
}

/**
 * The knobs' valid ranges, as the real producer checks them (engine/stream/producer/liveSource.ts): a positive rate,
 * 1..100000 records per file, fractions in [0, 1] with duplicate at most 0.5; the fractions are checked together too.
 */
const limits: Record<keyof ProducerSettings, { min: number; max: number; exclusiveMin?: boolean; integer?: boolean }> = {
  filesPerSecond: { min: 0, max: Number.MAX_VALUE, exclusiveMin: true },
  recordsPerFile: { min: 1, max: 100_000, integer: true },
  outOfOrder: { min: 0, max: 1 },
  late: { min: 0, max: 1 },
  duplicate: { min: 0, max: 0.5 },
  malformed: { min: 0, max: 1 }
}
const fractions = ['outOfOrder', 'late', 'duplicate', 'malformed'] as const

/** The sbit live producer as a fresh sample lakehouse has it. */
export function defaultFakeProducer(): ProducerInfo {
  return {
    description: 'sbit heart-rate readings → landing/kafka_multiplex (topic bpm)',
    status: 'idle',
    filesProduced: 0,
    recordsProduced: 0,
    settings: { filesPerSecond: 2, recordsPerFile: 100, outOfOrder: 0.1, late: 0.02, duplicate: 0.01, malformed: 0 },
    lastEventTime: null
  }
}

const minute = 60_000
/** How far the fake's watermark trails the newest event time (the live table's 10-minute lateness). */
const watermarkDelayMs = 10 * minute

/**
 * Creates the fake stream domain. Pipelines `sbit` and `sbit_live` can be streamed. Nothing happens on its own: batches
 * run only when a test calls emitBatch(), so every number is a function of the calls made. Errors are EngineErrors with
 * the real engine's codes: INVALID_ARGUMENT (detail.path names the knob), NO_PRODUCER, STREAM_RUNNING, STREAM_NOT_FOUND,
 * PIPELINE_NOT_FOUND.
 */
export function fakeStream(emit: (event: EngineEvent) => void, options: FakeStreamOptions = {}): FakeStream {
  const calls: { method: string; arg: unknown }[] = []
  const record = (method: string, arg: unknown) => {
    calls.push({ method, arg })
    options.record?.(method, arg)
  }
  const pipelines = ['sbit', 'sbit_live']
  let producer: ProducerInfo | null = options.producer === undefined ? defaultFakeProducer() : options.producer
  let query: StreamQueryInfo | null = null
  let now = options.startTime ?? Date.UTC(2026, 0, 1, 8)
  let runs = 0
  // Per pipeline: its batches (oldest first), late rows (oldest first) and checkpoint flows.
  const batches = new Map<string, StreamBatchInfo[]>()
  const late = new Map<string, LateRowInfo[]>()
  const checkpoints = new Map<string, CheckpointFlowInfo[]>()

  const send = (event: FakeStreamEvent) => emit(event)
  const snapshot = (): StreamStatus => ({
    producer: producer && { ...producer, settings: { ...producer.settings } },
    query: query && { ...query, trigger: { ...query.trigger } },
    pipelines: [...pipelines]
  })
  const sendStatus = () => send({ type: 'stream.status', status: snapshot() })
  const needProducer = (): ProducerInfo => {
    if (!producer) throw new EngineError('NO_PRODUCER', 'This lakehouse has no live producer: only sample lakehouses (sbit, retail) come with one', {})
    return producer
  }
  const writeFile = (p: ProducerInfo) => {
    p.filesProduced += 1
    p.recordsProduced += p.settings.recordsPerFile
    now += 1000
    p.lastEventTime = now - 5000
  }

  const stream: FakeStream = {
    calls,
    async status() {
      record('stream.status', undefined)
      return snapshot()
    },
    async configureProducer(arg) {
      record('stream.configureProducer', arg)
      const p = needProducer()
      const next = { ...p.settings }
      for (const [knob, value] of Object.entries(arg) as [keyof ProducerSettings, unknown][]) {
        const limit = limits[knob]
        if (!limit) throw new EngineError('INVALID_ARGUMENT', `There is no producer setting ${knob}`, { path: knob })
        const below = typeof value === 'number' && (limit.exclusiveMin ? value <= limit.min : value < limit.min)
        if (typeof value !== 'number' || !Number.isFinite(value) || below || value > limit.max || (limit.integer && !Number.isInteger(value))) {
          const range = limit.exclusiveMin ? 'a positive number' : `${limit.integer ? 'a whole number' : 'a number'} from ${limit.min} to ${limit.max}`
          throw new EngineError('INVALID_ARGUMENT', `Producer setting ${knob} must be ${range} (got ${String(value)})`, { path: knob, value: String(value) })
        }
        next[knob] = value
      }
      const sum = fractions.reduce((total, knob) => total + next[knob], 0)
      if (sum > 1 + 1e-9) {
        const changed = fractions.find((knob) => knob in arg) ?? 'late'
        throw new EngineError('INVALID_ARGUMENT', `Producer setting ${changed}: the out-of-order, late, duplicate and malformed fractions add up to ${sum.toFixed(2)}, more than 1`, { path: changed })
      }
      p.settings = next
      sendStatus()
      return snapshot().producer!
    },
    async controlProducer(arg) {
      record('stream.controlProducer', arg)
      const p = needProducer()
      if (arg.action === 'start' || arg.action === 'resume') p.status = 'running'
      else if (arg.action === 'pause') {
        if (p.status !== 'running') throw new EngineError('PRODUCER_NOT_RUNNING', `The producer is ${p.status}: only a running producer can be paused`, {})
        p.status = 'paused'
      } else writeFile(p)
      sendStatus()
      return snapshot().producer!
    },
    async start(arg) {
      record('stream.start', arg)
      if (query?.status === 'running') throw new EngineError('STREAM_RUNNING', `Pipeline ${query.pipeline} is already streaming (run ${query.runId}): stop it first`, { pipeline: query.pipeline })
      if (!pipelines.includes(arg.pipeline)) throw new EngineError('PIPELINE_NOT_FOUND', `There is no pipeline ${arg.pipeline}`, { pipeline: arg.pipeline })
      checkTrigger(arg.trigger)
      runs += 1
      query = { runId: `stream-${runs}`, pipeline: arg.pipeline, trigger: { ...arg.trigger }, status: 'running', batches: 0, startedAt: now }
      sendStatus()
      return { ...query }
    },
    async stop(arg) {
      record('stream.stop', arg)
      if (!query || query.runId !== arg.runId || query.status !== 'running') throw new EngineError('STREAM_NOT_FOUND', `No streaming query ${arg.runId} is running`, {})
      query.status = 'stopped'
      sendStatus()
      return { ...query }
    },
    async progress(arg) {
      record('stream.progress', arg)
      return (batches.get(arg.pipeline) ?? []).slice(-(arg.limit ?? 200)).map((b) => structuredClone(b))
    },
    async lateRows(arg) {
      record('stream.lateRows', arg)
      return [...(late.get(arg.pipeline) ?? [])].reverse().slice(0, arg.limit ?? 200).map((r) => structuredClone(r))
    },
    async checkpoint(arg) {
      record('stream.checkpoint', arg)
      const limit = arg.limit ?? 50
      return (checkpoints.get(arg.pipeline) ?? []).map((f) => ({ ...f, batches: f.batches.slice(0, limit).map((b) => structuredClone(b)) }))
    },
    emitBatch(batchOptions = {}) {
      if (!query || query.status !== 'running') throw new EngineError('STREAM_NOT_FOUND', 'No streaming query is running: call stream.start first', {})
      const { pipeline, runId } = query
      const list = batches.get(pipeline) ?? []
      const batchId = list.length
      const advanceMs = batchOptions.advanceMs ?? (query.trigger.kind === 'processingTime' ? query.trigger.intervalMs : 1000)
      now += advanceMs
      const inputRows = batchOptions.inputRows ?? 120 + 10 * batchId
      const lateCount = batchOptions.lateRows ?? batchId % 2
      // Event time runs 30 s behind processing time; the watermark is the previous batch's newest event time minus the delay.
      const max = now - 30_000
      const previousMax = list[list.length - 1]?.eventTime?.max ?? null
      const watermark = previousMax === null ? null : previousMax - watermarkDelayMs
      const durationMs = 200 + 5 * batchId
      const batch: StreamBatchInfo = {
        id: `pipeline/${pipeline}`,
        runId,
        name: pipeline,
        batchId,
        timestamp: now,
        numInputRows: inputRows,
        inputRowsPerSecond: inputRows / (advanceMs / 1000),
        processedRowsPerSecond: Math.round((inputRows / durationMs) * 1000),
        durationMs: { triggerExecution: durationMs, latestOffset: 10, getBatch: 20, addBatch: durationMs - 60, walCommit: 15, commitOffsets: 15 },
        eventTime: { watermark, max, min: max - 2 * minute },
        stateOperators: [{ operatorName: 'silver.live_bpm_10min', eventTime: { watermark, max, min: max - 2 * minute }, numRowsTotal: 40 + 4 * batchId, numRowsUpdated: 12, numRowsDroppedByWatermark: lateCount }],
        sources: [{ description: 'FileStreamSource[landing/kafka_multiplex]', startOffset: { logOffset: batchId - 1 }, endOffset: { logOffset: batchId }, numInputRows: inputRows }],
        sink: { description: 'DeltaSink[silver.live_bpm_10min]', numOutputRows: inputRows - lateCount },
        numRowsLate: lateCount,
        status: 'completed'
      }
      batches.set(pipeline, [...list, batch])
      const lateList = late.get(pipeline) ?? []
      for (let i = 0; i < lateCount; i++) {
        // A late row misses the watermark by (i + 1) minutes; before the first watermark, it misses the newest event time's.
        const compared = watermark ?? max - watermarkDelayMs
        const eventTime = compared - (i + 1) * minute
        lateList.push({
          table: 'silver.live_bpm_10min_late',
          target: 'silver.live_bpm_10min',
          eventTime,
          watermark: compared,
          latenessMs: compared - eventTime,
          batchId,
          processedAt: now,
          row: { device_id: 100 + batchId, time: new Date(eventTime).toISOString(), heartrate: 70 + i }
        })
      }
      late.set(pipeline, lateList)
      recordCheckpoint(pipeline, batch)
      query.batches += 1
      send({ type: 'stream.progress', pipeline, runId, batch: structuredClone(batch) })
      sendStatus()
      return structuredClone(batch)
    }
  }

  /** Two flows per pipeline: the file-reading bronze flow and the watermarked silver aggregation reading it as Delta. */
  function recordCheckpoint(pipeline: string, batch: StreamBatchInfo) {
    const flows = checkpoints.get(pipeline) ?? [
      { flow: 'live_bpm_raw', target: 'bronze.live_bpm_raw', path: `checkpoints/${pipeline}/live_bpm_raw`, batches: [] },
      { flow: 'live_bpm_10min', target: 'silver.live_bpm_10min', path: `checkpoints/${pipeline}/live_bpm_10min`, batches: [] }
    ]
    const id = batch.batchId
    const file = `landing/kafka_multiplex/part-${String(id).padStart(5, '0')}.json`
    flows[0]!.batches.unshift({ batchId: id, committed: true, files: [file], deltaRanges: [], offsets: { batchWatermarkMs: 0, files: [file] }, watermark: null, stateRows: null })
    flows[1]!.batches.unshift({
      batchId: id,
      committed: true,
      files: [],
      deltaRanges: [`bronze.live_bpm_raw@${id}..${id + 1}`],
      offsets: { batchWatermarkMs: batch.eventTime?.watermark ?? 0, sources: [{ table: 'bronze.live_bpm_raw', fromVersion: id, toVersion: id + 1 }] },
      watermark: batch.eventTime?.watermark ?? null,
      stateRows: batch.stateOperators[0]?.numRowsTotal ?? null
    })
    checkpoints.set(pipeline, flows)
  }

  return stream
}

/** @throws EngineError INVALID_ARGUMENT when a processingTime interval is not a positive whole number of milliseconds. */
function checkTrigger(trigger: StreamTrigger): void {
  if (trigger.kind === 'processingTime' && (!Number.isInteger(trigger.intervalMs) || trigger.intervalMs <= 0)) {
    throw new EngineError('INVALID_ARGUMENT', `intervalMs must be a positive whole number of milliseconds (got ${trigger.intervalMs})`, { path: 'trigger.intervalMs' })
  }
}
