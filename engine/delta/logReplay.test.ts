// Tests for log listing, segment choice, incremental snapshot loads, readCommit and latestVersion on temp tables.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { formatActions, type Action } from './actions'
import { latestVersion, loadSnapshot, readCommit } from './logReplay'
import { classifyLog, segmentsFor } from './logSegment'
import { commitFileName, LogStore } from './logStore'

let session: DuckdbSession
let dir: string
beforeAll(async () => {
  session = await DuckdbSession.create({ threads: 1 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-replay-'))
})
afterAll(async () => {
  session?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

const pad = (v: number) => String(v).padStart(20, '0')
const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] })
const add = (p: string): Action => ({ add: { path: p, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } })

async function table(name: string, commits: Action[][]): Promise<LogStore> {
  const store = new LogStore(path.join(dir, name))
  for (const [v, actions] of commits.entries()) await store.writeCommitIfAbsent(v, formatActions(actions))
  return store
}

describe('classifyLog / segmentsFor', () => {
  it('keeps only complete multi-part sets and orders checkpoints newest first', () => {
    const listing = classifyLog([
      `${pad(0)}.json`, `${pad(1)}.json`, `${pad(2)}.json`, `${pad(3)}.json`,
      `${pad(1)}.checkpoint.parquet`,
      `${pad(2)}.checkpoint.0000000001.0000000002.parquet`,
      `${pad(3)}.checkpoint.0000000001.0000000002.parquet`, `${pad(3)}.checkpoint.0000000002.0000000002.parquet`,
      '_last_checkpoint', `${pad(3)}.crc`, '_sidecars'
    ])
    expect(listing.latest).toBe(3)
    expect(listing.checkpoints.map((c) => `${c.version}:${c.kind}:${c.files.length}`)).toEqual(['3:multipart:2', '1:classic:1'])
    expect(segmentsFor(listing, 2, '/t').map((s) => [s.checkpoint?.version ?? null, s.commits])).toEqual([[1, [2]], [null, [0, 1, 2]]])
  })

  it('distinguishes cleaned-up history from a gap', () => {
    const cleaned = classifyLog([`${pad(2)}.checkpoint.parquet`, `${pad(2)}.json`, `${pad(3)}.json`])
    expect(() => segmentsFor(cleaned, 1, '/t')).toThrow(expect.objectContaining({ code: 'VERSION_NOT_RECONSTRUCTABLE' }))
    expect(segmentsFor(cleaned, 3, '/t')).toHaveLength(1)
    const gap = classifyLog([`${pad(0)}.json`, `${pad(1)}.json`, `${pad(3)}.json`])
    expect(() => segmentsFor(gap, 3, '/t')).toThrow(expect.objectContaining({ code: 'LOG_GAP', message: expect.stringContaining(`${pad(2)}.json`) }))
    expect(() => segmentsFor(gap, 4, '/t')).toThrow(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }))
  })
})

describe('loadSnapshot', () => {
  it('reconciles adds, removes, txns and domain metadata, and extends a previous snapshot incrementally', async () => {
    const store = await table('incremental', [
      [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {} } }, add('a'), add('b')],
      [{ remove: { path: 'a', dataChange: true, deletionTimestamp: 5 } }, { txn: { appId: 'app', version: 1 } }, { domainMetadata: { domain: 'd', configuration: '{}', removed: false } }]
    ])
    const v1 = await loadSnapshot(store, session)
    expect(v1.files.map((f) => f.path)).toEqual(['b'])
    expect(v1.tombstones.map((r) => r.path)).toEqual(['a'])
    await store.writeCommitIfAbsent(2, formatActions([add('a'), { txn: { appId: 'app', version: 2 } }, { domainMetadata: { domain: 'd', configuration: '{}', removed: true } }]))
    const v2 = await loadSnapshot(store, session, {}, v1)
    const fresh = await loadSnapshot(store, session)
    for (const s of [v2, fresh]) {
      expect(s.version).toBe(2)
      expect(s.files.map((f) => f.path).sort()).toEqual(['a', 'b'])
      expect(s.tombstones).toEqual([])
      expect(s.txns.get('app')?.version).toBe(2)
      expect(s.domainMetadata.size).toBe(0)
    }
    // The earlier snapshot is untouched by the extension.
    expect(v1.files.map((f) => f.path)).toEqual(['b'])
    expect(v1.txns.get('app')?.version).toBe(1)
    expect(await loadSnapshot(store, session, {}, v2)).toBe(v2)
    expect((await loadSnapshot(store, session, { version: 1 }, v2)).files.map((f) => f.path)).toEqual(['b'])
  })

  it('answers a repeated latest read from the previous snapshot without listing or reading the log', async () => {
    const meta: Action = { metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {} } }
    const store = await table('warm', [[{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, meta, add('a')], [add('b')]])
    const first = await loadSnapshot(store, session)
    const readdir = vi.spyOn(fs, 'readdir')
    try {
      expect(await loadSnapshot(store, session, {}, first)).toBe(first)
      expect(await latestVersion(store, first.version)).toBe(1)
      expect(readdir).not.toHaveBeenCalled()
      // A stale hint is corrected by a listing.
      expect(await latestVersion(store, 0)).toBe(1)
      expect(readdir).toHaveBeenCalledTimes(1)
      await store.writeCommitIfAbsent(2, formatActions([add('c')]))
      const next = await loadSnapshot(store, session, {}, first)
      expect(next.version).toBe(2)
      expect(next.files.map((f) => f.path)).toEqual(['a', 'b', 'c'])
    } finally {
      readdir.mockRestore()
    }
    // A snapshot of another table, or whose own commit is gone, is not taken as current.
    const other = await table('warm-other', [[{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, meta]])
    expect((await loadSnapshot(other, session, {}, first)).files).toEqual([])
    await fs.rm(store.pathOf(commitFileName(1)))
    await expect(loadSnapshot(store, session, {}, { ...first, version: 1 })).resolves.toMatchObject({ version: 2 })
  })

  it('rejects bad arguments and a table without protocol', async () => {
    const store = await table('noprotocol', [[{ metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {} } }]])
    await expect(loadSnapshot(store, session)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringMatching(/no protocol action/) })
    await expect(loadSnapshot(store, session, { version: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(loadSnapshot(store, session, { version: 0, timestamp: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })
})

describe('readCommit / latestVersion', () => {
  it('returns one commit with commitInfo, and the latest version from the listing', async () => {
    const store = await table('history', [[{ commitInfo: { operation: 'WRITE' } }, { protocol: { minReaderVersion: 1, minWriterVersion: 2 } }]])
    expect(await readCommit(store, 0)).toEqual([{ commitInfo: { operation: 'WRITE' } }, { protocol: { minReaderVersion: 1, minWriterVersion: 2 } }])
    expect(await latestVersion(store)).toBe(0)
    expect(await latestVersion(store, 0)).toBe(0)
    expect(await latestVersion(new LogStore(path.join(dir, 'absent')))).toBeNull()
    await expect(readCommit(store, 7)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' })
    await fs.writeFile(store.pathOf(commitFileName(1)), '{"add":{"path":"x"')
    await expect(readCommit(store, 1)).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringContaining(`${commitFileName(1)}: line 1`) })
  })
})
