// Stream-stream joins in streaming tables, run incrementally: pairs per batch, late rows, bounded state, left outer emission.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lakehouse } from '../../lakehouse/folder'
import { runPipeline, type FlowResult, type PipelineRunResult } from '../runner'
import { createTestLakehouse, FIXED_NOW, fixedClock, queryRows, removeTestLakehouses, writeFiles } from '../run/testPipelineLakehouse'
import { JOIN_PIPELINE, JOIN_RUNS, ms, workoutFile } from './joinTestPipeline'

afterAll(removeTestLakehouses)

const flowOf = (result: PipelineRunResult, flow: string): FlowResult => result.flows.find((f) => f.flow === flow)!

describe('stream-stream interval join across incremental runs', () => {
  let lakehouse: Lakehouse
  const after: { sessions: string[]; outcomes: string[]; late: string[]; result: PipelineRunResult }[] = []

  beforeAll(async () => {
    lakehouse = await createTestLakehouse(JOIN_PIPELINE)
    for (const [index, run] of JOIN_RUNS.entries()) {
      await writeFiles(lakehouse, workoutFile(index, run.events))
      const result = await runPipeline(lakehouse, 'wk', { clock: fixedClock })
      expect(result.status, result.error).toBe('completed')
      after.push({
        result,
        sessions: (await queryRows(lakehouse, 'SELECT user_id FROM silver.workout_sessions')).map((r) => String(r.user_id)).sort(),
        outcomes: (await queryRows(lakehouse, 'SELECT user_id, end_time FROM silver.workout_outcomes')).map((r) => `${String(r.user_id)}${r.end_time === null ? ':null' : ''}`).sort(),
        late: (await queryRows(lakehouse, 'SELECT _join_side, user_id FROM silver.workout_sessions_late').catch(() => [])).map((r) => `${String(r._join_side)} ${String(r.user_id)}`).sort()
      })
    }
  }, 180_000)

  it.each(JOIN_RUNS.map((run, index) => [index, run] as const))('run %i appends exactly its pairs, late rows and outer rows', (index, run) => {
    const before = index === 0 ? { sessions: [], outcomes: [], late: [] } : after[index - 1]!
    const added = (now: string[], was: string[]) => { const rest = [...now]; for (const x of was) rest.splice(rest.indexOf(x), 1); return rest.sort() }
    expect(added(after[index]!.sessions, before.sessions)).toEqual(run.pairs.map(String).sort())
    expect(added(after[index]!.outcomes, before.outcomes)).toEqual([...run.outcomes].sort())
    expect(added(after[index]!.late, before.late)).toEqual([...run.late].sort())
    const flow = flowOf(after[index]!.result, 'silver.workout_sessions')
    expect(flow.rowsLate ?? 0).toBe(run.late.length)
    expect(flow.rowsWritten).toBe(run.pairs.length)
  })

  it('keeps state bounded: it shrinks as the watermark passes start + 3h and stops', () => {
    const states = after.map((a) => flowOf(a.result, 'silver.workout_sessions').state!)
    expect(states.map((s) => s.rowsTotal)).toEqual(JOIN_RUNS.map((r) => r.state))
    // Every row ever buffered is either still there or was evicted.
    const buffered = JOIN_RUNS.flatMap((r) => r.events).length - JOIN_RUNS.flatMap((r) => r.late).length
    expect(states.reduce((n, s) => n + s.rowsUpdated, 0)).toBe(buffered)
    expect(states.reduce((n, s) => n + s.rowsRemoved, 0)).toBe(buffered - states.at(-1)!.rowsTotal)
  })

  it('reports the watermark (min of both sides) and the event-time range each run read', () => {
    for (const [index, run] of JOIN_RUNS.entries()) {
      const eventTime = flowOf(after[index]!.result, 'silver.workout_sessions').eventTime!
      expect(eventTime.watermark).toBe(ms(run.watermark))
      expect(eventTime.min).toBe(Math.min(...run.events.map((e) => ms(e.at))))
      expect(eventTime.max).toBe(Math.max(...run.events.map((e) => ms(e.at))))
    }
  })

  it('writes late rows with their side, lateness, watermark, batch and processing time', async () => {
    const rows = await queryRows(lakehouse, 'SELECT _join_side, user_id, action, time, _lateness_ms, _watermark, _batch_id, _processed_at, _source_batch_id FROM silver.workout_sessions_late ORDER BY _batch_id')
    expect(rows.map((r) => [r._join_side, r.user_id, r.action])).toEqual([['s', 4, 'start'], ['e', 4, 'stop']])
    for (const r of rows) {
      expect(Number(r._lateness_ms)).toBe(new Date(r._watermark as string).getTime() - new Date(r.time as string).getTime())
      expect(new Date(r._processed_at as string).getTime()).toBe(FIXED_NOW)
    }
    expect(rows.map((r) => new Date(r._watermark as string).getTime())).toEqual([ms('08:50'), ms('10:20')])
    // Each run is a data batch plus the no-data batch the moved watermark makes due: runs 1 and 2 start at batches 2 and 4.
    expect(rows.map((r) => Number(r._batch_id))).toEqual([2, 4])
    expect(rows.map((r) => Number(r._source_batch_id))).toEqual([1, 2])
  })

  it('keeps the join state and both watermarks in the flow checkpoint', async () => {
    const dir = path.join(lakehouse.root, 'checkpoints', 'wk', 'silver.workout_sessions')
    const commits = (await fs.readdir(path.join(dir, 'commits'))).map((f) => Number(f.replace('.json', '')))
    const last = Math.max(...commits)
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'state', String(last), 'watermark.json'), 'utf8')) as { kind: string; stateRows: number; trackers: Record<string, { watermarkMs: number }> }
    expect(saved).toMatchObject({ kind: 'join', stateRows: 2, trackers: { left: { watermarkMs: ms('14:20') }, right: { watermarkMs: ms('14:20') } } })
    await fs.access(path.join(dir, 'state', String(last), 'join', 'operator.json'))
  })

  it('runs nothing when no data arrived and the watermark did not move', async () => {
    const again = await runPipeline(lakehouse, 'wk', { clock: fixedClock })
    expect(flowOf(again, 'silver.workout_sessions').status).toBe('no_new_data')
    expect(flowOf(again, 'silver.workout_outcomes').status).toBe('no_new_data')
  })

  it('recomputes from scratch on a full refresh: all files in one batch, nothing late', async () => {
    const refreshed = await runPipeline(lakehouse, 'wk', { clock: fixedClock, fullRefresh: ['silver.workout_sessions'] })
    expect(refreshed.status, refreshed.error).toBe('completed')
    const sessions = (await queryRows(lakehouse, 'SELECT user_id FROM silver.workout_sessions')).map((r) => Number(r.user_id)).sort()
    // Without a watermark in the single batch, u4's start and stop (50 minutes apart) pair up as well.
    expect(sessions).toEqual([1, 2, 4, 5])
    expect((await queryRows(lakehouse, 'SELECT count(*) AS n FROM silver.workout_sessions_late'))[0]!.n).toBe(0)
  })
})

