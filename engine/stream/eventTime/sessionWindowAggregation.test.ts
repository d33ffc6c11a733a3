// Session windows: merging and extending across batches, emission at watermark >= session end, late rows, restore.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import { EventTimeError } from './eventTimeError'
import { SessionWindowAggregation } from './sessionWindowAggregation'
import { loadRows, readSorted } from './testBatches'

const at = (hhmm: string) => Date.parse(`2024-01-01T${hhmm}:00Z`)
const hhmm = (v: unknown) => (v as Date).toISOString().slice(11, 16)

let port: DuckdbSession
let stateRoot: string
beforeAll(async () => {
  port = await DuckdbSession.create({ threads: 1 })
  stateRoot = await mkdtemp(path.join(os.tmpdir(), 'lakebench-session-'))
})
afterAll(async () => {
  port.close()
  await rm(stateRoot, { recursive: true, force: true })
})

const newOperator = (id: string) => new SessionWindowAggregation(port, {
  id, eventTime: 'ts', gap: '5 minutes', keys: ['u'], aggregates: [{ fn: 'count', as: 'n' }, { fn: 'max', column: 'v', as: 'top' }]
})

/** Batches of [user, time, value] and the watermark each runs with; then the sessions emitted and late rows expected. */
const script: { rows: [string, string, number][]; watermark: string | null; emitted: string[]; late: string[]; stateRows: number }[] = [
  { rows: [['u1', '12:00', 1], ['u1', '12:03', 2]], watermark: null, emitted: [], late: [], stateRows: 1 },
  // 12:10 opens a second session; 12:07 extends the first to 12:12, which now overlaps the second: they merge.
  { rows: [['u1', '12:10', 3], ['u1', '12:07', 4], ['u3', '12:30', 1], ['u3', '12:35', 1]], watermark: '11:55', emitted: [], late: [], stateRows: 3 },
  { rows: [['u2', '12:20', 5]], watermark: '12:14', emitted: [], late: [], stateRows: 4 },
  // No data; the watermark passed 12:15, the end of u1's merged session: emitted once, with everything merged into it.
  { rows: [], watermark: '12:15', emitted: ['u1 12:00-12:15 4 4'], late: [], stateRows: 3 },
  { rows: [['u1', '12:14', 9], ['u2', '12:22', 6]], watermark: '12:16', emitted: [], late: ['u1 2'], stateRows: 3 },
  // u3's events are exactly the gap apart: two sessions.
  { rows: [], watermark: '13:00', emitted: ['u2 12:20-12:27 2 6', 'u3 12:30-12:35 1 1', 'u3 12:35-12:40 1 1'], late: [], stateRows: 0 }
]

async function runScript(restartEveryBatch: boolean): Promise<void> {
  let op = newOperator(restartEveryBatch ? 'restarting' : 'sessions')
  for (const [i, step] of script.entries()) {
    await loadRows(port, 'events', 'col0::VARCHAR AS u, col1::TIMESTAMP AS ts, col2::INTEGER AS v',
      step.rows.map(([u, time, v]) => `'${u}', TIMESTAMP '2024-01-01 ${time}:00', ${v}`))
    const out = await op.process({ relations: ['events'], watermarkMs: step.watermark === null ? null : at(step.watermark), batchId: i })
    const emitted = (await readSorted(port, out.emitted)).map((r) => `${String(r.u)} ${hhmm(r.window_start)}-${hhmm(r.window_end)} ${String(r.n)} ${String(r.top)}`)
    expect(emitted, `batch ${i}`).toEqual(step.emitted)
    expect((await readSorted(port, out.late[0]!)).map((r) => `${String(r.u)} ${Number(r._lateness_ms) / 60_000}`)).toEqual(step.late)
    expect(out.stateRows, `state rows after batch ${i}`).toBe(step.stateRows)
    if (restartEveryBatch) {
      const dir = path.join(stateRoot, String(i))
      await op.save(dir)
      await op.close()
      op = newOperator('restarting')
      await op.load(dir)
    }
  }
  await op.close()
}

describe('SessionWindowAggregation', () => {
  it('merges and extends sessions across batches and emits each once the watermark passes its end', async () => {
    await runScript(false)
  })

  it('gives the same results when restored from saved state after every batch', async () => {
    await runScript(true)
  })

  it('refuses update mode and a config change on restore, as named errors', async () => {
    expect(() => new SessionWindowAggregation(port, { id: 'x', eventTime: 'ts', gap: '5 minutes', keys: ['u'], aggregates: [{ fn: 'count', as: 'n' }], outputMode: 'update' as 'append' }))
      .toThrow(/UNSUPPORTED_OPERATION/)
    const op = newOperator('changed')
    const dir = path.join(stateRoot, 'changed')
    await op.save(dir)
    const other = new SessionWindowAggregation(port, { id: 'changed', eventTime: 'ts', gap: '6 minutes', keys: ['u'], aggregates: [{ fn: 'count', as: 'n' }, { fn: 'max', column: 'v', as: 'top' }] })
    await expect(other.load(dir)).rejects.toThrow(EventTimeError)
    await expect(other.load(dir)).rejects.toThrow(/STATE_INCOMPATIBLE: .*operator.json/)
    await expect(op.load(path.join(stateRoot, 'missing'))).rejects.toThrow(/STATE_CORRUPT: .*missing.*operator.json/)
  })
})
