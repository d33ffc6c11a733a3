// Tests RESTORE, OPTIMIZE and VACUUM on real temp tables with an injected clock.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { parseActions, type Action, type CommitInfo } from '../actions'
import { DeltaTable } from '../deltaTable'
import { isDeltaError } from '../errors'
import { commitFileName } from '../logStore'
import { scanSql } from '../scan'
import type { StructType } from '../schema'
import { field } from '../typeMapping'

const schema: StructType = { type: 'struct', fields: [field('id', 'long', false), field('v', 'string'), field('part', 'string')] }
const HOUR = 3_600_000

describe('RESTORE / OPTIMIZE / VACUUM', () => {
  let port: DuckdbSession
  let dir: string
  let n = 0
  const clock = { t: Date.now(), now() { return this.t } }

  const rowsAt = async (table: DeltaTable, version?: number) =>
    port.query(`SELECT id, v, part FROM (${await scanSql(await table.snapshot(version === undefined ? undefined : { version }), port)}) ORDER BY id`)
  const commitInfoOf = async (root: string, version: number): Promise<{ info: CommitInfo; actions: Action[] }> => {
    const actions = parseActions(await fs.readFile(path.join(root, '_delta_log', commitFileName(version)), 'utf8'))
    return { info: (actions[0] as { commitInfo: CommitInfo }).commitInfo, actions }
  }
  /** A partitioned table with four small appends: v1..v4 (ids 1-3 in a, 4-5 in a, 6-7 in b, 8 in b). */
  const fourAppends = async (): Promise<{ root: string; table: DeltaTable }> => {
    const root = path.join(dir, `t${n++}`)
    const table = await DeltaTable.create(root, port, { schema, partitionColumns: ['part'], properties: {} }, { clock })
    const batches = [[1, 2, 3, 'a'], [4, 5, 'a'], [6, 7, 'b'], [8, 'b']] as const
    for (const batch of batches) {
      const part = batch[batch.length - 1]
      const ids = batch.slice(0, -1) as number[]
      await table.write({ mode: 'append', sourceSql: `SELECT * FROM (VALUES ${ids.map((i) => `(${i}::BIGINT, 'v${i}', '${part}')`).join(', ')}) AS t(id, v, part)` })
    }
    return { root, table }
  }

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-maint-'))
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('RESTORE to a version reads back that version\'s rows and records Spark\'s restore metrics', async () => {
    const { root, table } = await fourAppends()
    const v2 = await rowsAt(table, 2)
    await table.delete('id = 1')
    const result = await table.restore({ version: 2 })
    expect(result.version).toBe(6)
    expect(await rowsAt(table)).toEqual(v2)
    const { info, actions } = await commitInfoOf(root, 6)
    expect(info.operation).toBe('RESTORE')
    expect(info.operationParameters).toMatchObject({ version: 2 })
    expect(Object.keys(info.operationMetrics ?? {}).sort()).toEqual(['numOfFilesAfterRestore', 'numRemovedFiles', 'numRestoredFiles', 'removedFilesSize', 'restoredFilesSize', 'tableSizeAfterRestore'])
    expect(info.operationMetrics).toMatchObject({ numOfFilesAfterRestore: '2', numRestoredFiles: '1' })
    // every add and remove of a restore is a data change
    for (const a of actions) if ('add' in a || 'remove' in a) expect(('add' in a ? a.add : a.remove).dataChange).toBe(true)
  })

  it('OPTIMIZE keeps the rows identical, compacts each partition to one file with dataChange=false, and is then a no-op', async () => {
    const { root, table } = await fourAppends()
    const before = await rowsAt(table)
    expect((await table.snapshot()).files).toHaveLength(4)
    const result = await table.optimize()
    expect(await rowsAt(table)).toEqual(before)
    const after = await table.snapshot()
    expect(after.files).toHaveLength(2)
    expect(new Set(after.files.map((f) => f.partitionValues.part))).toEqual(new Set(['a', 'b']))
    const { info, actions } = await commitInfoOf(root, result.version)
    expect(info.operation).toBe('OPTIMIZE')
    expect(info.operationParameters).toEqual({ predicate: '[]', zOrderBy: '[]' })
    expect(info.operationMetrics).toMatchObject({ numRemovedFiles: '4', numAddedFiles: '2' })
    for (const a of actions) if ('add' in a || 'remove' in a) expect(('add' in a ? a.add : a.remove).dataChange).toBe(false)
    expect((await table.optimize()).skipped).toBe(true)
  })

  it('OPTIMIZE WHERE compacts only matching partitions; a data-column WHERE and a partition ZORDER column are refused', async () => {
    const { table } = await fourAppends()
    await table.optimize({ where: "part = 'b'" })
    const files = (await table.snapshot()).files
    expect(files.filter((f) => f.partitionValues.part === 'a')).toHaveLength(2)
    expect(files.filter((f) => f.partitionValues.part === 'b')).toHaveLength(1)
    await expect(table.optimize({ where: 'id > 3' })).rejects.toThrow(/references data columns/)
    await expect(table.optimize({ zorderBy: ['part'] })).rejects.toThrow(/partition column/)
  })

  it('OPTIMIZE ZORDER BY rewrites each partition sorted by the columns', async () => {
    const root = path.join(dir, `t${n++}`)
    const table = await DeltaTable.create(root, port, { schema, partitionColumns: [], properties: {} }, { clock })
    await table.write({ mode: 'append', sourceSql: `SELECT (10 - i)::BIGINT AS id, 'x' AS v, 'a' AS part FROM range(10) t(i)` })
    await table.optimize({ zorderBy: ['id'] })
    const snap = await table.snapshot()
    expect(snap.files).toHaveLength(1)
    const ids = await port.query(`SELECT id FROM read_parquet('${path.join(root, snap.files[0]!.path)}')`)
    expect(ids.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('VACUUM refuses a retention under 168 hours naming the override, and keeps every version inside the window readable', async () => {
    const { root, table } = await fourAppends()
    const t0 = clock.t
    await expect(table.vacuum({ retentionHours: 0 })).rejects.toSatisfy((e: unknown) =>
      isDeltaError(e, 'VACUUM_RETENTION_TOO_SHORT') && /enforceRetention: false/.test((e as Error).message) && /168 hours/.test((e as Error).message))
    clock.t = t0 + 100 * HOUR
    await table.optimize() // v5: removes the four append files at t0+100h
    clock.t = t0 + 300 * HOUR
    await table.restore({ version: 2 }) // v6: removes the optimized files at t0+300h, re-adds v2's two files
    const v4Rows = await rowsAt(table, 4)
    clock.t = t0 + 400 * HOUR // cutoff = t0+232h: v5 was current then, so v5 and v6 must survive

    const dry = await table.vacuum({ dryRun: true })
    expect(dry.files).toHaveLength(2) // the b-partition append files, removed at t0+100h and not restored
    for (const f of dry.files) await expect(fs.access(f)).resolves.toBeUndefined()
    const real = await table.vacuum()
    expect(real.files).toEqual(dry.files)
    for (const f of real.files) await expect(fs.access(f)).rejects.toThrow()
    for (const version of [5, 6, real.version!]) expect((await rowsAt(table, version)).length).toBeGreaterThan(0)
    expect(await rowsAt(table, 5)).toEqual(v4Rows)
    const start = await commitInfoOf(root, real.version! - 1)
    expect(start.info.operation).toBe('VACUUM START')
    expect(start.info.operationMetrics).toMatchObject({ numFilesToDelete: '2' })
    expect((await commitInfoOf(root, real.version!)).info).toMatchObject({ operation: 'VACUUM END', operationParameters: { status: 'COMPLETED' } })
    await expect(fs.access(path.join(root, '_delta_log', commitFileName(0)))).resolves.toBeUndefined()

    // version 4 needed the vacuumed files: restoring it names one of them
    await expect(table.restore({ version: 4 })).rejects.toSatisfy((e: unknown) => isDeltaError(e, 'DATA_FILE_MISSING') && real.files.some((f) => (e as Error).message.includes(f)))
  })

  it('VACUUM with { enforceRetention: false } and 0 hours deletes every unreferenced file but not the current ones', async () => {
    const { table } = await fourAppends()
    const before = await rowsAt(table)
    await table.optimize()
    clock.t += 1000 // files are older than "now" by then
    const out = await table.vacuum({ retentionHours: 0, enforceRetention: false })
    expect(out.files).toHaveLength(4)
    expect(await rowsAt(table)).toEqual(before)
  })
})
