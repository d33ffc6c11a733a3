// The sbit and retail producer profiles: a sample's data sets 1, 2, ... dropped into landing/ file by file, at a rate, resumable.
//
// Producing every file of data sets 1..N this way leaves the same landing/ content as produceDataSet(1..N): the units are
// the files of dataSetFiles, in order. In topic mode (sbit) the kafka_multiplex feeds go to the topics user_info, bpm and
// workout instead (2 partitions each, as the sample's envelopes say); the CSV feeds still land as files.
import type { DuckdbSession } from '../engine/sql/duckdbSession'
import type { StreamClock } from '../engine/stream/clock'
import { Producer, type ProducerRate } from '../engine/stream/producer/producer'
import type { ProducedUnit, UnitSource } from '../engine/stream/producer/producedUnit'
import { ProducerError } from '../engine/stream/producer/producerError'
import type { TopicAppend } from '../engine/stream/topic/topic'
import { dataSetFiles, type PipelineSampleName } from './dataSets'
import type { LandingFile } from './landingManifest'

export interface SampleProducerOptions {
  /** Data sets to produce before the producer is exhausted (default 3). Raising it later continues where it stopped. */
  dataSets?: number
  /** Default one file a second. */
  rate?: ProducerRate
  /** 'topic': sbit's Kafka feeds go to topics instead of landing/kafka_multiplex (retail has no Kafka feed). Default 'files'. */
  mode?: 'files' | 'topic'
  /** State folder producers/<name>/ (default `<sample>-sample`, `<sample>-sample-topic` in topic mode). */
  name?: string
  clock?: StreamClock
  port?: DuckdbSession
  /** Fault injection for crash tests (see ProducerOptions.afterWrite). */
  afterWrite?: (position: number) => void | Promise<void>
}

/** Partitions of the sbit topics: the sample's envelopes put key mod 2 in their partition field. */
export const SBIT_TOPIC_PARTITIONS = 2

/** A sample's unit sequence, with the data set each position belongs to. */
export interface SampleUnitSource extends UnitSource {
  /** Data set (from 1) and file index within it of a position; null past the configured data sets. */
  locate(position: number): { setNumber: number; fileIndex: number } | null
}

/**
 * The units of a sample's data sets in order. Errors: ProducerError INVALID_ARGUMENT for dataSets < 1, or topic mode
 * for retail.
 */
export function sampleUnitSource(sample: PipelineSampleName, options: Pick<SampleProducerOptions, 'dataSets' | 'mode'> = {}): SampleUnitSource {
  const dataSets = options.dataSets ?? 3
  const mode = options.mode ?? 'files'
  if (!(Number.isInteger(dataSets) && dataSets >= 1)) throw new ProducerError('INVALID_ARGUMENT', `${sample} producer: dataSets must be a positive integer, got ${dataSets}`)
  if (mode === 'topic' && sample !== 'sbit') throw new ProducerError('INVALID_ARGUMENT', `${sample} has no Kafka feed: topic mode is for sbit`)
  const sets = new Map<number, LandingFile[]>()
  const filesOf = (k: number): LandingFile[] => {
    let files = sets.get(k)
    if (!files) sets.set(k, (files = dataSetFiles(sample, k)))
    return files
  }
  const locate = (position: number): { setNumber: number; fileIndex: number } | null => {
    let rest = position
    for (let k = 1; k <= dataSets; k++) {
      const count = filesOf(k).length
      if (rest < count) return { setNumber: k, fileIndex: rest }
      rest -= count
    }
    return null
  }
  // dataSets is left out: earlier positions do not depend on it, so a producer may be asked for more sets later.
  return {
    fingerprint: { kind: 'sampleDataSets', sample, mode },
    locate,
    unit(position: number): ProducedUnit | null {
      const at = locate(position)
      if (!at) return null
      const file = filesOf(at.setNumber)[at.fileIndex]!
      const topic = mode === 'topic' ? /^landing\/kafka_multiplex\/(user_info|bpm|workout)_\d+\.json$/.exec(file.path)?.[1] : undefined
      if (topic) return { kind: 'topic', topic, partitions: SBIT_TOPIC_PARTITIONS, records: topicRecords(file) }
      const lines = file.text.split('\n').filter((l) => l !== '').length
      return { kind: 'file', path: file.path, text: file.text, records: file.format === 'csv' ? lines - 1 : lines }
    }
  }
}

/** The envelopes of a kafka_multiplex file as topic appends (the topic assigns its own offsets). */
function topicRecords(file: LandingFile): TopicAppend[] {
  return file.text.split('\n').filter((l) => l !== '').map((line) => {
    const e = JSON.parse(line) as { key: string; value: string; partition: number; timestamp: number }
    return { partition: e.partition, key: e.key, value: e.value, timestamp: e.timestamp }
  })
}

/**
 * Opens (or resumes) the producer of a sample's data sets in `lakehouseDir`. Files already in landing/ past the saved
 * state (a crash, or sets produced by produceDataSet) count as produced, so nothing is written twice.
 * Errors: as sampleUnitSource and Producer.open (PRODUCER_CHANGED when the state was saved by another mode).
 */
export async function sampleProducer(lakehouseDir: string, sample: PipelineSampleName, options: SampleProducerOptions = {}): Promise<Producer> {
  const mode = options.mode ?? 'files'
  return Producer.open({
    lakehouseRoot: lakehouseDir,
    name: options.name ?? (mode === 'topic' ? `${sample}-sample-topic` : `${sample}-sample`),
    source: sampleUnitSource(sample, options),
    rate: options.rate ?? { filesPerSecond: 1 },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.afterWrite ? { afterWrite: options.afterWrite } : {})
  })
}
