// `lakebench stream`: a sample producer and a lakehouse pipeline run continuously as micro-batches, one line per batch.
import { randomUUID } from 'node:crypto'
import { Command, InvalidArgumentError, Option } from 'commander'
import { Lakehouse, LakehouseError } from '../lakehouse/folder'
import { listPipelines } from '../pipeline/pipelineConfig'
import { formatDiagnostic } from '../pipeline/run/runReport'
import { loadPipeline } from '../pipeline/runner'
import { acquirePipelineLock, runContinuousPipeline, type ContinuousBatch, type PipelineFeed } from '../stream/continuousPipeline'
import { systemClock, type StreamClock } from '../stream/clock'
import { parseTrigger, type Trigger } from '../stream/trigger'

/** Where output goes (the CLI's CliIo). */
export interface StreamIo {
  out(text: string): void
  err(text: string): void
}

/** A failure of the stream command itself, printed as `error CODE: message`. */
export class StreamCliError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'StreamCliError'
  }
}

const SAMPLES = ['sbit', 'retail'] as const
type Sample = (typeof SAMPLES)[number]

interface StreamOptions {
  lakehouse?: string
  sampleProducer?: Sample
  pipeline?: string
  trigger: Trigger
  dataSets: number
  rate: number
  untilDrained?: boolean
}

/** The progress line of a batch: id, trigger time, produced files, input rows, rows written per layer, quarantined, duration, status. */
export function formatBatchLine(batch: ContinuousBatch): string {
  const p = batch.progress
  const layers = Object.entries(batch.writtenBySchema).filter(([schema]) => schema !== 'system').map(([schema, n]) => `${schema} ${n}`).join(', ')
  const files = batch.produced === null ? '' : `  files ${batch.produced}/${batch.totalUnits}`
  const error = batch.run.status === 'completed' || !batch.run.error ? '' : `: ${batch.run.error.replace(/\s*\n\s*/g, ' ')}`
  return `batch ${p.batchId}  ${new Date(p.timestamp).toISOString()}${files}  input ${p.numInputRows} rows  written ${p.sink.numOutputRows}` +
    `${layers ? ` (${layers})` : ''}  quarantined ${batch.quarantined}  ${Math.round(p.durationMs.triggerExecution)} ms  ${batch.run.status}${error}`
}

/**
 * Opens the lakehouse; with a sample producer, a folder that is not a lakehouse yet becomes the sample's lakehouse
 * without data (pipeline, saved queries, sbit's date lookup), as `lakebench init DIR --sample S --data-sets 0` makes.
 */
async function openOrCreate(dir: string, sample: Sample | undefined): Promise<Lakehouse> {
  try {
    return await Lakehouse.open(dir)
  } catch (e) {
    if (!(sample && e instanceof LakehouseError && e.code === 'NOT_A_LAKEHOUSE')) throw e
    const { createSampleLakehouse } = await import('../../samples/index')
    return createSampleLakehouse(dir, sample, { dataSets: 0 })
  }
}

/**
 * The pipeline to stream: the named one, else the lakehouse's only one, else the sample's.
 * @throws StreamCliError PIPELINE_REQUIRED naming the pipelines when none or several fit.
 */
async function choosePipeline(lakehouse: Lakehouse, named: string | undefined, sample: Sample | undefined): Promise<string> {
  if (named) return named
  const names = await listPipelines(lakehouse)
  if (names.length === 1) return names[0]!
  if (sample && names.includes(sample)) return sample
  throw new StreamCliError('PIPELINE_REQUIRED', names.length === 0
    ? `${lakehouse.root} has no pipeline (expected pipelines/<name>/*.sql)`
    : `${lakehouse.root} has ${names.length} pipelines (${names.join(', ')}); name one with --pipeline`)
}

async function openFeed(lakehouse: Lakehouse, opts: StreamOptions, clock: StreamClock): Promise<PipelineFeed | undefined> {
  if (!opts.sampleProducer) return undefined
  const { sampleProducer } = await import('../../samples/index')
  const { dataSetFiles } = await import('../../samples/dataSets')
  const producer = await sampleProducer(lakehouse.root, opts.sampleProducer, { dataSets: opts.dataSets, rate: { filesPerSecond: opts.rate }, clock })
  let totalUnits = 0
  for (let k = 1; k <= opts.dataSets; k++) totalUnits += dataSetFiles(opts.sampleProducer, k).length
  return { producer, totalUnits }
}

