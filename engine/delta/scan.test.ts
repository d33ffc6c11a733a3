// Tests for scanSql on hand-built tables: schema evolution, id-mode column mapping, inline/path DVs, file names, subsets.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { formatActions, type Action, type AddFile } from './actions'
import { loadSnapshot } from './logReplay'
import { commitFileName, LogStore } from './logStore'
import { sqlString } from './parquetPort'
import { scanSql } from './scan'
import type { StructField } from './schema'

let session: DuckdbSession
let dir: string
beforeAll(async () => {
  session = await DuckdbSession.create({ threads: 2 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-scan-'))
})
afterAll(async () => {
  session?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

const field = (name: string, type: StructField['type'], metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable: true, metadata })

function metaData(fields: StructField[], configuration: Record<string, string> = {}, partitionColumns: string[] = []): Action {
  return { metaData: { id: 'test', format: { provider: 'parquet', options: {} }, schemaString: JSON.stringify({ type: 'struct', fields }), partitionColumns, configuration } }
}

async function writeParquet(root: string, rel: string, select: string, extra = ''): Promise<AddFile> {
  const abs = path.join(root, rel)
  await fs.mkdir(path.dirname(abs), { recursive: true })
  await session.exec(`COPY (${select}) TO ${sqlString(abs)} (FORMAT parquet${extra})`)
  const size = (await fs.stat(abs)).size
  return { path: rel.split('/').map(encodeURIComponent).join('/'), partitionValues: {}, size, modificationTime: 0, dataChange: true }
}

async function newTable(name: string): Promise<string> {
  const root = path.join(dir, name)
  await fs.mkdir(path.join(root, '_delta_log'), { recursive: true })
  return root
}

async function commit(root: string, version: number, actions: Action[]): Promise<void> {
  await fs.writeFile(path.join(root, '_delta_log', commitFileName(version)), formatActions(actions))
}

async function rows(root: string, version?: number, select = '*', options = {}): Promise<Record<string, unknown>[]> {
  const snapshot = await loadSnapshot(new LogStore(root), session, version === undefined ? {} : { version })
  return session.query(`SELECT ${select} FROM (${await scanSql(snapshot, session, options)}) ORDER BY ALL`)
}

describe('scanSql', () => {
  it('reads columns added by a later schema as NULL in older files, and uses each version schema', async () => {
    const root = await newTable('evolution')
    const a = await writeParquet(root, 'a.parquet', 'SELECT 1::BIGINT AS id')
    await commit(root, 0, [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, metaData([field('id', 'long')]), { add: a }])
    const b = await writeParquet(root, 'b.parquet', "SELECT 2::INTEGER AS id, 'x' AS note")
    // v1 widens id (int file under a long schema) and adds two columns, one that no file holds and no stats mention.
    await commit(root, 1, [metaData([field('id', 'long'), field('note', 'string'), field('never', 'date')]), { add: b }])
    expect(await rows(root, 0)).toEqual([{ id: 1n }])
    expect(await rows(root)).toEqual([{ id: 1n, note: null, never: null }, { id: 2n, note: 'x', never: null }])
  })

  it('resolves id-mode column mapping by parquet field id at every level, NULL where a file lacks a field', async () => {
    const root = await newTable('idmode')
    const ids = `, FIELD_IDS {p1: 1, p2: {__duckdb_field_id: 2, q: 3}}`
    const one = await writeParquet(root, 'one.parquet', "SELECT 10 AS p1, {'q': 7} AS p2", ids)
    const two = await writeParquet(root, 'two.parquet', "SELECT 20 AS p1, {'other': 8} AS p2", `, FIELD_IDS {p1: 1, p2: {__duckdb_field_id: 2, other: 9}}`)
    const schema = [
      // Physical names deliberately differ from the file's column names: id mode must match by id.
      field('x', 'integer', { 'delta.columnMapping.id': 1, 'delta.columnMapping.physicalName': 'col-x' }),
      field('s', { type: 'struct', fields: [field('inner', 'integer', { 'delta.columnMapping.id': 3, 'delta.columnMapping.physicalName': 'col-inner' })] }, { 'delta.columnMapping.id': 2, 'delta.columnMapping.physicalName': 'col-s' })
    ]
    await commit(root, 0, [
      { protocol: { minReaderVersion: 2, minWriterVersion: 5 } },
      metaData(schema, { 'delta.columnMapping.mode': 'id', 'delta.columnMapping.maxColumnId': '3' }),
      { add: one },
      { add: two }
    ])
    expect(await rows(root)).toEqual([{ x: 10, s: { inner: 7 } }, { x: 20, s: { inner: null } }])
  })

  it('removes rows of an inline deletion vector (protocol example: rows 3,4,7,11,18,29)', async () => {
    const root = await newTable('inline-dv')
    const add = await writeParquet(root, 'data.parquet', 'SELECT range AS id FROM range(30)')
    add.deletionVector = { storageType: 'i', pathOrInlineDv: 'wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L', sizeInBytes: 40, cardinality: 6 }
    await commit(root, 0, [
      { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } },
      metaData([field('id', 'long')]),
      { add }
    ])
    const ids = (await rows(root)).map((r) => Number(r.id))
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => i).filter((i) => ![3, 4, 7, 11, 18, 29].includes(i)))
  })

  it('removes a large on-disk deletion vector through a session temp table', async () => {
    const root = await newTable('large-dv')
    const add = await writeParquet(root, 'data.parquet', 'SELECT range AS id FROM range(50000)')
    // Every third row deleted: 16,667 isolated indexes, far too many to inline in the SQL text.
    const deleted = Array.from({ length: 50000 }, (_, i) => i).filter((i) => i % 3 === 0)
    const bitmap = portableBitmap(deleted)
    const file = Buffer.concat([Buffer.from([1]), int32BE(bitmap.length), bitmap, int32BE(crc32(bitmap))])
    const dvPath = path.join(root, 'dv', 'deleted.bin')
    await fs.mkdir(path.dirname(dvPath), { recursive: true })
    await fs.writeFile(dvPath, file)
    add.deletionVector = { storageType: 'p', pathOrInlineDv: `file://${dvPath}`, offset: 1, sizeInBytes: bitmap.length, cardinality: deleted.length }
    await commit(root, 0, [
      { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } },
      metaData([field('id', 'long')]),
      { add }
    ])
    const snapshot = await loadSnapshot(new LogStore(root), session)
    const sql = await scanSql(snapshot, session)
    expect(sql).toMatch(/__delta_dv_[0-9a-f]{20}/)
    const result = await session.query(`SELECT count(*) AS n, sum(id) AS s, count(*) FILTER (WHERE id % 3 = 0) AS bad FROM (${sql})`)
    const kept = Array.from({ length: 50000 }, (_, i) => i).filter((i) => i % 3 !== 0)
    expect(Number(result[0]!.n)).toBe(kept.length)
    expect(String(result[0]!.s)).toBe(String(kept.reduce((a, b) => a + b, 0)))
    expect(Number(result[0]!.bad)).toBe(0)
  })

  it('fails loudly naming the file when a deletion vector does not match its cardinality', async () => {
    const root = await newTable('bad-dv')
    const add = await writeParquet(root, 'data.parquet', 'SELECT range AS id FROM range(30)')
    add.deletionVector = { storageType: 'i', pathOrInlineDv: 'wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L', sizeInBytes: 40, cardinality: 5 }
    await commit(root, 0, [
      { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } },
      metaData([field('id', 'long')]),
      { add }
    ])
    const snapshot = await loadSnapshot(new LogStore(root), session)
    await expect(scanSql(snapshot, session)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringMatching(/data\.parquet.*cardinality 5/) })
  })

  it('adds __file with the log path, reads a subset of files, and gives typed zero rows for no files', async () => {
    const root = await newTable('filenames')
    const a = await writeParquet(root, 'p=a b/one.parquet', 'SELECT 1 AS v')
    a.partitionValues = { p: 'a b' }
    const b = await writeParquet(root, 'p=c%d/two.parquet', 'SELECT 2 AS v')
    b.partitionValues = { p: 'c%d' }
    await commit(root, 0, [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, metaData([field('p', 'string'), field('v', 'integer')], {}, ['p']), { add: a }, { add: b }])
    expect(a.path).toBe('p%3Da%20b/one.parquet')
    expect(await rows(root, undefined, '*', { withFileName: true })).toEqual([
      { p: 'a b', v: 1, __file: a.path },
      { p: 'c%d', v: 2, __file: b.path }
    ])
    expect(await rows(root, undefined, '*', { files: [b] })).toEqual([{ p: 'c%d', v: 2 }])
    const snapshot = await loadSnapshot(new LogStore(root), session)
    const empty = await scanSql(snapshot, session, { files: [] })
    const described = await session.query(`DESCRIBE ${empty}`)
    expect(described.map((r) => `${r.column_name}:${r.column_type}`)).toEqual(['p:VARCHAR', 'v:INTEGER'])
    expect(await session.query(empty)).toEqual([])
  })

  it('refuses a variant column by name', async () => {
    const root = await newTable('variant')
    await commit(root, 0, [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, metaData([field('v', 'variant')])])
    const snapshot = await loadSnapshot(new LogStore(root), session)
    await expect(scanSql(snapshot, session)).rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE', message: expect.stringMatching(/column v has type variant/) })
  })
})

