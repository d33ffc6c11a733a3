// Producer: byte-identical output per seed, atomic file placement, crash/resume at every step, pause/resume/step on a ManualClock.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { partitionFile, Topic } from '../topic/topic'
import { unitFilePath } from './producedUnit'
import { Producer, type ProducerOptions } from './producer'
import { ProducerError } from './producerError'
import { recordSource, type RecordOutput } from './recordSource'
import { sensorProfile } from './testProfiles'

const roots: string[] = []
let port: DuckdbSession
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
})
afterAll(() => port.close())
afterEach(async () => {
  for (const r of roots.splice(0)) await fs.rm(r, { recursive: true, force: true })
})

async function tempRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-producer-'))
  roots.push(root)
  return root
}

const noise = { fractions: { outOfOrder: 0.1, late: 0.05, duplicate: 0.1, malformed: 0.05 }, bounds: { outOfOrderMs: 20_000, latenessMs: 60_000 } }

function source(output: RecordOutput, seed = 42, maxBatches = 6) {
  return recordSource({ profile: sensorProfile, seed, recordsPerBatch: 25, output, maxBatches, ...noise })
}

function options(root: string, output: RecordOutput, extra: Partial<ProducerOptions> = {}): ProducerOptions {
  return { lakehouseRoot: root, name: 'sensors', source: source(output), rate: { filesPerSecond: 1 }, clock: new ManualClock(0), port, ...extra }
}

/** Every file under `dir` (relative path → bytes), state files left out. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const rel = path.relative(dir, full)
    if (!rel.startsWith('producers')) out.set(rel, (await fs.readFile(full)).toString('base64'))
  }
  return out
}

async function runToEnd(opts: ProducerOptions): Promise<Producer> {
  const producer = await Producer.open(opts)
  while (await producer.step()) { /* until exhausted */ }
  return producer
}

const outputs: [string, RecordOutput][] = [
  ['csv', { kind: 'files', source: 'sensors', format: 'csv' }],
  ['ndjson', { kind: 'files', source: 'sensors', format: 'ndjson' }],
  ['parquet', { kind: 'files', source: 'sensors', format: 'parquet' }],
  ['topic', { kind: 'topic', topic: 'sensors', partitions: 3 }]
]

