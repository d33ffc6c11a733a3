// Reproduces the Spark guide's watermarking word count (10 min windows sliding 5 min, 10 min delay) batch by batch.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { loadRows, readSorted, runBatch } from './testBatches'
import { WatermarkTracker } from './watermarkTracker'
import { WindowAggregation, type OutputMode } from './windowAggregation'

const MIN = 60_000
const at = (hhmm: string) => Date.parse(`2024-01-01T${hhmm}:00Z`)
const hhmm = (v: unknown) => (v as Date).toISOString().slice(11, 16)

/** The guide's input, one batch per trigger (12:10, 12:15, 12:20, 12:25), then a batch with no data. */
const batches: [string, string][][] = [
  [['12:07', 'dog'], ['12:08', 'owl']],
  [['12:14', 'dog'], ['12:09', 'cat']],
  [['12:15', 'cat'], ['12:08', 'dog'], ['12:13', 'owl'], ['12:21', 'owl']],
  [['12:17', 'owl'], ['12:04', 'donkey']],
  []
]

/** Per batch: the watermark used, the late rows, and the rows emitted in each mode ('start-end word count'). */
const expected: { watermark: string | null; late: string[]; append: string[]; update: string[] }[] = [
  { watermark: null, late: [], append: [], update: ['12:00-12:10 dog 1', '12:00-12:10 owl 1', '12:05-12:15 dog 1', '12:05-12:15 owl 1'] },
  // (12:09, cat) is out of order but ahead of the watermark: it still counts.
  { watermark: '11:58', late: [], append: [], update: ['12:00-12:10 cat 1', '12:05-12:15 cat 1', '12:05-12:15 dog 2', '12:10-12:20 dog 1'] },
  // (12:14, dog) set the watermark for this trigger to 12:04, so (12:08, dog) is still on time.
  { watermark: '12:04', late: [], append: [], update: ['12:00-12:10 dog 2', '12:05-12:15 dog 3', '12:05-12:15 owl 2', '12:10-12:20 cat 1', '12:10-12:20 owl 1', '12:15-12:25 cat 1', '12:15-12:25 owl 1', '12:20-12:30 owl 1'] },
  // (12:21, owl) moved it to 12:11: window 12:00-12:10 is final (append emits it now) and (12:04, donkey) is too late.
  { watermark: '12:11', late: ['donkey 7'], append: ['12:00-12:10 cat 1', '12:00-12:10 dog 2', '12:00-12:10 owl 1'], update: ['12:10-12:20 owl 2', '12:15-12:25 owl 2'] },
  { watermark: '12:11', late: [], append: [], update: [] }
]

let port: DuckdbSession
let stateRoot: string
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  stateRoot = await mkdtemp(path.join(os.tmpdir(), 'lakebench-window-'))
})
afterAll(async () => {
  port.close()
  await rm(stateRoot, { recursive: true, force: true })
})

async function loadBatch(name: string, rows: [string, string][]): Promise<void> {
  await loadRows(port, name, 'col0::TIMESTAMP AS ts, col1::VARCHAR AS word',
    rows.map(([time, word]) => `TIMESTAMP '2024-01-01 ${time}:00', '${word}'`))
}

function newOperator(id: string, outputMode: OutputMode): WindowAggregation {
  return new WindowAggregation(port, {
    id, eventTime: 'ts', window: { size: '10 minutes', slide: '5 minutes' }, keys: ['word'],
    aggregates: [{ fn: 'count', as: 'count' }], outputMode
  })
}

