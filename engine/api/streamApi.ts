// The stream domain of the Engine API: a live producer feeding the lakehouse's landing zone, a pipeline run continuously
// as micro-batches on a trigger, and what they leave behind (progress rows, late rows, checkpoints).

/** When micro-batches run: everything available then stop, exactly one batch, or one batch per interval. */
export type StreamTrigger = { kind: 'availableNow' } | { kind: 'once' } | { kind: 'processingTime'; intervalMs: number }

/**
 * The live producer's knobs. Fractions are in [0, 1] and sum to at most 1; each record is on time, out of order (up to
 * a minute behind the newest), late (further behind than the declared lateness, so a watermarked table sends it to
 * `<table>_late`), a duplicate of a recent record (at-least-once redelivery) or malformed (an unparseable payload).
 * A change applies from the next file on; files already written never change.
 */
export interface ProducerSettings {
  /** Files written per second while running. */
  filesPerSecond: number
  /** Records in each file. */
  recordsPerFile: number
  outOfOrder: number
  late: number
  duplicate: number
  malformed: number
}

export type ProducerStatusName = 'idle' | 'running' | 'paused' | 'failed'

export interface ProducerInfo {
  /** What it writes where, e.g. `sbit heart-rate readings → landing/kafka_multiplex (topic bpm)`. */
  description: string
  status: ProducerStatusName
  filesProduced: number
  recordsProduced: number
  settings: ProducerSettings
  /** Event time (ms since the epoch) of the newest record written, or null before the first. */
  lastEventTime: number | null
  /** Why it failed (status `failed`). */
  error?: string
}

export type StreamQueryStatusName = 'running' | 'stopping' | 'stopped' | 'failed'

/** A pipeline run continuously as a streaming query. */
export interface StreamQueryInfo {
  /** Returned by stream.start; stop and events name the query by it. */
  runId: string
  pipeline: string
  trigger: StreamTrigger
  status: StreamQueryStatusName
  /** Batches run since this start. */
  batches: number
  /** Start time, ms since the epoch. */
  startedAt: number
  /** Why the query failed (status `failed`), or the last batch's pipeline error while it keeps running. */
  error?: string
}

export interface StreamStatus {
  /** The live producer of the lakehouse's sample profile, or null when the lakehouse has none (not a sample lakehouse). */
  producer: ProducerInfo | null
  /** The query started last since the lakehouse was opened (running or not), or null. */
  query: StreamQueryInfo | null
  /** Pipelines of the lakehouse that can be streamed. */
  pipelines: string[]
}

/** One stateful operator (window, session, join) of a batch. */
export interface StreamStateOperatorInfo {
  /** The table the operator's flow writes (`schema.table`), as Spark names an operator; absent for plain queries. */
  operatorName?: string
  /**
   * This operator's own watermark and the event-time range its flow read in the batch (ms); the batch's `eventTime`
   * combines every operator's. Absent when the flow recorded none.
   */
  eventTime?: { watermark: number | null; max: number | null; min: number | null }
  /** State rows kept after the batch, and updated in it. */
  numRowsTotal: number
  numRowsUpdated: number
  /** Input rows the operator did not take because they were at or below the watermark (they went to `<sink>_late`). */
  numRowsDroppedByWatermark: number
  /** State rows evicted by the watermark in this batch (Spark's numRowsRemoved). */
  numRowsRemoved?: number
}

