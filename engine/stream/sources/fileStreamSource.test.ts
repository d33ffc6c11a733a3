// FileStreamSource: new files only, in name order, complete files only, maxFilesPerTrigger, csv / json / parquet with _metadata_file_path.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { streamTestLakehouse, useStreamTestSession } from '../testing/streamTestLakehouse'
import { FileStreamSource, type FileOffset } from './fileStreamSource'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const landing = (root: string, name: string): string => path.join(root, 'landing', 'events', name)
const old = new Date(Date.now() - 60_000)

describe('FileStreamSource', () => {
  it('admits each complete file once, by name, at most maxFilesPerTrigger a batch; skips dot, _ and .tmp files', async () => {
    const root = await streamTestLakehouse()
    for (const name of ['b.csv', 'a.csv', 'c.csv', '.hidden.csv', '_SUCCESS', 'd.csv.tmp']) {
      await fs.writeFile(landing(root, name), `id,name\n${name.length},${name}\n`)
    }
    const source = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'csv', maxFilesPerTrigger: 2, settleMs: 0 })
    const first = (await source.nextEnd(null)) as FileOffset
    expect(first.batch.map((f) => f.path)).toEqual(['landing/events/a.csv', 'landing/events/b.csv'])
    const second = (await source.nextEnd(first)) as FileOffset
    expect(second.batch.map((f) => f.path)).toEqual(['landing/events/c.csv'])
    expect(second.processed).toEqual(['landing/events/a.csv', 'landing/events/b.csv', 'landing/events/c.csv'])
    expect(source.sameOffset(second, await source.nextEnd(second))).toBe(true)
    const { rows } = await source.load(first, second, { port, relation: 'batch1' })
    expect(rows).toBe(1)
    expect(await port.query('SELECT name, _metadata_file_path AS f FROM batch1')).toEqual([{ name: 'c.csv', f: 'landing/events/c.csv' }])
    // Loading the same (start, end) again gives the same rows: what a re-run batch relies on.
    await source.load(null, first, { port, relation: 'batch0' })
    expect((await port.query('SELECT name FROM batch0 ORDER BY name')).map((r) => r.name)).toEqual(['a.csv', 'b.csv'])
  })

  it('defers a fresh file until a listing finds it unchanged, and a file that changed since the previous listing', async () => {
    const root = await streamTestLakehouse()
    const file = landing(root, 'slow.json')
    await fs.writeFile(file, '{"id": 1}\n')
    const source = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'json', settleMs: 3_600_000 })
    expect(source.sameOffset(null, await source.nextEnd(null))).toBe(true)
    // The writer appends more between listings: still not complete.
    await fs.appendFile(file, '{"id": 2}\n')
    expect(source.sameOffset(null, await source.nextEnd(null))).toBe(true)
    // Unchanged since the previous listing: admitted, with both records.
    const end = await source.nextEnd(null)
    expect((end as FileOffset).batch.map((f) => f.path)).toEqual(['landing/events/slow.json'])
    expect((await source.load(null, end, { port, relation: 'slow' })).rows).toBe(2)
    // A file older than settleMs is complete at its first listing.
    await fs.writeFile(landing(root, 'aged.json'), '{"id": 3}\n')
    await fs.utimes(landing(root, 'aged.json'), old, old)
    expect((await new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'json', settleMs: 1000 }).nextEnd(end) as FileOffset).batch.map((f) => f.path)).toEqual(['landing/events/aged.json'])
  })

  it('reads parquet and typed json, and fails naming a recorded file that vanished', async () => {
    const root = await streamTestLakehouse()
    await port.exec(`COPY (SELECT range AS id, 'x' || range AS label FROM range(3)) TO '${landing(root, 'p.parquet')}' (FORMAT parquet)`)
    const parquet = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'parquet', settleMs: 0 })
    const end = await parquet.nextEnd(null)
    expect((await parquet.load(null, end, { port, relation: 'pq' })).rows).toBe(3)
    expect((await port.query('SELECT sum(id)::BIGINT AS s, max(_metadata_file_path) AS f FROM pq'))[0]).toEqual({ s: 3n, f: 'landing/events/p.parquet' })
    await fs.rm(landing(root, 'p.parquet'))
    await expect(parquet.load(null, end, { port, relation: 'pq' })).rejects.toMatchObject({ code: 'SOURCE_OFFSET_INVALID', message: expect.stringContaining('landing/events/p.parquet') })
  })
})
