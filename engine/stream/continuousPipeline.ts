// A pipeline run continuously as micro-batches: each trigger is one incremental pipeline run over what a producer landed.
//
//   trigger ─► pendingInput (landing files no flow checkpoint has committed, batches a crash left open)
//           ─► runLoadedPipeline (streaming tables read new files only; MVs commit only when their inputs changed)
//           ─► BatchProgress ─► system.stream_progress (txn stream_progress:<id>, version = batch id) ─► onBatch
// Exactly-once comes from the runner (per-flow checkpoints + Delta txn) and the producer (resumable state): this loop
// holds no state of its own besides the batch counter, which it reads back from system.stream_progress on start.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { DeltaTable } from '../delta/deltaTable'
import type { Lakehouse } from '../lakehouse/folder'
import { FlowCheckpoint } from '../pipeline/run/checkpoints'
import { listSourceFiles } from '../pipeline/run/fileSource'
import { runLoadedPipeline, type LoadedPipeline, type PipelineRunResult } from '../pipeline/runner'
import { DuckdbSession } from '../sql/duckdbSession'
import { CheckpointLock } from './checkpoint/checkpointLock'
import { systemClock, type StreamClock } from './clock'
import { batchEventTime, batchStateOperators } from './pipelineBatchProgress'
import type { Producer } from './producer/producer'
import { appendProgress, progressTableRoot, type BatchProgress } from './progress'
import { nextTriggerTime, type Trigger } from './trigger'

/** A producer feeding the pipeline, and how many units it produces in all (to tell when it is exhausted). */
export interface PipelineFeed {
  producer: Producer
  totalUnits: number
}

export interface ContinuousPipelineOptions {
  lakehouse: Lakehouse
  pipeline: LoadedPipeline
  trigger: Trigger
  /** Started on the processingTime trigger; emptied at once for availableNow and once. */
  feed?: PipelineFeed
  /** processingTime: stop once the feed is exhausted and a batch has seen all of it (default: keep waiting for data). */
  untilDrained?: boolean
  /** Aborting stops gracefully: the running batch finishes, no new one starts, the producer stops after its unit in flight. */
  signal?: AbortSignal
  /** Trigger times and commit timestamps (default systemClock). */
  clock?: StreamClock
  /** Told after each batch, once its progress row is committed. */
  onBatch?: (batch: ContinuousBatch) => void
  /** The run id of the progress rows (default a random UUID). */
  runId?: string
  /**
   * The pipeline's lock (acquirePipelineLock), when the caller took it already to report CHECKPOINT_LOCKED before
   * starting; it stays the caller's to release. Without it the run takes the lock itself and releases it at the end.
   */
  lock?: CheckpointLock
}

/** One finished micro-batch: its Spark-shaped progress and the pipeline run behind it. */
export interface ContinuousBatch {
  progress: BatchProgress
  run: PipelineRunResult
  /** Units the feed had produced when the batch ended, and its total; null without a feed. */
  produced: number | null
  totalUnits: number | null
  /** Rows committed per schema of the target tables (bronze, silver, gold...), quarantine tables excluded. */
  writtenBySchema: Record<string, number>
  quarantined: number
}

export interface ContinuousPipelineResult {
  batches: number
  /** Why the loop ended. */
  stoppedBy: 'drained' | 'once' | 'signal'
  /** Status of the last batch run (null when none ran). */
  lastStatus: PipelineRunResult['status'] | null
}

/** Input waiting for the next batch: new landing files (lakehouse-relative paths) and open batches left by a crash. */
export interface PendingInput {
  files: string[]
  openBatches: number
}

/**
 * What the next run of `pipeline` would read from its file sources: files listed by a flow's read_files/cloud_files
 * that its checkpoint has not committed, and batches written to offsets/ without a commit (re-run as recorded).
 * Delta sources outside the pipeline are not counted. Errors: checkpoint files that are not valid JSON (named).
 */
export async function pendingInput(lakehouse: Lakehouse, pipeline: LoadedPipeline): Promise<PendingInput> {
  const files = new Set<string>()
  let openBatches = 0
  for (const flow of pipeline.definition.flows) {
    const sources = flow.query?.fileSources ?? []
    const state = await new FlowCheckpoint(lakehouse.root, pipeline.config.name, flow.name).state()
    if (state.pending) openBatches++
    for (const source of sources) {
      for (const file of await listSourceFiles(lakehouse.root, source)) if (!state.processedFiles.has(file.path)) files.add(file.path)
    }
  }
  return { files: [...files].sort(), openBatches }
}

