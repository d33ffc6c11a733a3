// Tests the table-version browser methods on a hand-built lakehouse (exact answers) through tableBrowserApi.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from '../sql/arrow'
import { DuckdbSession } from '../sql/duckdbSession'
import { SqlEngine } from '../sql/queryRunner'
import { schemaChanges } from './schemaChanges'
import { keyCandidateSets, keyCandidates } from './versionDiff'
import { tableBrowserApi, type TableBrowserApi } from './tableBrowser'

describe('table-version browser', () => {
  let dir: string
  let session: DuckdbSession
  let sql: SqlEngine
  let api: TableBrowserApi
  const clock = { t: Date.now(), now() { return (this.t += 1000) } }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-browser-'))
    const lakehouse = await Lakehouse.create(dir)
    session = await DuckdbSession.create()
    sql = await SqlEngine.open(lakehouse, { session, clock })
    // v0 create, v1 three rows, v2 update-by-rewrite: id 2 changes, id 3 removed, id 4 added, new column `note`
    await sql.execute(`
      CREATE TABLE silver.orders (order_id BIGINT NOT NULL, amount INT, status STRING) USING DELTA;
      INSERT INTO silver.orders VALUES (1, 10, 'new'), (2, 20, 'new'), (3, 30, 'new');
      CREATE TABLE silver.nokey (a INT, b STRING) USING DELTA;
      INSERT INTO silver.nokey VALUES (1, 'x'), (1, 'y')`)
    await sql.execute(`INSERT OVERWRITE silver.orders SELECT * FROM (VALUES (1::BIGINT, 10, 'new'), (2::BIGINT, 25, 'paid'), (4::BIGINT, 40, 'new')) AS t(order_id, amount, status)`)
    api = tableBrowserApi(() => ({ lakehouse, session, clock }))
  })
  afterAll(async () => {
    sql.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('lists schema changes: added, type and nullability changes, removed', () => {
    const before = [{ name: 'id', type: 'bigint', nullable: false }, { name: 'v', type: 'int', nullable: true }, { name: 'gone', type: 'string', nullable: true }]
    const after = [{ name: 'ID', type: 'bigint', nullable: true }, { name: 'v', type: 'string', nullable: true }, { name: 'extra', type: 'int', nullable: true }]
    expect(schemaChanges(before, after)).toEqual([
      { column: 'ID', change: 'nullabilityChanged', from: 'not null', to: 'nullable' },
      { column: 'v', change: 'typeChanged', from: 'int', to: 'string' },
      { column: 'extra', change: 'added', to: 'int' },
      { column: 'gone', change: 'removed', from: 'string' }
    ])
  })

  it('infers keys in the documented order', () => {
    expect(keyCandidates('orders', ['x_id', 'orders_id', 'name', 'ID'])).toEqual(['ID', 'orders_id', 'x_id'])
  })

  it('tries two-column keys after single ones, skipping floating point and nested columns', () => {
    const sets = keyCandidateSets('visits', [
      { name: 'user_id', type: 'bigint' }, { name: 'score', type: 'double' }, { name: 'day', type: 'date' }, { name: 'tags', type: 'array<string>' }
    ])
    expect(sets).toEqual([['user_id'], ['user_id', 'day']])
  })

  it('diff infers a two-column key when no single id column is unique', async () => {
    await sql.execute(`CREATE TABLE silver.visits (user_id BIGINT, day DATE, minutes INT) USING DELTA;
      INSERT INTO silver.visits VALUES (1, DATE '2026-01-01', 10), (1, DATE '2026-01-02', 20), (2, DATE '2026-01-01', 30);
      DELETE FROM silver.visits WHERE minutes = 20;
      INSERT INTO silver.visits VALUES (2, DATE '2026-01-02', 40)`)
    const diff = await api.diff({ table: 'silver.visits', from: 1, to: 3 })
    expect(diff).toMatchObject({ key: ['user_id', 'day'], keyInferred: true, added: 1, removed: 1, changed: 0, unchanged: 2 })
  })

  it('versionInfo gives Spark-typed schema, files with stats, raw actions and rows added', async () => {
    const info = await api.versionInfo({ table: 'silver.orders', version: 1 })
    expect(info.schema).toEqual([
      { name: 'order_id', type: 'bigint', nullable: false }, { name: 'amount', type: 'int', nullable: true }, { name: 'status', type: 'string', nullable: true }
    ])
    expect(info.schemaChanges).toEqual([])
    expect(info.operation).toBe('WRITE')
    expect(info.numRecords).toBe(3)
    expect(info.rowsAdded).toBe(3)
    expect(info.files).toHaveLength(1)
    expect(info.files[0]).toMatchObject({ rows: 3, minValues: { order_id: 1, amount: 10 }, maxValues: { order_id: 3, amount: 30 }, nullCount: { status: 0 } })
    expect(info.actions.map((a) => a.kind)).toEqual(['commitInfo', 'add'])
    expect(JSON.parse(info.actions[1]!.json).add.path).toBe(info.files[0]!.path)
    await expect(api.versionInfo({ table: 'silver.orders', version: 9 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' })
    await expect(api.versionInfo({ table: 'silver.nope', version: 0 })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
  })

  it('diff infers order_id and reports added, removed and changed rows with per-column counts', async () => {
    const diff = await api.diff({ table: 'silver.orders', from: 1, to: 2 })
    expect(diff).toMatchObject({ key: ['order_id'], keyInferred: true, added: 1, removed: 1, changed: 1, unchanged: 1, changedColumns: { amount: 1, status: 1 } })
    const rows = arrowRows(diff.rows)
    expect(rows).toEqual([
      { _change: 'added', order_id: 4, amount: 40, amount__from: null, status: 'new', status__from: null },
      { _change: 'removed', order_id: 3, amount: null, amount__from: 30, status: null, status__from: 'new' },
      { _change: 'changed', order_id: 2, amount: 25, amount__from: 20, status: 'paid', status__from: 'new' }
    ])
    const limited = await api.diff({ table: 'silver.orders', from: 1, to: 2, key: ['order_id'], limit: 1 })
    expect(limited.keyInferred).toBe(false)
    expect(arrowRows(limited.rows)).toHaveLength(1)
  })

  it('diff refuses a table without an inferable key, and a non-unique given key', async () => {
    await sql.execute(`CREATE TABLE silver.wide (id BIGINT, v INT) USING DELTA; INSERT INTO silver.wide VALUES (1, 1)`)
    await expect(api.diff({ table: 'silver.nokey', from: 0, to: 1 })).rejects.toMatchObject({ code: 'DIFF_KEY_NOT_FOUND' })
    await expect(api.diff({ table: 'silver.nokey', from: 0, to: 1, key: ['a'] })).rejects.toMatchObject({ code: 'DIFF_KEY_NOT_UNIQUE' })
    const diff = await api.diff({ table: 'silver.wide', from: 0, to: 1 })
    expect(diff).toMatchObject({ key: ['id'], added: 1, schemaChanges: [] })
  })

  it('preview returns the version\'s rows as Arrow; detail returns DESCRIBE DETAIL\'s row', async () => {
    const preview = await api.preview({ table: 'silver.orders', version: 1, limit: 2 })
    expect(preview.rowCount).toBe(2)
    expect(arrowRows(preview.rows)).toHaveLength(2)
    const detail = await api.detail({ table: 'silver.orders' })
    expect(detail).toMatchObject({ format: 'delta', name: 'silver.orders', numFiles: 1, version: 2 })
  })

  it('restorePreview describes the restore, and restore then reads as the old version', async () => {
    const preview = await api.restorePreview({ table: 'silver.orders', version: 1 })
    expect(preview).toEqual({ table: 'silver.orders', toVersion: 1, currentVersion: 2, filesToRemove: 1, filesToAdd: 1, rowsAfter: 3, rowsNow: 3 })
    const { version } = await api.restore({ table: 'silver.orders', version: 1 })
    expect(version).toBe(3)
    const diff = await api.diff({ table: 'silver.orders', from: 1, to: 3 })
    expect([diff.added, diff.removed, diff.changed, diff.unchanged]).toEqual([0, 0, 0, 3])
    expect((await api.versionInfo({ table: 'silver.orders', version: 3 })).operation).toBe('RESTORE')
  })

  it('optimize compacts, and vacuum refuses a short retention and dry-runs', async () => {
    await sql.execute(`INSERT INTO silver.orders VALUES (5, 50, 'new'); INSERT INTO silver.orders VALUES (6, 60, 'new')`)
    const out = await api.optimize({ table: 'silver.orders' })
    expect(out).toMatchObject({ filesRemoved: 3, filesAdded: 1 })
    expect(out.version).not.toBeNull()
    expect((await api.optimize({ table: 'silver.orders' })).version).toBeNull()
    await expect(api.vacuum({ table: 'silver.orders', retentionHours: 1, dryRun: true })).rejects.toMatchObject({ code: 'VACUUM_RETENTION_TOO_SHORT' })
    const dry = await api.vacuum({ table: 'silver.orders', dryRun: true })
    expect(dry).toMatchObject({ dryRun: true, retentionHours: 168, files: [] })
  })
})
