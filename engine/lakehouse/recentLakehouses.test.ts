// Tests for the per-user recents file: order, de-duplication, the cap, damaged files, and availability of folders.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Lakehouse } from './folder'
import { RecentLakehouses } from './recentLakehouses'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-recents-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('RecentLakehouses', () => {
  it('is empty when the file does not exist, and creates its folder on the first write', async () => {
    const recents = new RecentLakehouses(join(dir, 'nested', 'lakebench', 'recent.json'))
    expect(await recents.entries()).toEqual([])
    await recents.record(join(dir, 'a'), 'a', 1000)
    const onDisk = JSON.parse(await readFile(recents.file, 'utf8'))
    expect(onDisk).toEqual({ version: 1, lakehouses: [{ root: join(dir, 'a'), name: 'a', lastOpened: 1000 }] })
  })

  it('lists the most recently opened first and moves a reopened lakehouse to the top without duplicating it', async () => {
    const recents = new RecentLakehouses(join(dir, 'recent.json'))
    await recents.record(join(dir, 'a'), 'a', 1000)
    await recents.record(join(dir, 'b'), 'b', 2000)
    await recents.record(join(dir, 'a') + '/', 'renamed', 3000)
    expect((await recents.entries()).map((e) => [e.name, e.lastOpened])).toEqual([
      ['renamed', 3000],
      ['b', 2000]
    ])
  })

  it('keeps only the newest entries up to its cap', async () => {
    const recents = new RecentLakehouses(join(dir, 'recent.json'), 3)
    for (let i = 0; i < 5; i++) await recents.record(join(dir, `lake${i}`), `lake${i}`, 1000 + i)
    expect((await recents.entries()).map((e) => e.name)).toEqual(['lake4', 'lake3', 'lake2'])
  })

  it('forgets a lakehouse', async () => {
    const recents = new RecentLakehouses(join(dir, 'recent.json'))
    await recents.record(join(dir, 'a'), 'a', 1000)
    await recents.record(join(dir, 'b'), 'b', 2000)
    await recents.forget(join(dir, 'b'))
    expect((await recents.entries()).map((e) => e.name)).toEqual(['a'])
  })

  it('reads a damaged file as empty and skips malformed entries', async () => {
    const file = join(dir, 'recent.json')
    await writeFile(file, '{not json')
    expect(await new RecentLakehouses(file).entries()).toEqual([])
    await writeFile(file, JSON.stringify({ version: 1, lakehouses: [{ root: 'relative/path', name: 'x', lastOpened: 1 }, { root: join(dir, 'ok'), name: 'ok', lastOpened: 2 }, { name: 'no root' }] }))
    expect((await new RecentLakehouses(file).entries()).map((e) => e.name)).toEqual(['ok'])
  })

  it('says which listed folders are still lakehouses', async () => {
    const live = await Lakehouse.create(join(dir, 'live'))
    const recents = new RecentLakehouses(join(dir, 'recent.json'))
    await recents.record(live.root, 'live', 1000)
    await recents.record(join(dir, 'gone'), 'gone', 2000)
    expect((await recents.list()).map((e) => [e.name, e.available])).toEqual([
      ['gone', false],
      ['live', true]
    ])
  })
})
