// Tests for bulk log-file reading: order and content with the helper thread in play, concurrent calls, missing files.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { helperFilesRead, readLogFiles } from './logFileReader'

let dir: string
const names: string[] = []
const contents: string[] = []

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-logread-'))
  // Enough files for the helper thread to take part; sizes vary (one larger than the 64 KiB starting buffer) and
  // the text is not ASCII, so a wrong split or a wrong decode shows.
  for (let i = 0; i < 3000; i++) {
    const name = `${String(i).padStart(20, '0')}.json`
    const body = i === 1234 ? 'x'.repeat(200_000) : `{"add":{"path":"päth-${i}","n":${'9'.repeat(i % 17)}}}\n`
    names.push(name)
    contents.push(body)
  }
  for (let i = 0; i < names.length; i += 200) await Promise.all(names.slice(i, i + 200).map((n, k) => fs.writeFile(path.join(dir, n), contents[i + k]!)))
})
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

describe('readLogFiles', () => {
  it('returns every file in the order asked, also for long lists split with the helper thread', async () => {
    const texts = await readLogFiles(dir, names)
    expect(texts).toHaveLength(names.length)
    const wrong = texts.findIndex((t, i) => t !== contents[i])
    expect(wrong).toBe(-1)
    const reversed = [...names].reverse()
    const back = await readLogFiles(dir, reversed)
    expect(back.findIndex((t, i) => t !== contents[names.length - 1 - i])).toBe(-1)
    // The helper's share depends on scheduling; repeat until it has read some, checking every result.
    const before = helperFilesRead()
    for (let attempt = 0; attempt < 50 && helperFilesRead() === before; attempt++) {
      const again = await readLogFiles(dir, names)
      expect(again.findIndex((t, i) => t !== contents[i])).toBe(-1)
    }
    expect(helperFilesRead()).toBeGreaterThan(before)
  })

  it('serves concurrent calls independently', async () => {
    const [a, b, c] = await Promise.all([readLogFiles(dir, names), readLogFiles(dir, names.slice(100, 900)), readLogFiles(dir, names.slice(0, 3))])
    expect(a.findIndex((t, i) => t !== contents[i])).toBe(-1)
    expect(b.findIndex((t, i) => t !== contents[100 + i])).toBe(-1)
    expect(c).toEqual(contents.slice(0, 3))
  })

  it('reports a missing file as LOG_GAP naming it, wherever it is in the list', async () => {
    for (const at of [0, 1500, names.length]) {
      const list = [...names]
      list.splice(at, 0, '00000000000000099999.json')
      await expect(readLogFiles(dir, list)).rejects.toMatchObject({ code: 'LOG_GAP', message: expect.stringContaining('00000000000000099999.json') })
    }
    await expect(readLogFiles(dir, ['00000000000000099999.json'])).rejects.toMatchObject({ code: 'LOG_GAP' })
  })
})
