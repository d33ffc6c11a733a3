// A simulated partitioned topic stored in the lakehouse: topics/<topic>/topic.json + one append-only JSONL file per partition.
//
//   <root>/topics/<topic>/topic.json          {"name", "partitions"}
//   <root>/topics/<topic>/partition-<p>.jsonl one record a line: {"offset","key","value","timestamp"}, offsets dense from 0
//
// A topic has ONE writer process (the producer). Inside that process appends are serialized per topic folder, so two Topic
// objects (or two concurrent append calls) on the same topic never interleave. Readers may run in any process at any time:
// they only trust complete lines. A last line without its trailing newline is torn (a crash mid-append): readers ignore it
// and the next append truncates it before writing.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { syncDir } from '../durableFiles'

/** One record as stored, with its coordinates. */
export interface TopicRecord {
  topic: string
  partition: number
  offset: number
  key: string | null
  value: string
  timestamp: number
}

/** What a producer appends: the offset is assigned by the topic. */
export interface TopicAppend {
  partition: number
  key: string | null
  value: string
  /** ms since the epoch, producer time. */
  timestamp: number
}

export type TopicErrorCode = 'TOPIC_EXISTS' | 'TOPIC_NOT_FOUND' | 'TOPIC_CORRUPT' | 'INVALID_ARGUMENT'

/** Every failure of the topic store carries a code and names the topic (and the file or line when one is involved). */
export class TopicError extends Error {
  constructor(readonly code: TopicErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'TopicError'
  }
}

const TOPIC_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

/** Folder holding a lakehouse's topics. */
export function topicsDir(root: string): string {
  return path.join(root, 'topics')
}

/** The JSONL file of one partition. */
export function partitionFile(root: string, topic: string, partition: number): string {
  return path.join(topicsDir(root), topic, `partition-${partition}.jsonl`)
}