function int32BE(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0, 0)
  return b
}

/** Portable Roaring (one 64-bit bucket) holding `rows`, with bitmap or array containers as the format requires. */
function portableBitmap(rows: number[]): Buffer {
  const byKey = new Map<number, number[]>()
  for (const r of rows) {
    const list = byKey.get(r >>> 16) ?? []
    list.push(r & 0xffff)
    byKey.set(r >>> 16, list)
  }
  const keys = [...byKey.keys()].sort((a, b) => a - b)
  const header = Buffer.alloc(8 + 4 * keys.length)
  header.writeUInt32LE(12346, 0)
  header.writeUInt32LE(keys.length, 4)
  const bodies = keys.map((k, i) => {
    const values = byKey.get(k)!
    header.writeUInt16LE(k, 8 + 4 * i)
    header.writeUInt16LE(values.length - 1, 10 + 4 * i)
    if (values.length > 4096) {
      const bits = Buffer.alloc(8192)
      for (const v of values) bits[v >> 3]! |= 1 << (v & 7)
      return bits
    }
    const arr = Buffer.alloc(2 * values.length)
    values.forEach((v, j) => arr.writeUInt16LE(v, 2 * j))
    return arr
  })
  const offsets = Buffer.alloc(4 * keys.length)
  let pos = header.length + offsets.length
  bodies.forEach((b, i) => { offsets.writeUInt32LE(pos, 4 * i); pos += b.length })
  const bucket = Buffer.alloc(16)
  bucket.writeUInt32LE(1681511377, 0)
  bucket.writeBigUInt64LE(1n, 4)
  bucket.writeUInt32LE(0, 12)
  return Buffer.concat([bucket, header, offsets, ...bodies])
}
