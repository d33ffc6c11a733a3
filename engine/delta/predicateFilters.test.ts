// Tests for predicate -> prune filters, and for DELETE / replaceWhere skipping the files stats rule out.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from './deltaTable'
import { pruneFiltersOf } from './predicateFilters'
import { scanSql } from './scan'
import type { StructType } from './schema'
import { field } from './typeMapping'

const schema: StructType = {
  type: 'struct',
  fields: [
    field('id', 'long'), field('Name', 'string'), field('score', 'double'), field('day', 'date'), field('ok', 'boolean'),
    field('ts', 'timestamp'), field('s', { type: 'struct', fields: [field('x', 'integer')] }), field('region', 'string')
  ]
}

let port: DuckdbSession
let dir: string
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-prune-'))
})
afterAll(async () => {
  port?.close()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

describe('pruneFiltersOf', () => {
  it('takes column-vs-constant comparisons, BETWEEN, IN and IS [NOT] NULL joined by AND', async () => {
    const filters = await pruneFiltersOf(port, schema, `id >= 10 AND 20 > id AND name = 'x''y' AND score BETWEEN -1.5 AND 2e3 AND day = DATE '2024-01-02' AND day < '2024-02-01' AND ok = true AND region IS NULL AND id IN (1, 2, 3) AND score IS NOT NULL AND id <> 7`)
    expect(filters).toEqual([
      { column: 'id', op: '>=', value: 10 },
      { column: 'id', op: '<', value: 20 },
      { column: 'Name', op: '=', value: "x'y" },
      { column: 'score', op: '>=', value: -1.5 },
      { column: 'score', op: '<=', value: 2000 },
      { column: 'day', op: '=', value: '2024-01-02' },
      { column: 'day', op: '<', value: '2024-02-01' },
      { column: 'ok', op: '=', value: true },
      { column: 'region', op: 'IS NULL' },
      { column: 'id', op: 'IN', value: [1, 2, 3] },
      { column: 'score', op: 'IS NOT NULL' },
      { column: 'id', op: '!=', value: 7 }
    ])
  })

  it('leaves out everything it cannot model exactly, keeping the usable conjuncts', async () => {
    const unusable = [
      'id = 1 OR id = 2', 'abs(id) = 3', 'id + 1 = 3', "name = 5", "id = '5'", 's.x = 1', "ts > TIMESTAMP '2024-01-01'", "day = '2024-1-2'",
      'id = 9223372036854775807', 'id IN (1, NULL)', 'id = NULL', 'id = score', "name LIKE 'a%'", 'CAST(id AS VARCHAR) = \'1\'', 'nosuch = 1'
    ]
    for (const p of unusable) expect(await pruneFiltersOf(port, schema, p), p).toEqual([])
    expect(await pruneFiltersOf(port, schema, '(id = 1 OR id = 2) AND score < 0')).toEqual([{ column: 'score', op: '<', value: 0 }])
    expect(await pruneFiltersOf(port, schema, 'NOT (id = 1)')).toEqual([{ column: 'id', op: '!=', value: 1 }])
    expect(await pruneFiltersOf(port, schema, 'id = 1; SELECT 2')).toEqual([])
    expect(await pruneFiltersOf(port, schema, 'id = (')).toEqual([])
  })
})

describe('DELETE and replaceWhere with data skipping', () => {
  const eventSchema: StructType = { type: 'struct', fields: [field('id', 'long'), field('label', 'string'), field('region', 'string')] }

  /** Five appends of ten rows each (ids 0-9, 10-19, ...), region a/b alternating per append. */
  async function fiveFiles(name: string): Promise<DeltaTable> {
    const table = await DeltaTable.create(path.join(dir, name), port, { schema: eventSchema, partitionColumns: ['region'] })
    for (let k = 0; k < 5; k++) {
      await table.write({ mode: 'append', sourceSql: `SELECT ${k * 10} + range AS id, 'row ' || (${k * 10} + range) AS label, '${k % 2 ? 'b' : 'a'}' AS region FROM range(10)` })
    }
    return table
  }

  it('rewrites only the file holding matching rows and never reads the files stats rule out', async () => {
    const table = await fiveFiles('selective')
    const before = await table.snapshot()
    const byFirstId = new Map(before.files.map((f) => [JSON.parse(f.stats!).minValues.id as number, f.path]))
    // Files the predicate cannot touch are made unreadable: a scan of any of them would fail the delete.
    for (const [firstId, p] of byFirstId) if (firstId !== 20) await fs.writeFile(path.join(table.root, decodeURIComponent(p)), 'not parquet')
    const result = await table.delete(`id = 23 AND label <> 'zzz'`)
    expect(result.metrics).toMatchObject({ numRemovedFiles: 1, numAddedFiles: 1, numDeletedRows: 1, numCopiedRows: 9 })
    const after = await table.snapshot()
    const kept = after.files.map((f) => f.path)
    for (const [firstId, p] of byFirstId) expect(kept.includes(p), `file starting at id ${firstId}`).toBe(firstId !== 20)
    const rewritten = after.files.find((f) => !before.files.some((b) => b.path === f.path))!
    const rows = await port.query(`SELECT list(id ORDER BY id) AS ids FROM (${await scanSql(after, port, { files: [rewritten] })})`)
    expect(rows[0]!.ids).toEqual([20n, 21n, 22n, 24n, 25n, 26n, 27n, 28n, 29n])
  })

  it('uses partition values in a mixed predicate and deletes exactly what a full scan would', async () => {
    const table = await fiveFiles('mixed')
    const predicates = [`region = 'b' AND id < 15`, `id BETWEEN 18 AND 31`, `id IN (3, 47) OR label = 'row 30'`, `id >= 40 AND region = 'a'`, `label > 'row 4'`]
    let expected = (await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)})`)).map((r) => Number(r.id))
    const ids = Array.from({ length: 50 }, (_, i) => i)
    const region = (id: number) => (Math.floor(id / 10) % 2 ? 'b' : 'a')
    const label = (id: number) => `row ${id}`
    const matches: Record<string, (id: number) => boolean> = {
      [predicates[0]!]: (id) => region(id) === 'b' && id < 15,
      [predicates[1]!]: (id) => id >= 18 && id <= 31,
      [predicates[2]!]: (id) => id === 3 || id === 47 || label(id) === 'row 30',
      [predicates[3]!]: (id) => id >= 40 && region(id) === 'a',
      [predicates[4]!]: (id) => Buffer.compare(Buffer.from(label(id)), Buffer.from('row 4')) > 0
    }
    expect(expected.sort((a, b) => a - b)).toEqual(ids)
    for (const p of predicates) {
      await table.delete(p)
      expected = expected.filter((id) => !matches[p]!(id))
      const now = (await port.query(`SELECT id FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY id`)).map((r) => Number(r.id))
      expect(now, p).toEqual(expected.sort((a, b) => a - b))
    }
  })

  it('replaceWhere on a data column leaves the files stats rule out untouched', async () => {
    const table = await fiveFiles('replace')
    const before = (await table.snapshot()).files.map((f) => f.path)
    await table.write({ mode: 'overwrite', replaceWhere: 'id >= 40', sourceSql: `SELECT 100 AS id, 'new' AS label, 'a' AS region` })
    const after = await table.snapshot()
    const survivors = before.filter((p) => after.files.some((f) => f.path === p))
    expect(survivors).toHaveLength(4)
    const rows = await port.query(`SELECT count(*) AS n, max(id) AS top FROM (${await scanSql(after, port)})`)
    expect(rows[0]).toEqual({ n: 41n, top: 100n })
  })
})
