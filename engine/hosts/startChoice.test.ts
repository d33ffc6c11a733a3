// Tests for the start choice (last existing recent lakehouse, else the sbit sample) and for the engine keeping the recents.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../api/events'
import { createEngine } from '../createEngine'
import { Lakehouse } from '../lakehouse/folder'
import { RecentLakehouses } from '../lakehouse/recentLakehouses'
import { buildSampleLakehouse } from './sampleBuilder'
import { chooseStartLakehouse, recentsFileIn, userDataDir } from './startChoice'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-start-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('userDataDir', () => {
  it('uses $XDG_DATA_HOME when it is an absolute path, else ~/.local/share', () => {
    expect(userDataDir({ XDG_DATA_HOME: '/data/home' }, '/home/ann')).toBe('/data/home/lakebench')
    expect(userDataDir({}, '/home/ann')).toBe('/home/ann/.local/share/lakebench')
    expect(userDataDir({ XDG_DATA_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.local/share/lakebench')
    expect(recentsFileIn('/home/ann/.local/share/lakebench')).toBe('/home/ann/.local/share/lakebench/recent.json')
  })
})

describe('chooseStartLakehouse', () => {
  it('chooses the sbit sample, still to be created, when there are no recents', async () => {
    expect(await chooseStartLakehouse(join(dir, 'recent.json'), join(dir, 'sbit'))).toEqual({ kind: 'sample', dir: join(dir, 'sbit'), exists: false })
  })

  it('chooses the existing sample when every recent lakehouse has gone', async () => {
    await Lakehouse.create(join(dir, 'sbit'))
    const recents = new RecentLakehouses(join(dir, 'recent.json'))
    await recents.record(join(dir, 'deleted'), 'deleted', 1000)
    expect(await chooseStartLakehouse(recents.file, join(dir, 'sbit'))).toEqual({ kind: 'sample', dir: join(dir, 'sbit'), exists: true })
  })

  it('chooses the most recently opened lakehouse that still exists', async () => {
    const older = await Lakehouse.create(join(dir, 'older'), { name: 'Older' })
    const recents = new RecentLakehouses(join(dir, 'recent.json'))
    await recents.record(older.root, 'Older', 1000)
    await recents.record(join(dir, 'moved-away'), 'moved', 3000)
    expect(await chooseStartLakehouse(recents.file, join(dir, 'sbit'))).toEqual({ kind: 'recent', dir: older.root, name: 'Older' })
    const newer = await Lakehouse.create(join(dir, 'newer'))
    await recents.record(newer.root, 'newer', 4000)
    expect(await chooseStartLakehouse(recents.file, join(dir, 'sbit'))).toMatchObject({ kind: 'recent', dir: newer.root })
  })
})

describe('the engine and the recents file', () => {
  it('remembers the lakehouse it starts on and every one it opens or creates, newest first', async () => {
    const first = await Lakehouse.create(join(dir, 'first'), { name: 'First' })
    const recentsFile = join(dir, 'data', 'recent.json')
    const engine = await createEngine({ lakehouseDir: first.root, recentsFile })
    try {
      expect((await engine.lakehouse.recent()).map((r) => [r.name, r.available])).toEqual([['First', true]])
      await engine.lakehouse.create({ dir: join(dir, 'second'), name: 'Second' })
      await engine.lakehouse.open({ dir: first.root })
      expect((await engine.lakehouse.recent()).map((r) => r.root)).toEqual([first.root, join(dir, 'second')])
      // The next start opens the last one.
      expect(await chooseStartLakehouse(recentsFile, join(dir, 'sbit'))).toMatchObject({ kind: 'recent', dir: first.root })
      // A failed open changes nothing: the list and the current lakehouse stay.
      await expect(engine.lakehouse.open({ dir: join(dir, 'nothing-here') })).rejects.toMatchObject({ code: 'NOT_A_LAKEHOUSE' })
      expect((await engine.lakehouse.info()).root).toBe(first.root)
      expect(await engine.lakehouse.recent()).toHaveLength(2)
    } finally {
      await engine.close()
    }
  })

  it('builds a sample lakehouse with progress events and opens it', async () => {
    const start = await Lakehouse.create(join(dir, 'start'))
    const engine = await createEngine({ lakehouseDir: start.root, recentsFile: join(dir, 'recent.json'), buildSample: buildSampleLakehouse })
    const events: EngineEvent[] = []
    engine.onEvent((event) => events.push(event))
    try {
      const info = await engine.lakehouse.create({ dir: join(dir, 'sample'), sample: 'sbit' })
      expect(info).toMatchObject({ root: join(dir, 'sample'), name: 'sbit' })
      const steps = events.flatMap((e) => (e.type === 'lakehouse.progress' ? [e.step] : []))
      expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i))
      expect(steps.every((s) => s.count === steps.length)).toBe(true)
      expect(steps.some((s) => /Running the pipeline/.test(s.label))).toBe(true)
      expect(events.at(-1)).toMatchObject({ type: 'lakehouse.opened', info: { root: join(dir, 'sample') } })
      const tables = await engine.tables.listTables({ schema: 'gold' })
      expect(tables.length).toBeGreaterThan(0)
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('refuses a sample when the host supplies no builder', async () => {
    const start = await Lakehouse.create(join(dir, 'start'))
    const engine = await createEngine({ lakehouseDir: start.root })
    try {
      await expect(engine.lakehouse.create({ dir: join(dir, 'sample'), sample: 'retail' })).rejects.toMatchObject({ code: 'SAMPLES_UNAVAILABLE' })
      expect(await engine.lakehouse.recent()).toEqual([])
    } finally {
      await engine.close()
    }
  })
})
