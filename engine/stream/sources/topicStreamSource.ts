// Streaming source over a simulated topic: per-partition offsets, maxOffsetsPerTrigger split across partitions like Spark's Kafka source.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { StreamError } from '../streamError'
import { Topic, type TopicRecord } from '../topic/topic'
import type { SourceOffset, StreamSource } from './streamSource'

/** The part of Topic this source reads through (tests may pass a fixture with the same contract). */
export interface TopicReader {
  readonly name: string
  readonly partitions: number
  endOffsets(): Promise<number[]>
  read(partition: number, fromOffset: number, untilOffset: number): Promise<TopicRecord[]>
}

export interface TopicStreamSourceOptions {
  lakehouseRoot: string
  topic: string
  /** At most this many records per batch over all partitions (Spark's maxOffsetsPerTrigger); unlimited when absent. */
  maxOffsetsPerTrigger?: number
  /** Opens the topic; default Topic.open(lakehouseRoot, topic). */
  open?: () => Promise<TopicReader>
}

/** Offset: next offset to read per partition, keyed by partition number. */
export interface TopicOffset extends SourceOffset {
  partitions: Record<string, number>
}

/** The columns of a batch, as Spark's Kafka source names them (timestamp = producer time, UTC). */
export const TOPIC_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['key', 'VARCHAR'], ['value', 'VARCHAR'], ['topic', 'VARCHAR'], ['partition', 'INTEGER'], ['offset', 'BIGINT'], ['timestamp', 'TIMESTAMP']
]

/**
 * Spark's KafkaMicroBatchStream.rateLimit: each partition with new records gets limit × its share of the new records,
 * rounded down (up when below 1, so small partitions are not starved), never past its end.
 */
export function rateLimit(limit: number, from: number[], until: number[]): number[] {
  const sizes = until.map((end, p) => Math.max(0, end - (from[p] ?? 0)))
  const total = sizes.reduce((a, b) => a + b, 0)
  if (total < 1) return until
  return until.map((end, p) => {
    if (sizes[p] === 0) return end
    const begin = from[p] ?? 0
    const prorate = limit * (sizes[p]! / total)
    const share = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate)
    return Math.min(end, begin + share)
  })
}

/** Records of one topic, partition by partition. */
export class TopicStreamSource implements StreamSource {
  readonly id: string
  private topic: TopicReader | null = null
  private availableNowCap: number[] | null = null

  constructor(private readonly options: TopicStreamSourceOptions) {
    this.id = `topic:${options.topic}`
  }

  private async reader(): Promise<TopicReader> {
    this.topic ??= await (this.options.open ?? (() => Topic.open(this.options.lakehouseRoot, this.options.topic)))()
    return this.topic
  }

  private startOf(offset: SourceOffset | null, partitions: number): number[] {
    if (offset === null) return new Array<number>(partitions).fill(0)
    const recorded = (offset as TopicOffset).partitions
    if (recorded === null || typeof recorded !== 'object') {
      throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: offset ${JSON.stringify(offset).slice(0, 200)} is not a topic offset {partitions}`, { source: this.id })
    }
    if (Object.keys(recorded).length > partitions) {
      throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: the checkpoint has offsets for ${Object.keys(recorded).length} partitions but the topic has ${partitions}`, { source: this.id })
    }
    // Partitions added since the offset was written start at 0.
    return Array.from({ length: partitions }, (_, p) => recorded[String(p)] ?? 0)
  }

  private toOffset(ends: number[]): TopicOffset {
    return { partitions: Object.fromEntries(ends.map((e, p) => [String(p), e])) }
  }

  async prepareForAvailableNow(): Promise<void> {
    this.availableNowCap = await (await this.reader()).endOffsets()
  }

  /** @throws StreamError SOURCE_OFFSET_INVALID when the topic is behind the offset (records lost) or lost partitions. */
  async nextEnd(start: SourceOffset | null): Promise<SourceOffset> {
    const topic = await this.reader()
    const from = this.startOf(start, topic.partitions)
    let until = await topic.endOffsets()
    if (this.availableNowCap) until = until.map((e, p) => Math.min(e, Math.max(from[p]!, this.availableNowCap![p] ?? 0)))
    until.forEach((end, p) => {
      if (end < from[p]!) throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: partition ${p} ends at offset ${end} but the checkpoint already read up to ${from[p]}: records were lost`, { source: this.id, partition: p })
    })
    const limit = this.options.maxOffsetsPerTrigger
    return this.toOffset(limit === undefined ? until : rateLimit(limit, from, until))
  }

  sameOffset(a: SourceOffset | null, b: SourceOffset): boolean {
    const partitions = Object.keys((b as TopicOffset).partitions).length
    const before = this.startOf(a, partitions)
    return before.every((o, p) => o === (b as TopicOffset).partitions[String(p)])
  }

  /** Reads records [start, end) of every partition into `relation` with TOPIC_COLUMNS. */
  async load(start: SourceOffset | null, end: SourceOffset, into: { port: DuckdbSession; relation: string }): Promise<{ rows: number }> {
    const topic = await this.reader()
    const until = this.startOf(end, topic.partitions)
    const from = this.startOf(start, topic.partitions)
    const lines: string[] = []
    for (let p = 0; p < topic.partitions; p++) {
      const records = await topic.read(p, from[p]!, until[p]!)
      if (records.length !== until[p]! - from[p]!) {
        throw new StreamError('SOURCE_OFFSET_INVALID', `source ${this.id}: partition ${p} returned ${records.length} records for offsets [${from[p]}, ${until[p]}): records were lost`, { source: this.id, partition: p })
      }
      for (const r of records) lines.push(JSON.stringify({ key: r.key, value: r.value, topic: topic.name, partition: p, offset: r.offset, timestamp: new Date(r.timestamp).toISOString() }))
    }
    const relation = sqlIdent(into.relation)
    const columns = `{${TOPIC_COLUMNS.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ')}}`
    if (lines.length === 0) {
      await into.port.exec(`CREATE OR REPLACE TEMP TABLE ${relation} (${TOPIC_COLUMNS.map(([n, t]) => `${sqlIdent(n)} ${t}`).join(', ')})`)
      return { rows: 0 }
    }
    // Records go through a temp NDJSON file: one read_json is far cheaper than a huge VALUES statement.
    const file = path.join(os.tmpdir(), `lakebench-topic-${randomUUID()}.jsonl`)
    try {
      await fs.writeFile(file, lines.join('\n') + '\n')
      await into.port.exec(`CREATE OR REPLACE TEMP TABLE ${relation} AS SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = ${columns})`)
    } finally {
      await fs.rm(file, { force: true })
    }
    return { rows: lines.length }
  }
}
