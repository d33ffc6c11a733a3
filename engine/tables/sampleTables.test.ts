// Tests the browser methods through createEngine on the sbit sample lakehouse: real pipeline tables with real histories.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSampleLakehouse } from '../../samples/index'
import type { EngineEvent } from '../api/events'
import type { TableRef } from '../api/tablesApi'
import { type Engine, createEngine } from '../createEngine'
import { arrowRows } from '../sql/arrow'

let dir: string
let engine: Engine
let tables: TableRef[]
const events: EngineEvent[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-browser-sample-'))
  await createSampleLakehouse(join(dir, 'sbit'), 'sbit')
  engine = await createEngine({ lakehouseDir: join(dir, 'sbit') })
  engine.onEvent((e) => events.push(e))
  tables = await engine.tables.listTables()
}, 120_000)
afterAll(async () => {
  await engine?.close()
  await rm(dir, { recursive: true, force: true })
})

const countAt = async (table: string, version: number): Promise<number> => {
  const [result] = await engine.sql.execute({ sql: `SELECT count(*) AS n FROM ${table} VERSION AS OF ${version}` })
  return Number(arrowRows(result!.arrow)[0]!.n)
}

describe('table-version browser over the sbit sample', () => {
  it('versionInfo of every version of every table agrees with a count(*) of that version', async () => {
    for (const t of tables) {
      const name = `${t.schema}.${t.name}`
      const [latest] = await engine.tables.history({ table: name, limit: 1 })
      for (let v = 0; v <= latest!.version; v++) {
        const info = await engine.tables.versionInfo({ table: name, version: v })
        expect(info.schema.length, `${name}@v${v}`).toBeGreaterThan(0)
        expect(info.actions[0]?.kind, `${name}@v${v}`).toBe('commitInfo')
        if (info.numRecords !== null) expect(info.numRecords, `${name}@v${v}`).toBe(await countAt(name, v))
      }
    }
  })

  it('diff with an inferred key partitions both versions\' rows into added/removed/changed/unchanged', async () => {
    let diffed = 0
    for (const t of tables) {
      const name = `${t.schema}.${t.name}`
      const [latest] = await engine.tables.history({ table: name, limit: 1 })
      if (latest!.version < 2) continue
      const diff = await engine.tables.diff({ table: name, from: 1, to: latest!.version }).catch((e: { code?: string }) => {
        if (e.code === 'DIFF_KEY_NOT_FOUND') return null
        throw e
      })
      if (!diff) continue
      diffed++
      expect(diff.keyInferred).toBe(true)
      expect(diff.added + diff.changed + diff.unchanged, name).toBe(await countAt(name, latest!.version))
      expect(diff.removed + diff.changed + diff.unchanged, name).toBe(await countAt(name, 1))
      const rows = arrowRows(diff.rows)
      expect(rows.length).toBe(Math.min(500, diff.added + diff.removed + diff.changed))
      for (const row of rows) expect(['added', 'removed', 'changed']).toContain(row._change)
    }
    expect(diffed).toBeGreaterThan(0)
  })

  it('restorePreview then restore brings a table back to version 1 and emits tables.changed', async () => {
    const t = tables.find((x) => x.schema === 'silver')!
    const name = `${t.schema}.${t.name}`
    const rowsAt1 = await countAt(name, 1)
    const preview = await engine.tables.restorePreview({ table: name, version: 1 })
    expect(preview.toVersion).toBe(1)
    if (preview.rowsAfter !== null) expect(preview.rowsAfter).toBe(rowsAt1)
    events.length = 0
    const { version } = await engine.tables.restore({ table: name, version: 1 })
    expect(version).toBe(preview.currentVersion + 1)
    expect(await countAt(name, version)).toBe(rowsAt1)
    expect(events).toContainEqual({ type: 'tables.changed', statements: [`RESTORE TABLE ${name} TO VERSION AS OF 1`] })
    const dry = await engine.tables.vacuum({ table: name, dryRun: true })
    expect(dry).toMatchObject({ table: name, dryRun: true, retentionHours: 168, files: [] })
    await expect(engine.tables.vacuum({ table: name, retentionHours: 0, dryRun: true })).rejects.toMatchObject({ code: 'VACUUM_RETENTION_TOO_SHORT' })
  })
})
