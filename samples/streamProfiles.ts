// Live record profiles of the samples, for producers with configurable noise: sbit heart-rate readings and retail transactions.
//
// Unlike sampleProducer (which replays the fixed data sets), these generate an endless stream whose out-of-order, late,
// duplicate and malformed fractions are chosen by the caller. Their ids and fields fit what the sample pipelines read
// (sbit: devices 1001.., the bpm payload; retail: customers C0001-C0030 and products P001-P020 of data set 1, the
// bronze.transactions schema), with ids past the data sets' own so they never collide with replayed records.
import type { RecordProfile } from '../engine/stream/producer/noisyRecords'
import { recordSource, type RecordOutput } from '../engine/stream/producer/recordSource'
import type { NoiseBounds, NoiseFractions } from '../engine/stream/producer/noisyRecords'
import type { UnitSource } from '../engine/stream/producer/producedUnit'
import type { StreamClock } from '../engine/stream/clock'
import { LiveProducer } from '../engine/stream/producer/liveProducer'
import type { ProducerSettings } from '../engine/stream/producer/liveSource'
import type { PipelineSampleName } from './dataSets'
import { SBIT_START_MS } from './sbit/gymTimeline'
import { RETAIL_START_MS } from './retail/retailDataSets'

/** One heart-rate reading a second from the devices of sbit's first ten users; keyed by device (the bpm topic's key). */
export const sbitBpmProfile: RecordProfile = {
  name: 'bpm',
  columns: [
    { name: 'device_id', type: 'BIGINT' },
    { name: 'time', type: 'TIMESTAMP' },
    { name: 'heartrate', type: 'DOUBLE' }
  ],
  eventTimeColumn: 'time',
  keyColumn: 'device_id',
  startMs: SBIT_START_MS,
  intervalMs: 1000,
  fields: (_, random) => ({ device_id: 1001 + random.int(0, 9), heartrate: Math.round(Math.min(190, Math.max(60, random.normal(120, 15))) * 10) / 10 })
}

const CHANNELS = ['store', 'online', 'mobile']

/** A transaction every 30 s by customers C0001-C0030 on products P001-P020; ids T900001.. ; keyed by customer. */
export const retailTransactionProfile: RecordProfile = {
  name: 'transactions',
  columns: [
    { name: 'transaction_id', type: 'VARCHAR' },
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'product_id', type: 'VARCHAR' },
    { name: 'quantity', type: 'BIGINT' },
    { name: 'unit_price', type: 'DOUBLE' },
    { name: 'amount', type: 'DOUBLE' },
    { name: 'transaction_ts', type: 'TIMESTAMP' },
    { name: 'channel', type: 'VARCHAR' },
    { name: 'store_id', type: 'BIGINT' },
    { name: 'status', type: 'VARCHAR' }
  ],
  eventTimeColumn: 'transaction_ts',
  keyColumn: 'customer_id',
  startMs: RETAIL_START_MS,
  intervalMs: 30_000,
  fields: (n, random) => {
    const quantity = random.int(1, 4)
    const unitCents = random.int(5, 120) * 100 + random.pick([0, 49, 99])
    return {
      transaction_id: `T${900_001 + n}`, customer_id: `C${String(random.int(1, 30)).padStart(4, '0')}`,
      product_id: `P${String(random.int(1, 20)).padStart(3, '0')}`, quantity, unit_price: unitCents / 100,
      amount: (quantity * unitCents) / 100, channel: random.pick(CHANNELS), store_id: random.int(1, 4), status: random.chance(0.05) ? 'returned' : 'completed'
    }
  }
}

export interface LiveSampleOptions {
  seed: number
  fractions?: NoiseFractions
  bounds?: Partial<NoiseBounds>
  /** Records per file or topic append (default 50). */
  recordsPerBatch?: number
  /** Default: sbit → topic bpm with 2 partitions; retail → NDJSON files in landing/transactions (what bronze.transactions reads). */
  output?: RecordOutput
  maxBatches?: number
}

/**
 * The live noisy stream of a sample as a UnitSource for Producer.open. Errors: ProducerError INVALID_ARGUMENT as recordSource.
 */
export function liveSampleSource(sample: PipelineSampleName, options: LiveSampleOptions): UnitSource {
  const profile = sample === 'sbit' ? sbitBpmProfile : retailTransactionProfile
  const output: RecordOutput = options.output ?? (sample === 'sbit'
    ? { kind: 'topic', topic: 'bpm', partitions: 2 }
    : { kind: 'files', source: 'transactions', format: 'ndjson' })
  return recordSource({
    profile, seed: options.seed, fractions: options.fractions, bounds: options.bounds, recordsPerBatch: options.recordsPerBatch ?? 50, output,
    maxBatches: options.maxBatches
  })
}

/** The settings a sample's live producer starts with: one file of 50 records a second with a little of every kind of noise. */
export const LIVE_DEFAULT_SETTINGS: ProducerSettings = { filesPerSecond: 1, recordsPerFile: 50, outOfOrder: 0.05, late: 0.02, duplicate: 0.02, malformed: 0.01 }

/**
 * Late records of the live streams fall 30 to 60 minutes behind the newest: beyond a 10-minute watermark delay plus
 * the lag of a batch, so a watermarked table really sends them to `<table>_late`. Out-of-order ones stay within a minute.
 */
export const LIVE_BOUNDS = { outOfOrderMs: 60_000, latenessMs: 30 * 60_000 }

/** Landing output of each sample's live producer: sbit's readings for the sbit_live pipeline, retail's where bronze.transactions reads. */
export const LIVE_OUTPUTS: Record<PipelineSampleName, RecordOutput> = {
  sbit: { kind: 'files', source: 'live_bpm', format: 'ndjson' },
  retail: { kind: 'files', source: 'transactions', format: 'ndjson' }
}

const LIVE_SEED = 20_260_301

export interface LiveSampleProducerOptions {
  clock?: StreamClock
  /** Settings of a producer that never ran (default LIVE_DEFAULT_SETTINGS); a resumed one keeps its saved history. */
  settings?: Partial<ProducerSettings>
}

/**
 * Opens (or resumes) the live producer of a sample in `lakehouseRoot` (state in producers/live-<sample>/): sbit writes
 * NDJSON readings {device_id, time, heartrate} to landing/live_bpm/bpm-NNNNNN.json, retail writes transactions to
 * landing/transactions/transactions-NNNNNN.json. Errors: ProducerError as LiveProducer.open.
 */
export async function liveSampleProducer(lakehouseRoot: string, sample: PipelineSampleName, options: LiveSampleProducerOptions = {}): Promise<LiveProducer> {
  const output = LIVE_OUTPUTS[sample]
  const description = sample === 'sbit'
    ? 'sbit heart-rate readings → landing/live_bpm (NDJSON)'
    : 'retail transactions → landing/transactions (NDJSON)'
  return LiveProducer.open({
    lakehouseRoot, name: `live-${sample}`, description, profile: sample === 'sbit' ? sbitBpmProfile : retailTransactionProfile,
    seed: LIVE_SEED, bounds: LIVE_BOUNDS, output, defaults: { ...LIVE_DEFAULT_SETTINGS, ...(options.settings ?? {}) },
    ...(options.clock ? { clock: options.clock } : {})
  })
}
