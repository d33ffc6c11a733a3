// Live producer: settings changed mid-stream apply from the next file, survive a restart, and never change files already written.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProducerSettings } from '../../api/streamApi'
import { ManualClock } from '../clock'
import { LiveProducer, type LiveProducerOptions } from './liveProducer'
import { liveSource } from './liveSource'
import { Producer } from './producer'
import { sensorProfile } from './testProfiles'

const roots: string[] = []
afterEach(async () => {
  for (const r of roots.splice(0)) await fs.rm(r, { recursive: true, force: true })
})

const CLEAN: ProducerSettings = { filesPerSecond: 1, recordsPerFile: 10, outOfOrder: 0, late: 0, duplicate: 0, malformed: 0 }
const NOISY: Partial<ProducerSettings> = { recordsPerFile: 7, late: 0.3, duplicate: 0.2, outOfOrder: 0.1 }

async function tempRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-live-producer-'))
  roots.push(root)
  return root
}

function optionsFor(root: string, defaults: ProducerSettings = CLEAN): LiveProducerOptions {
  return {
    lakehouseRoot: root, name: 'live', description: 'sensor readings', profile: sensorProfile, seed: 5,
    bounds: { latenessMs: 30 * 60_000 }, output: { kind: 'files', source: 'sensor', format: 'ndjson' }, defaults, clock: new ManualClock(0)
  }
}

async function files(root: string): Promise<Map<string, string>> {
  const dir = path.join(root, 'landing', 'sensor')
  const out = new Map<string, string>()
  for (const name of (await fs.readdir(dir)).sort()) out.set(name, await fs.readFile(path.join(dir, name), 'utf8'))
  return out
}

const times = (text: string): number[] => text.trim().split('\n').map((l) => Date.parse(`${(JSON.parse(l) as { ts: string }).ts.replace(' ', 'T')}Z`))

