// Tests for name resolution and the per-(table, version) snapshot cache.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { Lakehouse } from '../lakehouse/folder'
import { SqlCatalog, closestName } from './catalog'
import { DuckdbSession } from './duckdbSession'

describe('SqlCatalog', () => {
  let dir: string
  let lakehouse: Lakehouse
  let session: DuckdbSession
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-catalog-'))
    lakehouse = await Lakehouse.create(dir)
    session = await DuckdbSession.create()
    await DeltaTable.create(lakehouse.tablePath('silver', 'workouts'), session, {
      schema: { type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] }
    })
  })
  afterAll(async () => {
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('resolves names ignoring case, and leaves non-lakehouse names to DuckDB', async () => {
    const catalog = new SqlCatalog(lakehouse, session)
    expect(await catalog.resolve(['SILVER', 'Workouts'])).toMatchObject({ displayName: 'silver.workouts', root: lakehouse.tablePath('silver', 'workouts') })
    expect(await catalog.resolve(['main', 'x'])).toBeNull()
    expect(await catalog.resolve(['x'])).toBeNull()
    await expect(catalog.resolve(['silver', 'workout'])).rejects.toThrow('Did you mean silver.workouts?')
    await expect(catalog.resolve(['delta', path.join(dir, 'nothing')])).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
  })

  it('reuses the snapshot until a new commit appears, then reads the new version', async () => {
    const catalog = new SqlCatalog(lakehouse, session)
    const table = (await catalog.resolve(['silver', 'workouts']))!
    catalog.beginStatement()
    const first = await catalog.snapshot(table)
    catalog.beginStatement()
    expect(await catalog.snapshot(table)).toBe(first)
    const delta = await DeltaTable.open(table.root, session)
    await delta.write({ sourceSql: 'SELECT 1::BIGINT AS id', mode: 'append' })
    // Within one statement the listed latest version is kept; the next statement sees the commit.
    expect((await catalog.snapshot(table)).version).toBe(first.version)
    catalog.beginStatement()
    const second = await catalog.snapshot(table)
    expect(second.version).toBe(first.version + 1)
    expect(await catalog.snapshot(table, { version: first.version })).toBe(first)
    await expect(catalog.snapshot(table, { version: 7 })).rejects.toThrow(`Version 7 of silver.workouts does not exist; the table has versions 0..${second.version}`)
  })

  it('suggests only plausible names', () => {
    expect(closestName('bronze.userz', ['bronze.users', 'gold.totals'])).toBe('bronze.users')
    expect(closestName('zzz', ['bronze.users'])).toBeUndefined()
  })
})
