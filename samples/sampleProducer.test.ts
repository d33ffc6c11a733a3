// Sample producers: file-by-file production equals produceDataSet, crash/resume never re-produces, sbit topic mode.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../engine/stream/clock'
import type { Producer } from '../engine/stream/producer/producer'
import { Topic } from '../engine/stream/topic/topic'
import { dataSetFiles, produceDataSet } from './dataSets'
import { sampleProducer, sampleUnitSource } from './sampleProducer'

const roots: string[] = []
afterEach(async () => {
  for (const r of roots.splice(0)) await fs.rm(r, { recursive: true, force: true })
})

async function tempRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-sample-producer-'))
  roots.push(root)
  return root
}

/** Files under `dir` (relative path → text); [] when it does not exist. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  for (const e of entries) if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = await fs.readFile(path.join(e.parentPath, e.name), 'utf8')
  return out
}

async function drain(producer: Producer): Promise<number> {
  let n = 0
  while (await producer.step()) n++
  return n
}

describe.each(['sbit', 'retail'] as const)('%s sample producer', (sample) => {
  it('produces, file by file, the same landing content as produceDataSet', async () => {
    const [byProducer, bySets] = [await tempRoot(), await tempRoot()]
    const produced = await drain(await sampleProducer(byProducer, sample, { dataSets: 2, clock: new ManualClock(0) }))
    await produceDataSet(bySets, sample, 1)
    await produceDataSet(bySets, sample, 2)
    const expected = await tree(path.join(bySets, 'landing'))
    expect(produced).toBe(Object.keys(expected).length)
    expect(await tree(path.join(byProducer, 'landing'))).toEqual(expected)
  })

  it('resumes after a crash at each step without re-producing or skipping a file, and continues with more sets', async () => {
    const reference = await tempRoot()
    await produceDataSet(reference, sample, 1)
    await produceDataSet(reference, sample, 2)
    const expected = await tree(path.join(reference, 'landing'))
    const units = Object.keys(expected).length
    for (let crashAt = 0; crashAt < units; crashAt++) {
      const root = await tempRoot()
      const crashing = await sampleProducer(root, sample, { dataSets: 2, afterWrite: (p) => { if (p === crashAt) throw new Error('simulated crash') } })
      await expect(drain(crashing)).rejects.toThrow('simulated crash')
      const restarted = await sampleProducer(root, sample, { dataSets: 2 })
      expect(restarted.position).toBe(crashAt + 1)
      expect(await drain(restarted)).toBe(units - crashAt - 1)
      expect(await tree(path.join(root, 'landing'))).toEqual(expected)
    }
    // A finished producer asked for one more set writes exactly that set.
    const root = await tempRoot()
    await drain(await sampleProducer(root, sample, { dataSets: 2 }))
    const more = await sampleProducer(root, sample, { dataSets: 3 })
    expect(await drain(more)).toBe(dataSetFiles(sample, 3).length)
    await produceDataSet(reference, sample, 3)
    expect(await tree(path.join(root, 'landing'))).toEqual(await tree(path.join(reference, 'landing')))
  })

  it('counts data sets already landed by produceDataSet as produced', async () => {
    const root = await tempRoot()
    await produceDataSet(root, sample, 1)
    const producer = await sampleProducer(root, sample, { dataSets: 2 })
    const source = sampleUnitSource(sample, { dataSets: 2 })
    expect(source.locate(producer.position)).toEqual({ setNumber: 2, fileIndex: 0 })
  })
})

describe('sbit topic mode', () => {
  it('sends the kafka_multiplex envelopes to topics and the CSV feeds to landing', async () => {
    const [root, files] = [await tempRoot(), await tempRoot()]
    await drain(await sampleProducer(root, 'sbit', { dataSets: 2, mode: 'topic' }))
    await produceDataSet(files, 'sbit', 1)
    await produceDataSet(files, 'sbit', 2)
    const landed = await tree(path.join(files, 'landing'))
    const csv = Object.fromEntries(Object.entries(landed).filter(([p]) => p.endsWith('.csv')))
    expect(await tree(path.join(root, 'landing'))).toEqual(csv)
    for (const name of ['user_info', 'bpm', 'workout']) {
      const envelopes = Object.entries(landed)
        .filter(([p]) => p.startsWith(`kafka_multiplex/${name}_`))
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([, text]) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { key: string; value: string; partition: number; timestamp: number }))
      const topic = await Topic.open(root, name)
      const ends = await topic.endOffsets()
      const stored = (await Promise.all(ends.map((end, p) => topic.read(p, 0, end)))).flat()
      expect(stored).toHaveLength(envelopes.length)
      for (let p = 0; p < topic.partitions; p++) {
        expect(stored.filter((r) => r.partition === p).map((r) => [r.key, r.value, r.timestamp]))
          .toEqual(envelopes.filter((e) => e.partition === p).map((e) => [e.key, e.value, e.timestamp]))
      }
    }
  })
})
