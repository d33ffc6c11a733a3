// S6, partial landing files: producers that write straight into landing/ (no temp name, no rename) in 64 KB chunks,
// with micro-batches running between the chunks. The file source must never read a file it has seen growing: every
// record reaches the sink exactly once and no half-written line is ever parsed.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { StreamingQuery } from '../streamingQuery'
import { EVENT_SCHEMA, eventsTransform, sinkIds, streamTestLakehouse, useStreamTestSession } from '../testing/streamTestLakehouse'
import { FileStreamSource } from './fileStreamSource'

let port: DuckdbSession
useStreamTestSession((session) => (port = session))

const FILES = 100
const CHUNK_BYTES = 64 * 1024
const RECORDS_PER_FILE = 1500 // ~150 KB of NDJSON: three chunks, the first two ending mid-line
const WRITING_AT_ONCE = 10

/** The NDJSON text of file f: records f*RECORDS_PER_FILE.. with a padded payload so lines are long and uneven. */
function fileText(f: number): string {
  const lines: string[] = []
  for (let r = 0; r < RECORDS_PER_FILE; r++) {
    const id = f * RECORDS_PER_FILE + r
    lines.push(JSON.stringify({ id, payload: `reading-${id}-${'x'.repeat(40 + (id % 50))}` }))
  }
  return lines.join('\n') + '\n'
}

describe('partial landing files (S6)', () => {
  it(`${FILES} files written in 64 KB chunks straight into landing/ with batches in between: 0 partial reads, every record once`, async () => {
    const root = await streamTestLakehouse()
    const landing = path.join(root, 'landing', 'events')
    // Wall-time settling is switched off (an hour): only "unchanged since the previous listing" admits a file here.
    const source = new FileStreamSource({ lakehouseRoot: root, path: 'landing/events', format: 'json', schema: EVENT_SCHEMA, settleMs: 3_600_000 })
    const clock = new ManualClock(1_000_000)
    const runOneBatch = async (): Promise<number> => {
      const query = new StreamingQuery({
        name: 'partial', lakehouseRoot: root, sources: [source], transform: eventsTransform, sink: { table: 'silver.events', mode: 'append' },
        trigger: { kind: 'once' }, clock, session: port, recordProgress: false
      })
      let rows = 0
      query.onProgress((p) => (rows += p.numInputRows))
      await query.start()
      expect(await query.awaitTermination()).toBe('completed')
      clock.advance(1000)
      return rows
    }

    const texts = Array.from({ length: FILES }, (_, f) => fileText(f))
    const written = new Array<number>(FILES).fill(0)
    let next = 0
    const inFlight = new Set<number>()
    let batches = 0
    let sawPartialBatch = false
    while (next < FILES || inFlight.size > 0) {
      while (inFlight.size < WRITING_AT_ONCE && next < FILES) inFlight.add(next++)
      for (const f of [...inFlight]) {
        const text = texts[f]!
        const chunk = text.slice(written[f], written[f]! + CHUNK_BYTES)
        await fs.appendFile(path.join(landing, `reading-${String(f).padStart(3, '0')}.json`), chunk)
        written[f] = written[f]! + chunk.length
        if (written[f] === text.length) inFlight.delete(f)
      }
      // A batch sees files mid-write; whatever it reads must be whole files only.
      const rows = await runOneBatch()
      batches++
      if (rows % RECORDS_PER_FILE !== 0) sawPartialBatch = true
    }
    // Two more batches: the first lists the last files unchanged since the previous listing and admits them.
    await runOneBatch()
    await runOneBatch()

    expect(sawPartialBatch).toBe(false)
    expect(batches).toBeGreaterThan(FILES / WRITING_AT_ONCE)
    const expected = Array.from({ length: FILES * RECORDS_PER_FILE }, (_, i) => i)
    expect(await sinkIds(port, root, 'silver.events')).toEqual(expected)
  }, 300_000)
})