describe('WindowAggregation on the guide example', () => {
  for (const mode of ['append', 'update'] as const) {
    it(`emits windows per batch as Spark does in ${mode} mode and routes late rows to late`, async () => {
      const op = newOperator(`guide_${mode}`, mode)
      const tracker = new WatermarkTracker({ column: 'ts', delayMs: 10 * MIN })
      for (const [i, rows] of batches.entries()) {
        await loadBatch('words', rows)
        const { watermarkMs, output } = await runBatch(op, tracker, ['words'], i, i * MIN, 'ts')
        const want = expected[i]!
        expect(watermarkMs === null ? null : hhmm(new Date(watermarkMs)), `watermark of batch ${i}`).toBe(want.watermark)
        const emitted = (await readSorted(port, output.emitted)).map((r) => `${hhmm(r.window_start)}-${hhmm(r.window_end)} ${String(r.word)} ${String(r.count)}`)
        expect(emitted.sort(), `${mode} output of batch ${i}`).toEqual([...want[mode]].sort())
        const late = (await readSorted(port, output.late[0]!)).map((r) => `${String(r.word)} ${Number(r._lateness_ms) / MIN}`)
        expect(late, `late rows of batch ${i}`).toEqual(want.late)
        expect(output.numLateRows).toBe(want.late.length)
        expect(output.numEmittedRows).toBe(want[mode].length)
      }
      // After the watermark passed 12:10, the 12:00-12:10 windows are gone from state in both modes.
      const windowsLeft = await port.query(`SELECT DISTINCT _et_ws FROM et_guide_${mode}_state WHERE _et_ws = ${at('12:00')}`)
      expect(windowsLeft).toEqual([])
      await op.close()
    })
  }

  it('annotates late rows with the watermark of their batch', async () => {
    const op = newOperator('late_columns', 'append')
    // A row exactly at the watermark is late, as in Spark (event time <= watermark); one just after it is on time.
    await loadBatch('words', [['12:04', 'donkey'], ['12:30', 'cat'], ['12:11', 'owl'], ['12:12', 'emu']])
    const out = await op.process({ relations: ['words'], watermarkMs: at('12:11'), batchId: 0 })
    expect(out.numLateRows).toBe(2)
    expect(out.stateRows).toBe(4)
    const late = await readSorted(port, out.late[0]!)
    expect(late.map((r) => [r.word, r._lateness_ms])).toEqual([['donkey', BigInt(7 * MIN)], ['owl', 0n]])
    expect(hhmm(late[0]!._watermark)).toBe('12:11')
    await op.close()
  })

  it('restored from its saved state after every batch, produces what an uninterrupted run produces', async () => {
    for (const mode of ['append', 'update'] as const) {
      const straight = newOperator(`straight_${mode}`, mode)
      const straightTracker = new WatermarkTracker({ column: 'ts', delayMs: 10 * MIN })
      let savedTracker = JSON.stringify(new WatermarkTracker({ column: 'ts', delayMs: 10 * MIN }))
      let previousDir: string | null = null
      for (const [i, rows] of batches.entries()) {
        await loadBatch('words', rows)
        const a = await runBatch(straight, straightTracker, ['words'], i, i * MIN, 'ts')
        const expectedRows = await readSorted(port, a.output.emitted)
        const expectedLate = await readSorted(port, a.output.late[0]!)
        // A "restarted" operator: fresh object, state loaded from the previous batch's folder, tracker from its JSON.
        const restarted = newOperator(`restarted_${mode}`, mode)
        if (previousDir) await restarted.load(previousDir)
        const tracker = WatermarkTracker.fromJSON(JSON.parse(savedTracker))
        const b = await runBatch(restarted, tracker, ['words'], i, i * MIN, 'ts')
        expect(await readSorted(port, b.output.emitted), `${mode} batch ${i}`).toEqual(expectedRows)
        expect(await readSorted(port, b.output.late[0]!)).toEqual(expectedLate)
        expect(b.output.stateRows).toBe(a.output.stateRows)
        previousDir = path.join(stateRoot, mode, String(i))
        await restarted.save(previousDir)
        savedTracker = JSON.stringify(tracker)
        await restarted.close()
      }
      await straight.close()
    }
  })

  it('keeps sum/min/max/avg partials across batches and tumbling windows', async () => {
    const op = new WindowAggregation(port, {
      id: 'tumbling', eventTime: 'ts', window: { size: '10 minutes' }, keys: ['k'], outputMode: 'append',
      aggregates: [{ fn: 'sum', column: 'v', as: 's' }, { fn: 'min', column: 'v', as: 'lo' }, { fn: 'max', column: 'v', as: 'hi' }, { fn: 'avg', column: 'v', as: 'mean' }, { fn: 'count', column: 'v', as: 'n' }]
    })
    const cols = 'col0::TIMESTAMP AS ts, col1::VARCHAR AS k, col2::INTEGER AS v'
    await loadRows(port, 'vals', cols, [`TIMESTAMP '2024-01-01 12:01:00', 'a', 4`, `TIMESTAMP '2024-01-01 12:09:59', 'a', NULL`])
    expect((await op.process({ relations: ['vals'], watermarkMs: null, batchId: 0 })).numEmittedRows).toBe(0)
    await loadRows(port, 'vals', cols, [`TIMESTAMP '2024-01-01 12:05:00', 'a', 10`, `TIMESTAMP '2024-01-01 12:10:00', 'a', 1`])
    expect((await op.process({ relations: ['vals'], watermarkMs: at('12:00'), batchId: 1 })).numEmittedRows).toBe(0)
    // A batch without data whose watermark moved past 12:10 finalizes the window (Spark's no-data micro-batch).
    await loadRows(port, 'vals', cols, [])
    const out = await op.process({ relations: ['vals'], watermarkMs: at('12:10'), batchId: 2 })
    const rows = await readSorted(port, out.emitted)
    expect(rows.map((r) => ({ ...r, window_start: hhmm(r.window_start), window_end: hhmm(r.window_end) })))
      .toEqual([{ k: 'a', window_start: '12:00', window_end: '12:10', s: 14n, lo: 4, hi: 10, mean: 7, n: 2n }])
    expect(out.stateRows).toBe(1) // the 12:10-12:20 window stays open
    await op.close()
  })
})