describe('stream-stream join of two different file sources', () => {
  it('pairs starts and stops landed in separate folders, each side with its own delay', async () => {
    const line = (o: object) => JSON.stringify(o)
    const lakehouse = await createTestLakehouse({
      'pipelines/two/pipeline.json': JSON.stringify({ target: 'silver' }),
      'pipelines/two/01.sql': `
CREATE OR REFRESH STREAMING TABLE silver.paired AS SELECT s.id, s.ts AS started, e.ts AS stopped
FROM STREAM read_files('landing/starts', format => 'json', schema => 'id INT, ts TIMESTAMP') WATERMARK ts DELAY OF INTERVAL 5 MINUTES AS s
INNER JOIN STREAM read_files('landing/stops', format => 'json', schema => 'id INT, ts TIMESTAMP') WATERMARK ts DELAY OF INTERVAL 1 HOUR AS e
  ON s.id = e.id AND s.ts <= e.ts AND s.ts + INTERVAL 1 HOUR >= e.ts;`,
      'landing/starts/a.json': [line({ id: 1, ts: '2026-01-15 08:00:00' }), line({ id: 2, ts: '2026-01-15 08:30:00' })].join('\n') + '\n',
      'landing/stops/a.json': [line({ id: 1, ts: '2026-01-15 08:20:00' }), line({ id: 2, ts: '2026-01-15 10:00:00' })].join('\n') + '\n'
    })
    const first = await runPipeline(lakehouse, 'two', { clock: fixedClock })
    expect(first.status, first.error).toBe('completed')
    // Watermarks after the batch: starts 08:25, stops 09:00; the join uses the smaller.
    expect(first.flows[0]!.eventTime?.watermark).toBe(Date.UTC(2026, 0, 15, 8, 25))
    await writeFiles(lakehouse, { 'landing/starts/b.json': line({ id: 3, ts: '2026-01-15 08:24:00' }) + '\n', 'landing/stops/b.json': line({ id: 3, ts: '2026-01-15 08:40:00' }) + '\n' })
    const second = await runPipeline(lakehouse, 'two', { clock: fixedClock })
    expect(second.status, second.error).toBe('completed')
    expect((await queryRows(lakehouse, 'SELECT id FROM silver.paired ORDER BY id')).map((r) => Number(r.id))).toEqual([1])
    const late = await queryRows(lakehouse, 'SELECT _join_side, id, _source_file FROM silver.paired_late ORDER BY _join_side')
    // The start at 08:24 is behind the join's watermark (08:25); the stop at 08:40 is not, and waits in state for a start.
    expect(late).toEqual([{ _join_side: 's', id: 3, _source_file: 'landing/starts/b.json' }])
    expect(second.flows[0]!.state?.rowsTotal).toBeGreaterThan(0)
  }, 60_000)
})
