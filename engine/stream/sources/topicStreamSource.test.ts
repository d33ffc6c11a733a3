// TopicStreamSource: Spark's proportional maxOffsetsPerTrigger split, and batches read through a real Topic.
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { StreamingQuery } from '../streamingQuery'
import { sinkIds, streamTestLakehouse, useStreamTestSession } from '../testing/streamTestLakehouse'
import { Topic } from '../topic/topic'
import { rateLimit, TopicStreamSource, type TopicOffset } from './topicStreamSource'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

describe('TopicStreamSource', () => {
  it('rateLimit splits the limit by each partition\'s share of new records, never starving a small one', () => {
    // 100 new records: 70 / 20 / 10; limit 10 → 7 / 2 / 1.
    expect(rateLimit(10, [0, 0, 0], [70, 20, 10])).toEqual([7, 2, 1])
    // A partition whose share is below 1 record still gets 1 (ceil), and never more than it has.
    expect(rateLimit(10, [5, 0, 3], [1005, 1, 3])).toEqual([14, 1, 3])
    expect(rateLimit(1000, [0, 0], [3, 4])).toEqual([3, 4])
  })

  it('reads per-partition offset ranges into key/value/topic/partition/offset/timestamp and feeds a query exactly once', async () => {
    const root = await streamTestLakehouse()
    const topic = await Topic.create(root, 'workouts', 3)
    const records = Array.from({ length: 30 }, (_, i) => ({ partition: i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 2, key: `k${i}`, value: JSON.stringify({ n: i }), timestamp: 1000 * i }))
    await topic.append(records.slice(0, 20))
    const source = new TopicStreamSource({ lakehouseRoot: root, topic: 'workouts', maxOffsetsPerTrigger: 6 })
    const first = (await source.nextEnd(null)) as TopicOffset
    // 7 / 7 / 6 new records, limit 6: floor(6·7/20) = 2, 2, floor(6·6/20) = 1 (Spark rounds down, so a batch may stay under the limit).
    expect(first.partitions).toEqual({ 0: 2, 1: 2, 2: 1 })
    expect((await source.load(null, first, { port, relation: 't0' })).rows).toBe(5)
    expect(await port.query("SELECT key, partition, \"offset\"::BIGINT AS o, epoch_ms(\"timestamp\")::BIGINT AS ts, topic FROM t0 WHERE partition = 1 ORDER BY o")).toEqual([
      { key: 'k1', partition: 1, o: 0n, ts: 1000n, topic: 'workouts' }, { key: 'k4', partition: 1, o: 1n, ts: 4000n, topic: 'workouts' }
    ])
    const query = (): StreamingQuery => new StreamingQuery({
      name: 'topic_q', lakehouseRoot: root, sources: [new TopicStreamSource({ lakehouseRoot: root, topic: 'workouts', maxOffsetsPerTrigger: 7 })],
      transform: (r) => `SELECT (value::JSON->>'n')::BIGINT AS n, partition, "offset" FROM ${r[0]}`, sink: { table: 'silver.workouts', mode: 'append' },
      trigger: { kind: 'availableNow' }, clock: new ManualClock(0), session: port, recordProgress: false
    })
    const q1 = query()
    const sizes: number[] = []
    q1.onProgress((p) => sizes.push(p.numInputRows))
    await q1.start()
    await q1.awaitTermination()
    // Limit 7 over 7/7/6 → 2/2/2; then 5/5/4 → 2/2/2; then 3/3/2 → 2/2/1; then the last 1/1/1.
    expect(sizes).toEqual([6, 6, 5, 3])
    await topic.append(records.slice(20))
    const q2 = query()
    await q2.start()
    await q2.awaitTermination()
    expect(await sinkIds(port, root, 'silver.workouts', 'n')).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })
})