/** Names of the topics of a lakehouse (folders with a topic.json), sorted; [] when there are none. */
export async function listTopics(root: string): Promise<string[]> {
  let names: string[]
  try {
    names = await fs.readdir(topicsDir(root))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const topics: string[] = []
  for (const name of names.filter((n) => TOPIC_NAME.test(n)).sort()) {
    if (await exists(path.join(topicsDir(root), name, 'topic.json'))) topics.push(name)
  }
  return topics
}

/** The writer's view of one partition file: how many bytes are complete lines and the next offset. */
interface PartitionTail {
  validBytes: number
  endOffset: number
}

/** Per-topic-folder writer state shared by every Topic object of this process: the append queue and the partition tails. */
interface WriterState {
  queue: Promise<unknown>
  tails: Map<number, PartitionTail>
}
const writers = new Map<string, WriterState>()

export class Topic {
  private constructor(
    readonly root: string,
    readonly name: string,
    readonly partitions: number
  ) {}

  /**
   * Creates the topic with empty partitions, atomically (built in a temp folder, then renamed into place).
   * Errors: TOPIC_EXISTS if the topic folder already exists; INVALID_ARGUMENT for a bad name or partition count.
   */
  static async create(root: string, name: string, partitions: number): Promise<Topic> {
    checkName(name)
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new TopicError('INVALID_ARGUMENT', `topic ${name}: partitions must be a positive integer, got ${partitions}`)
    }
    const parent = topicsDir(root)
    await fs.mkdir(parent, { recursive: true })
    const final = path.join(parent, name)
    if (await exists(final)) throw new TopicError('TOPIC_EXISTS', `topic ${name} already exists (${final})`)
    const staging = path.join(parent, `.${name}.${randomUUID()}.tmp`)
    await fs.mkdir(staging)
    try {
      await writeSynced(path.join(staging, 'topic.json'), JSON.stringify({ name, partitions }) + '\n')
      for (let p = 0; p < partitions; p++) await writeSynced(path.join(staging, `partition-${p}.jsonl`), '')
      await syncDir(staging)
      try {
        await fs.rename(staging, final)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new TopicError('TOPIC_EXISTS', `topic ${name} already exists (${final})`)
        throw e
      }
    } catch (e) {
      await fs.rm(staging, { recursive: true, force: true })
      throw e
    }
    await syncDir(parent)
    return new Topic(root, name, partitions)
  }

  /** Opens an existing topic. Errors: TOPIC_NOT_FOUND when topic.json is missing; TOPIC_CORRUPT when it is unreadable. */
  static async open(root: string, name: string): Promise<Topic> {
    checkName(name)
    const file = path.join(topicsDir(root), name, 'topic.json')
    let text: string
    try {
      text = await fs.readFile(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new TopicError('TOPIC_NOT_FOUND', `topic ${name} does not exist (${file})`)
      throw e
    }
    let meta: { name?: unknown; partitions?: unknown }
    try {
      meta = JSON.parse(text) as typeof meta
    } catch {
      throw new TopicError('TOPIC_CORRUPT', `${file} is not valid JSON`)
    }
    if (meta.name !== name || !Number.isInteger(meta.partitions) || (meta.partitions as number) < 1) {
      throw new TopicError('TOPIC_CORRUPT', `${file} must be {"name": "${name}", "partitions": <positive integer>}`)
    }
    return new Topic(root, name, meta.partitions as number)
  }

  /** Folder of this topic. */
  get dir(): string {
    return path.join(topicsDir(this.root), this.name)
  }

  /**
   * Appends records (each to its partition, in the given order) and fsyncs every touched partition before resolving.
   * Returns the stored records with their offsets. Serialized with every other append to this topic in this process.
   * Errors: INVALID_ARGUMENT for a partition out of range, a non-string value, a key neither string nor null, a non-finite
   * timestamp (nothing is written then); TOPIC_CORRUPT when a partition file's lines are not dense offsets.
   */
  async append(records: TopicAppend[]): Promise<TopicRecord[]> {
    for (const [i, r] of records.entries()) this.checkAppend(r, i)
    // Chained synchronously (before any await) so call order is append order.
    const state = writerState(this.dir)
    const run = state.queue.then(() => this.appendNow(records, state))
    state.queue = run.catch(() => undefined)
    return run
  }

  /** Next offset to be written, per partition (the count of complete lines). */
  async endOffsets(): Promise<number[]> {
    const ends: number[] = []
    for (let p = 0; p < this.partitions; p++) ends.push((await this.scanTail(p)).endOffset)
    return ends
  }

  /**
   * Records of one partition with fromOffset <= offset < untilOffset; until is clamped to the end of the partition.
   * Errors: INVALID_ARGUMENT for a partition out of range or a negative / inverted range; TOPIC_CORRUPT naming the file
   * and line when a complete line is not a record with the expected offset.
   */
  async read(partition: number, fromOffset: number, untilOffset: number): Promise<TopicRecord[]> {
    this.checkPartition(partition)
    if (!Number.isInteger(fromOffset) || !Number.isInteger(untilOffset) || fromOffset < 0 || untilOffset < fromOffset) {
      throw new TopicError('INVALID_ARGUMENT', `topic ${this.name} partition ${partition}: bad range [${fromOffset}, ${untilOffset})`)
    }
    if (untilOffset === fromOffset) return []
    const file = partitionFile(this.root, this.name, partition)
    const lines = completeLines(await fs.readFile(file, 'utf8'))
    const records: TopicRecord[] = []
    for (let offset = fromOffset; offset < Math.min(untilOffset, lines.length); offset++) {
      records.push(this.parseLine(lines[offset] as string, file, partition, offset))
    }
    return records
  }

  private async appendNow(records: TopicAppend[], state: WriterState): Promise<TopicRecord[]> {
    const byPartition = new Map<number, TopicAppend[]>()
    for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r])
    const stored = new Map<TopicAppend, TopicRecord>()
    for (const [partition, batch] of [...byPartition].sort((a, b) => a[0] - b[0])) {
      const file = partitionFile(this.root, this.name, partition)
      let tail = state.tails.get(partition)
      const size = (await fs.stat(file)).size
      // Rescan when this process has not seen the file yet or it changed behind our back (a crashed earlier writer).
      if (!tail || tail.validBytes !== size) tail = await this.scanTail(partition)
      if (size > tail.validBytes) await fs.truncate(file, tail.validBytes)
      let offset = tail.endOffset
      const lines: string[] = []
      for (const r of batch) {
        const rec: TopicRecord = { topic: this.name, partition, offset: offset++, key: r.key, value: r.value, timestamp: r.timestamp }
        stored.set(r, rec)
        lines.push(JSON.stringify({ offset: rec.offset, key: rec.key, value: rec.value, timestamp: rec.timestamp }) + '\n')
      }
      const bytes = Buffer.from(lines.join(''), 'utf8')
      const handle = await fs.open(file, 'a')
      try {
        let written = 0
        while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten
        await handle.sync()
      } finally {
        await handle.close()
      }
      state.tails.set(partition, { validBytes: tail.validBytes + bytes.length, endOffset: offset })
    }
    return records.map((r) => stored.get(r) as TopicRecord)
  }

  /** Complete-line byte length and line count of a partition file, checking the last complete line's offset. */
  private async scanTail(partition: number): Promise<PartitionTail> {
    this.checkPartition(partition)
    const file = partitionFile(this.root, this.name, partition)
    const bytes = await fs.readFile(file)
    const validBytes = bytes.lastIndexOf(0x0a) + 1
    let endOffset = 0
    for (let i = 0; i < validBytes; i++) if (bytes[i] === 0x0a) endOffset++
    if (endOffset > 0) {
      const lastStart = bytes.lastIndexOf(0x0a, validBytes - 2) + 1
      this.parseLine(bytes.subarray(lastStart, validBytes - 1).toString('utf8'), file, partition, endOffset - 1)
    }
    return { validBytes, endOffset }
  }

  private parseLine(line: string, file: string, partition: number, offset: number): TopicRecord {
    let parsed: { offset?: unknown; key?: unknown; value?: unknown; timestamp?: unknown }
    try {
      parsed = JSON.parse(line) as typeof parsed
    } catch {
      throw new TopicError('TOPIC_CORRUPT', `${file} line ${offset + 1} is not valid JSON`)
    }
    const keyOk = parsed.key === null || typeof parsed.key === 'string'
    if (parsed.offset !== offset || !keyOk || typeof parsed.value !== 'string' || typeof parsed.timestamp !== 'number') {
      throw new TopicError('TOPIC_CORRUPT', `${file} line ${offset + 1}: expected {"offset": ${offset}, "key", "value", "timestamp"}`)
    }
    return { topic: this.name, partition, offset, key: parsed.key as string | null, value: parsed.value, timestamp: parsed.timestamp }
  }

  private checkPartition(partition: number): void {
    if (!Number.isInteger(partition) || partition < 0 || partition >= this.partitions) {
      throw new TopicError('INVALID_ARGUMENT', `topic ${this.name} has partitions 0..${this.partitions - 1}, got ${partition}`)
    }
  }

  private checkAppend(r: TopicAppend, index: number): void {
    this.checkPartition(r.partition)
    const where = `topic ${this.name} record ${index}`
    if (typeof r.value !== 'string') throw new TopicError('INVALID_ARGUMENT', `${where}: value must be a string`)
    if (r.key !== null && typeof r.key !== 'string') throw new TopicError('INVALID_ARGUMENT', `${where}: key must be a string or null`)
    if (!Number.isFinite(r.timestamp)) throw new TopicError('INVALID_ARGUMENT', `${where}: timestamp must be a finite number`)
  }
}

function writerState(dir: string): WriterState {
  let state = writers.get(dir)
  if (!state) {
    state = { queue: Promise.resolve(), tails: new Map() }
    writers.set(dir, state)
  }
  return state
}

/** The complete lines of a file's text (a torn last line without its newline is left out). */
function completeLines(text: string): string[] {
  const lines = text.split('\n')
  lines.pop()
  return lines
}

function checkName(name: string): void {
  if (!TOPIC_NAME.test(name)) {
    throw new TopicError('INVALID_ARGUMENT', `bad topic name ${JSON.stringify(name)}: letters, digits, _ . - and not starting with . or -`)
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}

async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'wx')
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