describe('LiveProducer', () => {
  it('applies a settings change from the next file on, with event time continuing where it was', async () => {
    const root = await tempRoot()
    const producer = await LiveProducer.open(optionsFor(root))
    for (let i = 0; i < 3; i++) await producer.step()
    const before = await files(root)
    const info = await producer.configure({ recordsPerFile: 4 })
    expect(info.settings).toEqual({ ...CLEAN, recordsPerFile: 4 })
    await producer.step()
    await producer.step()
    await producer.close()

    const after = await files(root)
    for (const [name, text] of before) expect(after.get(name)).toBe(text)
    const texts = [...after.values()]
    expect(texts.map((t) => t.trim().split('\n').length)).toEqual([10, 10, 10, 4, 4])
    // Clean records are one second apart: the fourth file starts right after the third ended, not at the profile start.
    const all = texts.flatMap(times)
    expect(all).toEqual(all.map((_, i) => sensorProfile.startMs + i * 1000))
    expect(info.lastEventTime).toBe(sensorProfile.startMs + 29_000)
  })

  it('resumes after a restart with its settings history, writing what an uninterrupted producer writes', async () => {
    const straight = await tempRoot()
    const p = await LiveProducer.open(optionsFor(straight))
    for (let i = 0; i < 2; i++) await p.step()
    await p.configure(NOISY)
    for (let i = 0; i < 4; i++) await p.step()
    await p.configure({ late: 0, filesPerSecond: 3 })
    for (let i = 0; i < 2; i++) await p.step()
    await p.close()

    const restarted = await tempRoot()
    let q = await LiveProducer.open(optionsFor(restarted))
    for (let i = 0; i < 2; i++) await q.step()
    await q.configure(NOISY)
    await q.step()
    await q.close()
    // Other defaults on reopening do not matter: the saved history wins.
    q = await LiveProducer.open(optionsFor(restarted, { ...CLEAN, recordsPerFile: 99 }))
    expect(q.position).toBe(3)
    expect(q.settings).toEqual({ ...CLEAN, ...NOISY })
    for (let i = 0; i < 3; i++) await q.step()
    await q.close()
    q = await LiveProducer.open(optionsFor(restarted))
    await q.configure({ late: 0, filesPerSecond: 3 })
    for (let i = 0; i < 2; i++) await q.step()
    const info = q.info()
    await q.close()

    expect(await files(restarted)).toEqual(await files(straight))
    expect(info.filesProduced).toBe(8)
    expect(info.settings).toEqual({ ...CLEAN, ...NOISY, late: 0, filesPerSecond: 3 })
    expect(q.segments.map((s) => s.fromPosition)).toEqual([0, 2, 6])
    const records = [...(await files(restarted)).values()].reduce((n, t) => n + t.trim().split('\n').length, 0)
    expect(info.recordsProduced).toBe(records)
    // Noise really changed: the noisy files hold late records, far behind the newest clean time before them.
    const noisy = [...(await files(restarted)).values()].slice(2, 6).flatMap((t) => t.trim().split('\n'))
    const parsed = noisy.flatMap((l) => { try { return [Date.parse(`${(JSON.parse(l) as { ts: string }).ts.replace(' ', 'T')}Z`)] } catch { return [] } })
    let max = -Infinity
    let late = 0
    for (const t of parsed) {
      if (t < max - 30 * 60_000) late++
      max = Math.max(max, t)
    }
    expect(late).toBeGreaterThan(0)
  })

  it('refuses a history that changes files already written, and accepts one that only appends', async () => {
    const root = await tempRoot()
    const options = optionsFor(root)
    const live = await LiveProducer.open(options)
    for (let i = 0; i < 3; i++) await live.step()
    await live.close()
    const base = { profile: sensorProfile, seed: 5, bounds: { latenessMs: 30 * 60_000 }, output: options.output }
    const open = (segments: { fromPosition: number; settings: ProducerSettings }[]) =>
      Producer.open({ lakehouseRoot: root, name: 'live', source: liveSource({ ...base, segments }), rate: { filesPerSecond: 1 } })

    await expect(open([{ fromPosition: 0, settings: CLEAN }, { fromPosition: 2, settings: { ...CLEAN, late: 0.5 } }])).rejects.toMatchObject({ code: 'PRODUCER_CHANGED' })
    await expect(Producer.open({ lakehouseRoot: root, name: 'live', source: liveSource({ ...base, seed: 6, segments: [{ fromPosition: 0, settings: CLEAN }] }), rate: { filesPerSecond: 1 } }))
      .rejects.toMatchObject({ code: 'PRODUCER_CHANGED' })
    const appended = await open([{ fromPosition: 0, settings: CLEAN }, { fromPosition: 3, settings: { ...CLEAN, late: 0.5 } }])
    expect(appended.position).toBe(3)
    await appended.close()
    // A rate-only difference on written files is not an output change.
    const reopened = await open([{ fromPosition: 0, settings: { ...CLEAN, filesPerSecond: 5 } }, { fromPosition: 3, settings: { ...CLEAN, late: 0.5 } }])
    await reopened.close()
  })

  it('names the knob of a bad setting and changes nothing', async () => {
    const root = await tempRoot()
    const live = await LiveProducer.open(optionsFor(root))
    await expect(live.configure({ late: 1.5 })).rejects.toThrow(/late/)
    await expect(live.configure({ recordsPerFile: 0 })).rejects.toThrow(/recordsPerFile/)
    await expect(live.configure({ outOfOrder: 0.6, late: 0.6 })).rejects.toThrow(/sum/)
    await expect(live.configure({ filesPerSecond: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(live.settings).toEqual(CLEAN)
    await live.close()
  })

  it('writes files on the clock at filesPerSecond, pauses and resumes', async () => {
    const root = await tempRoot()
    const clock = new ManualClock(0)
    const live = await LiveProducer.open({ ...optionsFor(root, { ...CLEAN, filesPerSecond: 2 }), clock })
    const changes: string[] = []
    live.onChange((c) => changes.push(c))
    live.start()
    await clock.whenSleeping()
    expect(live.position).toBe(1)
    clock.advance(500)
    await clock.whenSleeping()
    expect(live.position).toBe(2)
    live.pause()
    expect(live.info().status).toBe('paused')
    clock.advance(500)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(live.position).toBe(2)
    live.resume()
    await clock.whenSleeping()
    expect(live.position).toBe(3)
    await live.stop()
    expect(live.info().status).toBe('idle')
    expect(changes.filter((c) => c === 'produced')).toHaveLength(3)
    await live.close()
  })
})