const hasPending = (p: PendingInput): boolean => p.files.length > 0 || p.openBatches > 0
const pendingKey = (p: PendingInput): string => `${p.openBatches}\n${p.files.join('\n')}`

/** The stable query id of a continuous pipeline: its progress rows and their txn appId are keyed by it. */
export function continuousQueryId(pipeline: string): string {
  return `pipeline/${pipeline}`
}

/**
 * Takes checkpoints/<pipeline>/lock (O_EXCL; a lock left by a dead process is taken over), so two processes never
 * stream the same pipeline at once. Release it with `release()`.
 * @throws StreamError CHECKPOINT_LOCKED naming the pid that holds it.
 */
export function acquirePipelineLock(lakehouseRoot: string, pipeline: string, runId: string, now: number): Promise<CheckpointLock> {
  return CheckpointLock.acquire(path.join(lakehouseRoot, 'checkpoints', pipeline), runId, now)
}

/** The next batch id: one past the last progress row committed for this query (0 for a new one). */
async function nextBatchId(lakehouseRoot: string, session: DuckdbSession, id: string): Promise<number> {
  const root = progressTableRoot(lakehouseRoot)
  if (!(await DeltaTable.exists(root))) return 0
  const txn = (await (await DeltaTable.open(root, session)).snapshot()).txns.get(`stream_progress:${id}`)
  return txn ? txn.version + 1 : 0
}

function schemaOf(table: string): string {
  const dot = table.indexOf('.')
  return dot < 0 ? 'default' : table.slice(0, dot)
}

/**
 * Runs `pipeline` as a streaming query under `trigger`:
 * - availableNow: produces everything the feed has left, then runs batches until no input is pending (at least one,
 *   so views a crash left stale are refreshed), then stops.
 * - once: produces everything left and runs exactly one batch.
 * - processingTime: starts the feed at its rate; runs a batch at each interval boundary when there is input no
 *   earlier batch has tried (the first trigger always runs one); overrunning batches are followed at once. Stops on
 *   `signal`, or with `untilDrained` once a batch has started after the feed was exhausted.
 * A failed pipeline run is reported (status 'failed' in its batch) and the loop goes on; its input is retried when new
 * input arrives. Errors: StreamError CHECKPOINT_LOCKED when another run holds checkpoints/<pipeline>/lock (see
 * acquirePipelineLock); whatever the producer, the checkpoints or system.stream_progress raise (the feed is stopped first).
 */
export async function runContinuousPipeline(options: ContinuousPipelineOptions): Promise<ContinuousPipelineResult> {
  const { lakehouse, pipeline } = options
  const clock = options.clock ?? systemClock
  const name = pipeline.config.name
  const id = continuousQueryId(name)
  const runId = options.runId ?? randomUUID()
  const ownLock = options.lock ? null : await acquirePipelineLock(lakehouse.root, name, runId, clock.now())
  try {
    return await runLocked(options, clock, id, runId)
  } finally {
    await ownLock?.release()
  }
}

