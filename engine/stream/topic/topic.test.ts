// Topic storage: create/open, dense offsets, torn last lines, serialized appends, range reads.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listTopics, partitionFile, Topic, TopicError } from './topic'

let root: string
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-topic-'))
})
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true })
})

function rec(partition: number, value: string, key: string | null = null, timestamp = 1000) {
  return { partition, key, value, timestamp }
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    return e instanceof TopicError ? e.code : String(e)
  }
}

describe('Topic', () => {
  it('creates a topic with its layout, refuses a second create and opens it back', async () => {
    const topic = await Topic.create(root, 'workouts', 3)
    expect(JSON.parse(await fs.readFile(path.join(root, 'topics/workouts/topic.json'), 'utf8'))).toEqual({ name: 'workouts', partitions: 3 })
    expect(await fs.readFile(partitionFile(root, 'workouts', 2), 'utf8')).toBe('')
    expect(await codeOf(Topic.create(root, 'workouts', 2))).toBe('TOPIC_EXISTS')
    const opened = await Topic.open(root, 'workouts')
    expect(opened.partitions).toBe(3)
    expect(await topic.endOffsets()).toEqual([0, 0, 0])
    expect(await codeOf(Topic.open(root, 'nope'))).toBe('TOPIC_NOT_FOUND')
    expect(await codeOf(Topic.create(root, '../escape', 1))).toBe('INVALID_ARGUMENT')
    expect(await listTopics(root)).toEqual(['workouts'])
    // No staging folder is left behind.
    expect(await fs.readdir(path.join(root, 'topics'))).toEqual(['workouts'])
  })

  it('assigns dense offsets per partition and reads [from, until)', async () => {
    const topic = await Topic.create(root, 't', 2)
    const first = await topic.append([rec(0, 'a', 'k1', 5), rec(1, 'b'), rec(0, 'c', 'k2', 7)])
    expect(first.map((r) => [r.partition, r.offset, r.value])).toEqual([
      [0, 0, 'a'],
      [1, 0, 'b'],
      [0, 1, 'c']
    ])
    await topic.append([rec(0, 'd')])
    expect(await topic.endOffsets()).toEqual([3, 1])
    const read = await topic.read(0, 1, 3)
    expect(read).toEqual([
      { topic: 't', partition: 0, offset: 1, key: 'k2', value: 'c', timestamp: 7 },
      { topic: 't', partition: 0, offset: 2, key: null, value: 'd', timestamp: 1000 }
    ])
    expect(await topic.read(0, 0, 100)).toHaveLength(3)
    expect(await topic.read(1, 1, 1)).toEqual([])
    const line = (await fs.readFile(partitionFile(root, 't', 0), 'utf8')).split('\n')[0]
    expect(JSON.parse(line as string)).toEqual({ offset: 0, key: 'k1', value: 'a', timestamp: 5 })
    expect(await codeOf(topic.read(2, 0, 1))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(topic.read(0, 2, 1))).toBe('INVALID_ARGUMENT')
  })

  it('rejects a bad record before writing anything', async () => {
    const topic = await Topic.create(root, 't', 1)
    expect(await codeOf(topic.append([rec(0, 'ok'), rec(1, 'bad partition')]))).toBe('INVALID_ARGUMENT')
    expect(await codeOf(topic.append([{ ...rec(0, 'x'), timestamp: Number.NaN }]))).toBe('INVALID_ARGUMENT')
    expect(await topic.endOffsets()).toEqual([0])
  })

  it('ignores a torn last line in readers and truncates it before the next append', async () => {
    const topic = await Topic.create(root, 't', 1)
    await topic.append([rec(0, 'a'), rec(0, 'b')])
    const file = partitionFile(root, 't', 0)
    // A crash mid-append: half a line, no newline.
    await fs.appendFile(file, '{"offset":2,"key":null,"val')
    const reader = await Topic.open(root, 't')
    expect(await reader.endOffsets()).toEqual([2])
    expect((await reader.read(0, 0, 10)).map((r) => r.value)).toEqual(['a', 'b'])
    // A fresh writer (as after a restart) and the writer that saw the file before both truncate the torn tail.
    const restarted = await Topic.open(root, 't')
    const appended = await restarted.append([rec(0, 'c')])
    expect(appended[0]?.offset).toBe(2)
    const lines = (await fs.readFile(file, 'utf8')).split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[3]).toBe('')
    expect((await reader.read(0, 0, 10)).map((r) => [r.offset, r.value])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c']
    ])
    // A complete JSON record without its newline is torn too.
    await fs.appendFile(file, JSON.stringify({ offset: 3, key: null, value: 'd', timestamp: 1 }))
    expect(await topic.endOffsets()).toEqual([3])
    expect((await topic.append([rec(0, 'e')]))[0]?.offset).toBe(3)
    expect((await topic.read(0, 3, 4))[0]?.value).toBe('e')
  })

  it('serializes concurrent appends of two Topic objects in one process', async () => {
    await Topic.create(root, 't', 2)
    const a = await Topic.open(root, 't')
    const b = await Topic.open(root, 't')
    const calls: Promise<unknown>[] = []
    for (let i = 0; i < 20; i++) {
      const writer = i % 2 === 0 ? a : b
      calls.push(writer.append([rec(i % 2, `w${i}-1`), rec(0, `w${i}-2`)]))
    }
    await Promise.all(calls)
    expect(await a.endOffsets()).toEqual([30, 10])
    const p0 = await b.read(0, 0, 30)
    expect(p0.map((r) => r.offset)).toEqual([...Array(30).keys()])
    // Each call's records are contiguous and in call order: no interleaving.
    expect(p0.slice(0, 3).map((r) => r.value)).toEqual(['w0-1', 'w0-2', 'w1-2'])
    expect(new Set(p0.map((r) => r.value)).size).toBe(30)
  })

  it('reports a corrupt line with its file and line number', async () => {
    const topic = await Topic.create(root, 't', 1)
    await topic.append([rec(0, 'a')])
    await fs.appendFile(partitionFile(root, 't', 0), '{"offset":5,"key":null,"value":"x","timestamp":1}\n')
    await expect(topic.read(0, 0, 5)).rejects.toThrow(/partition-0\.jsonl line 2/)
    await expect(topic.append([rec(0, 'b')])).rejects.toThrow(/TOPIC_CORRUPT/)
  })
})
