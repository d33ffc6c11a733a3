// Live sample profiles: the records fit the shapes the sample pipelines read.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../engine/sql/duckdbSession'
import { ManualClock } from '../engine/stream/clock'
import { Producer } from '../engine/stream/producer/producer'
import { Topic } from '../engine/stream/topic/topic'
import { liveSampleSource } from './streamProfiles'

const roots: string[] = []
afterEach(async () => {
  for (const r of roots.splice(0)) await fs.rm(r, { recursive: true, force: true })
})

async function produce(sample: 'sbit' | 'retail', fractions = {}): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-live-'))
  roots.push(root)
  const producer = await Producer.open({ lakehouseRoot: root, name: 'live', source: liveSampleSource(sample, { seed: 9, fractions, maxBatches: 4 }), rate: { recordsPerSecond: 100 }, clock: new ManualClock(0) })
  while (await producer.step()) { /* all batches */ }
  return root
}

describe('live sample profiles', () => {
  it('retail transactions land as NDJSON that reads with the bronze.transactions schema', async () => {
    const root = await produce('retail')
    const port = await DuckdbSession.create({ threads: 1 })
    try {
      const columns = "{transaction_id: 'VARCHAR', customer_id: 'VARCHAR', product_id: 'VARCHAR', quantity: 'INTEGER', unit_price: 'DECIMAL(10,2)', amount: 'DECIMAL(12,2)', transaction_ts: 'TIMESTAMP', channel: 'VARCHAR', store_id: 'INTEGER', status: 'VARCHAR'}"
      const [row] = await port.query(`SELECT count(*)::INT AS n, count(DISTINCT transaction_id)::INT AS ids, count(*) FILTER (amount = quantity * unit_price)::INT AS consistent, min(transaction_ts)::VARCHAR AS first
        FROM read_json('${root}/landing/transactions/*.json', format = 'newline_delimited', columns = ${columns})`)
      expect(row).toEqual({ n: 200, ids: 200, consistent: 200, first: '2024-03-01 00:00:00' })
    } finally {
      port.close()
    }
  })

  it('sbit heart-rate readings go to the bpm topic keyed by device, with the bpm payload', async () => {
    const root = await produce('sbit', { late: 0.1, malformed: 0.1 })
    const topic = await Topic.open(root, 'bpm')
    const ends = await topic.endOffsets()
    const records = (await Promise.all(ends.map((end, p) => topic.read(p, 0, end)))).flat()
    expect(records).toHaveLength(200)
    let parsed = 0
    for (const r of records) {
      let value: { device_id: unknown; time: unknown; heartrate: unknown }
      try {
        value = JSON.parse(r.value) as typeof value
      } catch {
        continue
      }
      parsed++
      expect(Object.keys(value)).toEqual(['device_id', 'time', 'heartrate'])
      if (typeof value.device_id === 'number') expect(r.key).toBe(String(value.device_id))
    }
    // About half the malformed records are cut short; the rest parse with a wrong-type value.
    expect(parsed).toBeLessThan(200)
    expect(parsed).toBeGreaterThan(170)
  })
})
