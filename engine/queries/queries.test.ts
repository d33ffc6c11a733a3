// Tests for saved query files and the query history against a real temp folder.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { queriesArgumentSchemas } from '../api/queriesSchemas'
import { appendQueryHistory, historyFilePath, searchQueryHistory } from './queryHistory'
import { listSavedQueries, readSavedQuery, saveQuery } from './savedQueries'

let root: string
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakebench-queries-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

describe('saved queries', () => {
  it('saves plain files in queries/, lists and reads them back', async () => {
    await saveQuery(root, 'b.sql', 'SELECT 2;\n')
    await saveQuery(root, 'a.sql', 'SELECT 1')
    await writeFile(path.join(root, 'queries', 'notes.txt'), 'not a query')
    expect(await readFile(path.join(root, 'queries', 'b.sql'), 'utf8')).toBe('SELECT 2;\n')
    expect((await listSavedQueries(root)).map((q) => [q.name, q.sizeBytes])).toEqual([['a.sql', 8], ['b.sql', 10]])
    expect(await readSavedQuery(root, 'a.sql')).toEqual({ name: 'a.sql', text: 'SELECT 1' })
    await saveQuery(root, 'a.sql', 'SELECT 11')
    expect((await readSavedQuery(root, 'a.sql')).text).toBe('SELECT 11')
  })

  it('refuses names that leave queries/ and reports a missing file by name', async () => {
    await mkdir(path.join(root, 'queries'))
    for (const name of ['../lakebench.json', '../x.sql', 'sub/x.sql', '/etc/x.sql', '..sql', '.hidden.sql', 'x.txt']) {
      await expect(saveQuery(root, name, 'x'), name).rejects.toMatchObject({ code: 'INVALID_QUERY_NAME' })
      expect(queriesArgumentSchemas.save.safeParse({ name, text: 'x' }).success, name).toBe(false)
    }
    await expect(readSavedQuery(root, 'missing.sql')).rejects.toMatchObject({ code: 'QUERY_NOT_FOUND', message: expect.stringContaining('missing.sql') })
  })
})

describe('query history', () => {
  it('trims the history to its newest entries once it outgrows the size cap', async () => {
    for (let time = 1; time <= 60; time++) await appendQueryHistory(root, { statement: `SELECT ${time}`, time, durationMs: 1, rows: 1, status: 'ok' }, 2000)
    const size = (await readFile(historyFilePath(root))).byteLength
    expect(size).toBeLessThanOrEqual(2000)
    const kept = await searchQueryHistory(root, { limit: 1000 })
    expect(kept[0]!.time).toBe(60)
    expect(kept.map((e) => e.time)).toEqual(Array.from({ length: kept.length }, (_, i) => 60 - i))
    expect(kept.length).toBeGreaterThan(5)
    expect(kept.length).toBeLessThan(60)
  })

  it('appends entries and searches them newest first, skipping a torn line', async () => {
    await appendQueryHistory(root, { statement: 'SELECT * FROM silver.users', time: 1, durationMs: 5, rows: 2, status: 'ok' })
    await appendQueryHistory(root, { statement: 'SELECT nope', time: 2, durationMs: 1, rows: 0, status: 'error', error: 'no column nope' })
    await appendQueryHistory(root, { statement: 'select count(*) from SILVER.workouts', time: 3, durationMs: 7, rows: 1, status: 'ok' })
    await writeFile(historyFilePath(root), (await readFile(historyFilePath(root), 'utf8')) + '{"statement": "SELE')
    expect((await searchQueryHistory(root)).map((e) => e.time)).toEqual([3, 2, 1])
    expect((await searchQueryHistory(root, { search: 'silver.' })).map((e) => e.time)).toEqual([3, 1])
    expect(await searchQueryHistory(root, { limit: 1 })).toMatchObject([{ time: 3, rows: 1 }])
    expect(await searchQueryHistory(path.join(root, 'elsewhere'))).toEqual([])
  })
})