/**
 * Runs the stream command until its trigger says stop; SIGINT/SIGTERM stop it gracefully (the running batch
 * finishes). Exits 1 (by throwing) when the last batch's pipeline run did not complete or the pipeline is invalid,
 * or with StreamError CHECKPOINT_LOCKED when another process streams the pipeline (checkpoints/<pipeline>/lock).
 */
async function streamAction(io: StreamIo, opts: StreamOptions, defaultLakehouse: () => string): Promise<void> {
  const clock = systemClock
  const lakehouse = await openOrCreate(opts.lakehouse ?? defaultLakehouse(), opts.sampleProducer)
  const name = await choosePipeline(lakehouse, opts.pipeline, opts.sampleProducer)
  const loaded = await loadPipeline(lakehouse, name)
  for (const d of loaded.diagnostics) io.err(`${formatDiagnostic(d)}\n`)
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new StreamCliError('PIPELINE_INVALID', `pipeline ${name} is not valid: see the diagnostics above`)
  // Locked before the producer opens: a second process must not even repair the producer state the first one writes.
  const runId = randomUUID()
  const lock = await acquirePipelineLock(lakehouse.root, name, runId, clock.now())
  let feed: PipelineFeed | undefined
  try {
    feed = await openFeed(lakehouse, opts, clock)
  } catch (e) {
    await lock.release()
    throw e
  }
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const t = opts.trigger
    const triggerText = t.kind === 'processingTime' ? `processingTime ${t.intervalMs} ms` : t.kind
    io.out(`Streaming pipeline ${name} of ${lakehouse.root} (${triggerText}${feed ? `, ${opts.sampleProducer} producer at ${feed.producer.position}/${feed.totalUnits} files` : ''})\n`)
    const result = await runContinuousPipeline({
      lakehouse, pipeline: loaded, trigger: opts.trigger, clock, signal: stop.signal, runId, lock,
      ...(feed ? { feed } : {}),
      ...(opts.untilDrained ? { untilDrained: true } : {}),
      onBatch: (batch) => io.out(`${formatBatchLine(batch)}\n`)
    })
    const produced = feed ? `, ${feed.producer.position}/${feed.totalUnits} files produced` : ''
    io.out(`Stream stopped (${result.stoppedBy}): ${result.batches} batch(es)${produced}\n`)
    if (result.lastStatus !== null && result.lastStatus !== 'completed' && result.stoppedBy !== 'signal') {
      throw new StreamCliError('PIPELINE_FAILED', `the last batch of pipeline ${name} ended ${result.lastStatus}`)
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    try {
      await feed?.producer.close()
    } finally {
      await lock.release()
    }
  }
}

function positiveNumber(flag: string, integer: boolean, min: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${flag} takes a ${integer ? 'whole ' : ''}number >= ${min}`)
    return n
  }
}

/** Adds `stream` to the program. `lakehouseOption` is the CLI's shared -l option; `defaultLakehouse` its default folder. */
export function registerStreamCommand(program: Command, io: StreamIo, lakehouseOption: () => Option, defaultLakehouse: () => string): void {
  program.command('stream')
    .description('run a sample producer and a pipeline continuously: one micro-batch (an incremental pipeline run) per trigger')
    .addOption(lakehouseOption())
    .addOption(new Option('--sample-producer <sample>', 'produce this sample\'s data sets into landing/, file by file (resumes where it stopped)').choices([...SAMPLES]))
    .option('--pipeline <name>', 'pipeline to run (default: the only pipeline, or the sample\'s)')
    .option('--trigger <trigger>', "'processingTime <n> <ms|seconds|minutes>', availableNow or once", (value) => {
      try {
        return parseTrigger(value)
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message)
      }
    }, { kind: 'processingTime', intervalMs: 1000 } as Trigger)
    .option('--data-sets <n>', 'with --sample-producer: data sets to produce in all (default 3)', positiveNumber('--data-sets', true, 1), 3)
    .option('--rate <files-per-second>', 'with --sample-producer and processingTime: files produced per second (default 1)', positiveNumber('--rate', false, 0.001), 1)
    .option('--until-drained', 'processingTime: stop once everything is produced and processed (default: wait for new data until SIGINT)')
    .addHelpText('after', `
Examples:
  $ lakebench stream -l ./lake --sample-producer sbit --trigger "processingTime 1 second"
  $ lakebench stream -l ./lake --sample-producer sbit --trigger availableNow

A folder that is not a lakehouse yet becomes the sample's (its pipeline, no data). Each batch prints one line and
appends a row to system.stream_progress; SIGINT/SIGTERM finish the running batch and exit 0.`)
    .action((opts: StreamOptions) => streamAction(io, opts, defaultLakehouse))
}