describe('Producer', () => {
  it.each(outputs)('%s: the same seed gives byte-identical output, another seed other bytes', async (_, output) => {
    const [a, b, c] = [await tempRoot(), await tempRoot(), await tempRoot()]
    await runToEnd(options(a, output))
    await runToEnd(options(b, output))
    await runToEnd({ ...options(c, output), source: source(output, 43) })
    const [sa, sb, sc] = [await snapshot(a), await snapshot(b), await snapshot(c)]
    expect(sa.size).toBeGreaterThanOrEqual(output.kind === 'topic' ? 4 : 6)
    expect(sa).toEqual(sb)
    expect(sa).not.toEqual(sc)
  })

  it('writes files DuckDB reads back: every record, malformed values failing their type', async () => {
    const root = await tempRoot()
    const producer = await runToEnd(options(root, { kind: 'files', source: 'sensors', format: 'csv' }))
    expect(producer.position).toBe(6)
    await runToEnd({ ...options(root, { kind: 'files', source: 'sensors', format: 'parquet' }), name: 'sensors-pq' })
    const units = [0, 1, 2, 3, 4, 5].map((b) => source({ kind: 'files', source: 'sensors', format: 'parquet' }).unit(b)!)
    const rows = units.flatMap((u) => (u.kind === 'parquet' ? u.rows : []))
    const wrongTyped = rows.filter((r) => Object.values(r).some((v) => v === 'abc' || v === 'not-a-timestamp')).length
    expect(wrongTyped).toBeGreaterThan(0)
    const dir = path.join(root, 'landing/sensors')
    const castFails = 'TRY_CAST(device_id AS BIGINT) IS NULL OR TRY_CAST(reading AS DOUBLE) IS NULL OR TRY_CAST(ts AS TIMESTAMP) IS NULL'
    const [csv] = await port.query(`SELECT count(*)::INT AS n, count(*) FILTER (${castFails})::INT AS bad FROM read_csv('${dir}/*.csv', header = true, all_varchar = true)`)
    const [pq] = await port.query(`SELECT count(*)::INT AS n, count(*) FILTER (device_id IS NULL OR reading IS NULL OR ts IS NULL)::INT AS bad FROM read_parquet('${dir}/*.parquet')`)
    expect(csv).toEqual({ n: rows.length, bad: wrongTyped })
    expect(pq).toEqual({ n: rows.length, bad: wrongTyped })
  })

  it('places files atomically: a concurrent listing sees only complete files under non-dot names', async () => {
    const root = await tempRoot()
    const output: RecordOutput = { kind: 'files', source: 'sensors', format: 'ndjson' }
    const expected = source(output, 42, 30)
    const producer = await Producer.open({ ...options(root, output), source: expected })
    const dir = path.join(root, 'landing/sensors')
    let done = false
    let checked = 0
    const lister = (async () => {
      while (!done) {
        const names = await fs.readdir(dir).catch(() => [] as string[])
        for (const name of names.filter((n) => !n.startsWith('.'))) {
          const batch = Number(/-(\d+)\.json$/.exec(name)?.[1])
          const unit = expected.unit(batch)
          expect(unit?.kind === 'file' && unit.text).toBe(await fs.readFile(path.join(dir, name), 'utf8'))
          checked++
        }
        await new Promise((r) => setImmediate(r))
      }
    })()
    while (await producer.step()) await new Promise((r) => setImmediate(r))
    done = true
    await lister
    expect(checked).toBeGreaterThan(0)
    expect((await fs.readdir(dir)).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `sensor-${String(i).padStart(6, '0')}.json`))
  })

  it.each(outputs)('%s: a crash between the write and the state save at any step resumes with no duplicate and no gap', async (_, output) => {
    const reference = await tempRoot()
    await runToEnd(options(reference, output))
    const expected = await snapshot(reference)
    for (let crashAt = 0; crashAt < 6; crashAt++) {
      const root = await tempRoot()
      const crashing = await Producer.open({ ...options(root, output), afterWrite: (p) => { if (p === crashAt) throw new Error('simulated crash') } })
      await expect((async () => { while (await crashing.step()) { /* until the crash */ } })()).rejects.toThrow('simulated crash')
      expect(crashing.position).toBe(crashAt)
      const restarted = await runToEnd(options(root, output))
      expect(restarted.position).toBe(6)
      expect(await snapshot(root)).toEqual(expected)
    }
  })

  it('topic: completes a batch a crash cut short (partitions half written, a torn line)', async () => {
    const output: RecordOutput = { kind: 'topic', topic: 'sensors', partitions: 3 }
    const reference = await tempRoot()
    await runToEnd(options(reference, output))
    const root = await tempRoot()
    const first = await Producer.open(options(root, output))
    await first.step()
    await first.step()
    // Batch 2 crashed after partition 0 and two records of partition 1, then mid-line.
    const unit = source(output).unit(2)!
    if (unit.kind !== 'topic') throw new Error('expected a topic unit')
    const topic = await Topic.open(root, 'sensors')
    await topic.append(unit.records.filter((r) => r.partition === 0))
    await topic.append(unit.records.filter((r) => r.partition === 1).slice(0, 2))
    await fs.appendFile(partitionFile(root, 'sensors', 1), '{"offset":')
    const restarted = await runToEnd(options(root, output))
    expect(restarted.position).toBe(6)
    expect(await snapshot(root)).toEqual(await snapshot(reference))
  })

  it('files: a temp file left by a crash mid-write is replaced, never listed', async () => {
    const output: RecordOutput = { kind: 'files', source: 'sensors', format: 'csv' }
    const reference = await tempRoot()
    await runToEnd(options(reference, output))
    const root = await tempRoot()
    const first = await Producer.open(options(root, output))
    await first.step()
    await fs.writeFile(path.join(root, 'landing/sensors/.sensor-000001.csv.tmp'), 'device_id,rea')
    await runToEnd(options(root, output))
    expect(await snapshot(root)).toEqual(await snapshot(reference))
  })

  it('refuses a different source under the same name, and a topic changed behind its back', async () => {
    const root = await tempRoot()
    const output: RecordOutput = { kind: 'topic', topic: 'sensors', partitions: 2 }
    const producer = await Producer.open(options(root, output))
    await producer.step()
    await expect(Producer.open({ ...options(root, output), source: source(output, 99) })).rejects.toMatchObject({ code: 'PRODUCER_CHANGED' })
    await (await Topic.open(root, 'sensors')).append([{ partition: 0, key: 'x', value: 'intruder', timestamp: 0 }])
    await expect(Producer.open(options(root, output))).rejects.toMatchObject({ code: 'PRODUCER_STATE_CORRUPT' })
    await expect(Producer.open({ ...options(root, output), rate: { filesPerSecond: 0 } })).rejects.toBeInstanceOf(ProducerError)
    for (const bad of ['producers/sensors/state.json', 'landing/x.csv', 'landing/s/.hidden.csv', 'landing/../../x/y.csv']) {
      expect(() => unitFilePath(root, bad)).toThrow(/bad landing path/)
    }
    expect(unitFilePath(root, 'landing/s/a.csv')).toBe(path.join(root, 'landing/s/a.csv'))
  })

  it('runs on the clock at its rate; pause holds it, step produces one batch, resume and stop', async () => {
    const root = await tempRoot()
    const clock = new ManualClock(1_000_000)
    const output: RecordOutput = { kind: 'files', source: 'sensors', format: 'csv' }
    const producer = await Producer.open({ ...options(root, output), source: source(output, 42, 100), clock, rate: { recordsPerSecond: 10 } })
    const seen: number[] = []
    producer.onProduced((e) => seen.push(e.position))
    producer.start()
    await clock.whenSleeping()
    expect(producer.position).toBe(1)
    // 25 originals plus their duplicates, at 10 records/s.
    const records = source(output).unit(0)!
    expect(clock.nextWakeAt()).toBe(1_000_000 + ((records.kind === 'file' ? records.records : 0) / 10) * 1000)
    clock.advance(10_000)
    await clock.whenSleeping()
    expect(producer.position).toBe(2)
    producer.pause()
    clock.advance(10_000)
    await new Promise((r) => setImmediate(r))
    expect(producer.status).toBe('paused')
    expect(producer.position).toBe(2)
    expect((await producer.step())?.position).toBe(2)
    expect(producer.position).toBe(3)
    producer.resume()
    await clock.whenSleeping()
    expect(producer.position).toBe(4)
    await producer.stop()
    expect(producer.status).toBe('stopped')
    expect(clock.pendingSleeps()).toBe(0)
    expect(seen).toEqual([0, 1, 2, 3])
  })

  it('finishes when the source is exhausted', async () => {
    const root = await tempRoot()
    const clock = new ManualClock(0)
    const producer = await Producer.open({ ...options(root, { kind: 'topic', topic: 't', partitions: 2 }), clock, rate: { filesPerSecond: 2 } })
    producer.start()
    for (let i = 0; i < 6; i++) {
      await clock.whenSleeping()
      clock.advance(500)
    }
    await producer.done()
    expect(producer.status).toBe('finished')
    expect((await (await Topic.open(root, 't')).endOffsets()).reduce((a, b) => a + b)).toBeGreaterThan(150)
  })
})
