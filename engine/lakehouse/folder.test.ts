// Tests for the lakehouse folder layout: create, open, list and resolve tables.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Lakehouse, LakehouseError } from './folder'

describe('Lakehouse folder', () => {
  let dir: string
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-folder-'))
  })
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('creates the layout with the default schemas and reopens it', async () => {
    const lh = await Lakehouse.create(path.join(dir, 'lake'), { name: 'demo' })
    for (const d of ['landing', 'pipelines', 'queries', 'checkpoints', 'tables/bronze', 'tables/system']) {
      expect((await fs.stat(path.join(lh.root, d))).isDirectory()).toBe(true)
    }
    expect(await lh.listSchemas()).toEqual(['bronze', 'gold', 'silver', 'system'])
    const again = await Lakehouse.open(path.join(dir, 'lake'))
    expect(again.info).toEqual({ root: lh.root, name: 'demo', formatVersion: 1 })
    await expect(Lakehouse.create(lh.root)).rejects.toMatchObject({ code: 'LAKEHOUSE_EXISTS' })
  })

  it('refuses a folder without lakebench.json, naming the file', async () => {
    const err = await Lakehouse.open(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LakehouseError)
    expect((err as LakehouseError).code).toBe('NOT_A_LAKEHOUSE')
    expect((err as Error).message).toContain(path.join(dir, 'lakebench.json'))
  })

  it('lists only Delta tables and resolves names ignoring case', async () => {
    const lh = await Lakehouse.create(dir)
    await fs.mkdir(path.join(lh.tablePath('silver', 'Users'), '_delta_log'), { recursive: true })
    await fs.mkdir(path.join(lh.root, 'tables', 'silver', 'not_a_table'), { recursive: true })
    expect(lh.tablePath('Silver', 'Users')).toBe(path.join(lh.root, 'tables', 'silver', 'users'))
    expect((await lh.listTables()).map((t) => `${t.schema}.${t.name}`)).toEqual(['silver.users'])
    expect((await lh.resolveTable('SILVER', 'USERS'))?.path).toBe(lh.tablePath('silver', 'users'))
    expect(await lh.resolveTable('silver', 'not_a_table')).toBeNull()
    expect(await lh.createSchema('Staging')).toBe(true)
    expect(await lh.createSchema('staging')).toBe(false)
    expect(await lh.listSchemas()).toContain('staging')
  })
})