async function runLocked(options: ContinuousPipelineOptions, clock: StreamClock, id: string, runId: string): Promise<ContinuousPipelineResult> {
  const { lakehouse, pipeline, trigger, feed } = options
  const name = pipeline.config.name
  const session = await DuckdbSession.create()
  const fileSourced = new Set(pipeline.definition.flows.filter((f) => (f.query?.fileSources.length ?? 0) > 0).map((f) => f.name))
  let batchId = await nextBatchId(lakehouse.root, session, id)
  let batches = 0
  let lastStatus: PipelineRunResult['status'] | null = null
  let previousTrigger: number | null = null

  const runBatch = async (triggerTime: number, pending: PendingInput, listingMs: number): Promise<void> => {
    const began = clock.now()
    const run = await runLoadedPipeline(lakehouse, pipeline, { clock: { now: () => clock.now() } }, { session })
    const addBatch = clock.now() - began
    const writtenBySchema: Record<string, number> = {}
    let quarantined = 0
    let inputRows = 0
    let late = 0
    for (const flow of run.flows) {
      // An unchanged view reports the rows it computed but commits nothing: only committed rows count as written.
      const schema = schemaOf(flow.target)
      writtenBySchema[schema] = (writtenBySchema[schema] ?? 0) + (flow.version !== null ? flow.rowsWritten : 0)
      quarantined += flow.rowsQuarantined
      late += flow.rowsLate ?? 0
      if (fileSourced.has(flow.flow)) inputRows += flow.rowsRead ?? flow.rowsIn
    }
    const written = Object.values(writtenBySchema).reduce((a, b) => a + b, 0)
    const sinceLast = previousTrigger === null ? 0 : (triggerTime - previousTrigger) / 1000
    const progress: BatchProgress = {
      id, runId, name, batchId, timestamp: triggerTime,
      numInputRows: inputRows,
      inputRowsPerSecond: sinceLast > 0 ? inputRows / sinceLast : 0,
      processedRowsPerSecond: addBatch > 0 ? (inputRows * 1000) / addBatch : 0,
      durationMs: { triggerExecution: clock.now() - triggerTime, latestOffset: listingMs, getBatch: 0, addBatch, walCommit: 0, commitOffsets: 0 },
      stateOperators: [],
      sources: pipeline.definition.flows.flatMap((flow) => (flow.query?.fileSources ?? []).map((source) => ({
        description: `${flow.name} <- ${source.function}('${source.path}')`,
        startOffset: null,
        endOffset: { newFiles: pending.files.filter((f) => f.startsWith(source.path.replace(/\/+$/, '') + '/') || f === source.path) },
        numInputRows: run.flows.find((f) => f.flow === flow.name)?.rowsRead ?? 0
      }))),
      sink: { description: `pipeline ${name} (${run.flows.length} flows)`, numOutputRows: written },
      numRowsLate: late,
      status: run.status,
      ...(run.status !== 'completed' && run.error !== undefined ? { error: run.error } : {})
    }
    const eventTime = batchEventTime(run)
    if (eventTime) progress.eventTime = eventTime
    progress.stateOperators = batchStateOperators(run)
    const committing = clock.now()
    await appendProgress(lakehouse.root, session, progress, { now: () => clock.now() })
    progress.durationMs.commitOffsets = clock.now() - committing
    const produced = feed ? feed.producer.position : null
    previousTrigger = triggerTime
    batchId++
    batches++
    lastStatus = run.status
    options.onBatch?.({ progress, run, produced, totalUnits: feed?.totalUnits ?? null, writtenBySchema, quarantined })
  }

  const listPending = async (): Promise<{ pending: PendingInput; listingMs: number }> => {
    const began = clock.now()
    const pending = await pendingInput(lakehouse, pipeline)
    return { pending, listingMs: clock.now() - began }
  }
  const exhausted = (): boolean => !feed || feed.producer.position >= feed.totalUnits

  try {
    if (trigger.kind !== 'processingTime') {
      if (feed) while (!options.signal?.aborted && (await feed.producer.step())) { /* produce all that remains */ }
      let lastKey: string | null = null
      do {
        if (options.signal?.aborted) return { batches, stoppedBy: 'signal', lastStatus }
        const triggerTime = clock.now()
        const { pending, listingMs } = await listPending()
        if (batches > 0 && (!hasPending(pending) || pendingKey(pending) === lastKey)) break
        lastKey = pendingKey(pending)
        await runBatch(triggerTime, pending, listingMs)
      } while (trigger.kind === 'availableNow')
      return { batches, stoppedBy: trigger.kind === 'once' ? 'once' : 'drained', lastStatus }
    }

    feed?.producer.start()
    let nextTrigger = clock.now()
    let lastKey: string | null = null
    for (;;) {
      const wait = nextTrigger - clock.now()
      if (wait > 0) await clock.sleep(wait, options.signal).catch(() => undefined)
      if (options.signal?.aborted) return { batches, stoppedBy: 'signal', lastStatus }
      const triggerTime = clock.now()
      const drainedFeed = exhausted()
      const { pending, listingMs } = await listPending()
      if (batches === 0 || (hasPending(pending) && pendingKey(pending) !== lastKey)) {
        lastKey = pendingKey(pending)
        await runBatch(triggerTime, pending, listingMs)
      }
      if (options.untilDrained && drainedFeed) return { batches, stoppedBy: 'drained', lastStatus }
      if (feed && feed.producer.status === 'failed') await feed.producer.done()
      nextTrigger = nextTriggerTime(triggerTime, trigger.intervalMs)
    }
  } finally {
    await feed?.producer.stop()
    session.close()
  }
}
