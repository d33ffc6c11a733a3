// What a producer emits per step (a landing file or a batch of topic records), how it is written atomically, and how a restart finds out whether it already was.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { Topic, TopicError, type TopicAppend } from '../topic/topic'
import type { ColumnSpec, FieldValue } from './noisyRecords'
import { ProducerError } from './producerError'

/** One step of a producer. Paths are relative to the lakehouse root and end in a file name that does not start with '.'. */
export type ProducedUnit =
  | { kind: 'file'; path: string; text: string; records: number }
  | { kind: 'parquet'; path: string; columns: readonly ColumnSpec[]; rows: Record<string, FieldValue>[] }
  | { kind: 'topic'; topic: string; partitions: number; records: TopicAppend[] }

/** A deterministic sequence of units. */
export interface UnitSource {
  /** What is produced (profile, seed, output...). Stored in state.json; a restart with a different one is refused. */
  readonly fingerprint: Record<string, unknown>
  /** The unit at `position` (from 0), or null past the end. Pure: a position always gives the same unit. */
  unit(position: number): ProducedUnit | null
  /**
   * Optional: true when this source produces exactly what the source of `saved` (another fingerprint) produced at
   * every position before `position`, so a producer may carry on with it (a live source whose settings changed later).
   * Without it any other fingerprint is refused.
   */
  continues?(saved: Record<string, unknown>, position: number): boolean
}

/** Records in a unit. */
export function unitRecords(unit: ProducedUnit): number {
  return unit.kind === 'file' ? unit.records : unit.kind === 'parquet' ? unit.rows.length : unit.records.length
}

/** Record count per partition of a topic unit. */
export function partitionCounts(unit: Extract<ProducedUnit, { kind: 'topic' }>): number[] {
  const counts: number[] = Array.from({ length: unit.partitions }, () => 0)
  for (const r of unit.records) counts[r.partition] = (counts[r.partition] ?? 0) + 1
  return counts
}

/** Absolute path of a file unit; errors with INVALID_ARGUMENT when it is not under landing/<source>/ or names a dot file. */
export function unitFilePath(root: string, relative: string): string {
  const target = path.resolve(root, relative)
  const name = path.basename(target)
  const landing = path.resolve(root, 'landing') + path.sep
  if (!target.startsWith(landing) || path.dirname(target) + path.sep === landing || name.startsWith('.')) {
    throw new ProducerError('INVALID_ARGUMENT', `bad landing path ${relative}: must be landing/<source>/<file> and not name a dot file`)
  }
  return target
}

/** The temp name a file unit is written under before its rename: hidden (dot) so folder listings skip it. */
export function tempPathOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp`)
}

/** Opens a unit's topic, creating it with the unit's partition count when missing. Errors: INVALID_ARGUMENT on a partition mismatch. */
export async function topicFor(root: string, name: string, partitions: number): Promise<Topic> {
  let topic: Topic
  try {
    topic = await Topic.open(root, name)
  } catch (e) {
    if (!(e instanceof TopicError && e.code === 'TOPIC_NOT_FOUND')) throw e
    try {
      topic = await Topic.create(root, name, partitions)
    } catch (c) {
      if (!(c instanceof TopicError && c.code === 'TOPIC_EXISTS')) throw c
      topic = await Topic.open(root, name)
    }
  }
  if (topic.partitions !== partitions) {
    throw new ProducerError('INVALID_ARGUMENT', `topic ${name} has ${topic.partitions} partitions; the producer writes ${partitions}`)
  }
  return topic
}

/**
 * Writes a file unit atomically: the content goes to `.<name>.tmp` beside the target (fsynced), then is renamed to its
 * name, so a concurrent listing sees either no file or the whole file. An existing target is replaced.
 * Parquet is written by DuckDB COPY (columns cast from text with TRY_CAST: a wrong-type value becomes NULL).
 */
export async function writeFileUnit(root: string, unit: Exclude<ProducedUnit, { kind: 'topic' }>, port: () => Promise<DuckdbSession>): Promise<void> {
  const target = unitFilePath(root, unit.path)
  const temp = tempPathOf(target)
  await fs.mkdir(path.dirname(target), { recursive: true })
  if (unit.kind === 'file') {
    const handle = await fs.open(temp, 'w')
    try {
      await handle.writeFile(unit.text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
  } else {
    await fs.rm(temp, { force: true })
    await (await port()).exec(parquetCopySql(unit.columns, unit.rows, temp))
    const handle = await fs.open(temp, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }
  await fs.rename(temp, target)
  const dir = await fs.open(path.dirname(target), 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

/** COPY ... TO parquet of typed rows given as text values. */
function parquetCopySql(columns: readonly ColumnSpec[], rows: Record<string, FieldValue>[], target: string): string {
  const names = columns.map((_, i) => `c${i}`)
  const literal = (v: FieldValue | undefined): string => (v === null || v === undefined ? 'NULL::VARCHAR' : sqlString(String(v)))
  const select = columns.map((c, i) => `TRY_CAST(c${i} AS ${c.type}) AS "${c.name.replace(/"/g, '""')}"`).join(', ')
  const source = rows.length === 0
    ? `(SELECT ${names.map((n) => `NULL::VARCHAR AS ${n}`).join(', ')} WHERE false)`
    : `(VALUES ${rows.map((r) => `(${columns.map((c) => literal(r[c.name])).join(', ')})`).join(', ')}) AS t(${names.join(', ')})`
  return `COPY (SELECT ${select} FROM ${source}) TO ${sqlString(target)} (FORMAT parquet)`
}

/** True when a file unit's target already exists (a restart after its rename but before the state save). */
export async function fileUnitExists(root: string, unit: Exclude<ProducedUnit, { kind: 'topic' }>): Promise<boolean> {
  try {
    await fs.stat(unitFilePath(root, unit.path))
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}