/** One micro-batch as recorded in system.stream_progress: Spark's StreamingQueryProgress shape, trimmed. */
export interface StreamBatchInfo {
  /** Stable query id (`pipeline/<name>`), the run it belongs to, and the pipeline name. */
  id: string
  runId: string
  name: string
  batchId: number
  /** Trigger time, ms since the epoch. */
  timestamp: number
  numInputRows: number
  inputRowsPerSecond: number
  processedRowsPerSecond: number
  durationMs: { triggerExecution: number; latestOffset: number; getBatch: number; addBatch: number; walCommit: number; commitOffsets: number }
  /** Watermarked tables of the pipeline only: the watermark the batch ran with and the event-time range it read (ms). */
  eventTime?: { watermark: number | null; max: number | null; min: number | null }
  stateOperators: StreamStateOperatorInfo[]
  sources: { description: string; startOffset: unknown; endOffset: unknown; numInputRows: number }[]
  sink: { description: string; numOutputRows: number }
  numRowsLate: number
  /** The pipeline run's outcome for this batch and, when it did not complete, why. */
  status?: 'completed' | 'failed' | 'cancelled' | 'invalid'
  error?: string
}

/** A row a watermarked table refused because it arrived behind the watermark (from `<table>_late`). */
export interface LateRowInfo {
  /** The late table (`schema.table_late`) and the table it belongs to. */
  table: string
  target: string
  /** The row's event time, the watermark it was compared with, and by how much it missed (ms). */
  eventTime: number
  watermark: number
  latenessMs: number
  /** Micro-batch (pipeline batch id of the flow) that read it, when recorded. */
  batchId: number | null
  /** When it was processed (ms since the epoch), when recorded. */
  processedAt: number | null
  /** The row's own columns (values as text or numbers). */
  row: Record<string, string | number | boolean | null>
}

/** One batch of a flow checkpoint: what `offsets/N` recorded and whether `commits/N` exists. */
export interface CheckpointBatchInfo {
  batchId: number
  committed: boolean
  /** Files the batch read (lakehouse-relative), for file sources. */
  files: string[]
  /** Delta source versions the batch read, `table@from..to`, for Delta sources. */
  deltaRanges: string[]
  /** The raw offsets/N JSON. */
  offsets: unknown
  /** Watermark the batch ran with (watermarked flows), ms. */
  watermark: number | null
  /** State rows kept after the batch (stateful flows). */
  stateRows: number | null
}

/** The checkpoint folder of one flow of a pipeline: checkpoints/<pipeline>/<flow>/. */
export interface CheckpointFlowInfo {
  flow: string
  target: string
  /** Lakehouse-relative folder. */
  path: string
  /** Newest first. */
  batches: CheckpointBatchInfo[]
}

export interface StreamApi {
  status(): Promise<StreamStatus>
  /** Changes the producer's knobs (only those given). @throws EngineError INVALID_ARGUMENT naming the knob; NO_PRODUCER. */
  configureProducer(arg: Partial<ProducerSettings>): Promise<ProducerInfo>
  /** start/pause/resume the producer, or write exactly one file now (step). @throws EngineError NO_PRODUCER. */
  controlProducer(arg: { action: 'start' | 'pause' | 'resume' | 'step' }): Promise<ProducerInfo>
  /**
   * Starts the pipeline as a streaming query in the background; `stream.progress` events follow, one per batch.
   * @throws EngineError STREAM_RUNNING when a query is running, PIPELINE_NOT_FOUND, PIPELINE_INVALID, CHECKPOINT_LOCKED
   * when another process streams it.
   */
  start(arg: { pipeline: string; trigger: StreamTrigger }): Promise<StreamQueryInfo>
  /** Stops gracefully: the running batch finishes, no new one starts. Resolves once stopped. @throws EngineError STREAM_NOT_FOUND. */
  stop(arg: { runId: string }): Promise<StreamQueryInfo>
  /** The newest `limit` (default 200) batches of the pipeline's query from system.stream_progress, oldest first. */
  progress(arg: { pipeline: string; limit?: number }): Promise<StreamBatchInfo[]>
  /** The newest `limit` (default 200) rows of every `_late` table the pipeline writes, newest first. */
  lateRows(arg: { pipeline: string; limit?: number }): Promise<LateRowInfo[]>
  /** The pipeline's flow checkpoints with their newest `limit` (default 50) batches each. */
  checkpoint(arg: { pipeline: string; limit?: number }): Promise<CheckpointFlowInfo[]>
}
