// Test support for event-time queries: a seeded word stream on a 2-partition topic and a windowed count query over it.
import { sqlIdent } from '../../delta/parquetPort'
import { DeltaTable } from '../../delta/deltaTable'
import { scanSql } from '../../delta/scan'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { StreamClock } from '../clock'
import { tableRootOf } from '../deltaSink'
import { WindowAggregation } from '../eventTime/windowAggregation'
import { eventTimeStep } from '../eventTimeStep'
import type { BatchPhase } from '../microBatch'
import { TopicStreamSource } from '../sources/topicStreamSource'
import type { StreamingQueryOptions } from '../streamingQuery'
import type { Trigger } from '../trigger'
import { Topic, type TopicRecord } from '../topic/topic'

export const BASE_MS = Date.UTC(2024, 0, 1)
export const WINDOW_MS = 60_000
export const DELAY_MS = 30_000
const WORDS = ['ant', 'bee', 'cat']

/** A word event as the producer writes it in a record's value. */
export interface WordEvent { word: string; ts: number }

/**
 * Round `r` of the seeded stream for `partitions` partitions: event times advance 20 s a round, most records are a little out
 * of order (up to 40 s behind), and about one in eight is far behind (2 minutes: late once the watermark has moved).
 */
export function wordRound(seed: number, r: number, partitions: number): { partition: number; event: WordEvent }[] {
  let state = (seed * 7919 + r * 104729) % 2147483647 || 1
  const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647)
  const out: { partition: number; event: WordEvent }[] = []
  for (let p = 0; p < partitions; p++) {
    const n = 2 + Math.floor(random() * 4)
    for (let i = 0; i < n; i++) {
      const behind = random() < 0.125 ? 120_000 : Math.floor(random() * 40_000)
      out.push({ partition: p, event: { word: WORDS[Math.floor(random() * WORDS.length)]!, ts: BASE_MS + r * 20_000 - behind } })
    }
  }
  return out
}

/** Appends events to the topic (record timestamp = event time, value = the event as JSON). */
export async function produce(topic: Topic, events: { partition: number; event: WordEvent }[]): Promise<TopicRecord[]> {
  return topic.append(events.map(({ partition, event }) => ({ partition, key: event.word, value: JSON.stringify(event), timestamp: event.ts })))
}

/** The topic's rows parsed: partition, offset, word, ts (ms). */
export function parseRecords(records: TopicRecord[]): { partition: number; offset: number; word: string; ts: number }[] {
  return records.map((r) => ({ partition: r.partition, offset: r.offset, ...(JSON.parse(r.value) as WordEvent) }))
}

/** Every record of the topic, partition by partition. */
export async function allRecords(topic: Topic): Promise<TopicRecord[]> {
  const ends = await topic.endOffsets()
  const out: TopicRecord[] = []
  for (let p = 0; p < ends.length; p++) out.push(...(await topic.read(p, 0, ends[p]!)))
  return out
}

export interface WindowedQueryOptions {
  name?: string
  trigger: Trigger
  clock: StreamClock
  session?: DuckdbSession
  idlePartitionTimeoutMs?: number
  maxOffsetsPerTrigger?: number
  onPhase?: (phase: BatchPhase, batchId: number) => void
}

/**
 * `SELECT word, window(ts, 1 minute), count(*) AS n FROM topic words WATERMARK ts DELAY 30 s`, append mode, into gold.word_counts
 * (late rows into gold.word_counts_late). The transform keeps `partition` so each topic partition holds the watermark.
 */
export function windowedCountQuery(root: string, port: DuckdbSession, o: WindowedQueryOptions): StreamingQueryOptions {
  return {
    name: o.name ?? 'word_counts', lakehouseRoot: root, trigger: o.trigger, clock: o.clock, session: o.session ?? port, recordProgress: true,
    sources: [new TopicStreamSource({ lakehouseRoot: root, topic: 'words', ...(o.maxOffsetsPerTrigger ? { maxOffsetsPerTrigger: o.maxOffsetsPerTrigger } : {}) })],
    transform: ([src]) => `SELECT "partition", "offset", json_extract_string(value, '$.word') AS word,
      make_timestamp(json_extract(value, '$.ts')::BIGINT * 1000) AS ts FROM ${src}`,
    eventTime: { column: 'ts', delayMs: DELAY_MS, ...(o.idlePartitionTimeoutMs !== undefined ? { idlePartitionTimeoutMs: o.idlePartitionTimeoutMs } : {}) },
    statefulStep: eventTimeStep({
      operator: () => new WindowAggregation(port, { id: 'counts', eventTime: 'ts', window: { size: WINDOW_MS }, keys: ['word'], aggregates: [{ fn: 'count', as: 'n' }], outputMode: 'append' })
    }),
    sink: { table: 'gold.word_counts', mode: 'append' },
    ...(o.onPhase ? { onPhase: o.onPhase } : {})
  }
}

/** A Delta table's rows with the given columns (ms for timestamps), sorted, as JSON strings (a multiset); [] when absent. */
export async function tableRows(port: DuckdbSession, root: string, table: string, columns: string[]): Promise<string[]> {
  const tableRoot = tableRootOf(root, table)
  if (!(await DeltaTable.exists(tableRoot))) return []
  const snapshot = await (await DeltaTable.open(tableRoot, port)).snapshot()
  const scan = await scanSql(snapshot, port)
  const types = new Map((await port.query(`DESCRIBE SELECT * FROM (${scan})`)).map((r) => [String(r.column_name), String(r.column_type)]))
  const select = columns.map((c) => `${types.get(c)?.startsWith('TIMESTAMP') ? `epoch_ms(${sqlIdent(c)}::TIMESTAMP)` : sqlIdent(c)}::VARCHAR AS ${sqlIdent(c)}`)
  const rows = await port.query(`SELECT ${select.join(', ')} FROM (${scan})`)
  return rows.map((r) => JSON.stringify(columns.map((c) => r[c]))).sort()
}

/** Expected append-mode output: counts per (word, window start) of `onTime` events, for windows ending at or before `watermarkMs`. */
export function expectedCounts(onTime: { word: string; ts: number }[], watermarkMs: number | null): string[] {
  const counts = new Map<string, number>()
  for (const e of onTime) {
    const start = Math.floor(e.ts / WINDOW_MS) * WINDOW_MS
    if (watermarkMs === null || start + WINDOW_MS > watermarkMs) continue
    const key = JSON.stringify([e.word, String(start)])
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([k, n]) => JSON.stringify([...(JSON.parse(k) as string[]), String(n)])).sort()
}
