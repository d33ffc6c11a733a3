// Tests folding pipeline events into a live run and rolling flow outcomes up into node states.
import { describe, expect, it } from 'vitest'
import type { PipelineFlowProgress } from '../../../engine/api/pipelineApi'
import { applyRunEvent, flowLogEntry, nodeStates, passRate, startLiveRun } from './runProgress'

const flow = (name: string, over: Partial<PipelineFlowProgress> = {}): PipelineFlowProgress => ({
  flow: name, target: `silver.${name}`, kind: 'streaming_table', status: 'completed', rowsIn: 10, rowsWritten: 9, rowsQuarantined: 1,
  expectations: [{ dataset: name, expectation: 'valid_id', action: 'drop', passed: 9, failed: 1 }], version: 3, durationMs: 12, ...over
})

describe('applyRunEvent', () => {
  it('marks a flow running when it starts, records its outcome when it finishes, and logs both', () => {
    let run = startLiveRun('r1', 'p', 2, 1000, 'Run requested')
    run = applyRunEvent(run, { type: 'pipeline.progress', runId: 'r1', pipeline: 'p', flow: 'a' }, 1100)
    expect(run.running).toEqual(['a'])
    run = applyRunEvent(run, { type: 'pipeline.progress', runId: 'r1', pipeline: 'p', flow: 'a', finished: flow('a') }, 1200)
    expect(run.running).toEqual([])
    expect(run.finished.map((f) => [f.flow, f.rowsWritten])).toEqual([['a', 9]])
    expect(run.log.map((e) => [e.seq, e.level, e.flow ?? null])).toEqual([[1, 'info', null], [2, 'info', 'a'], [3, 'warn', 'a']])
    expect(run.log[2]!.message).toContain('valid_id (drop) failed 1')
    expect(run.status).toBe('running')
  })

  it('ignores events of other runs and closes the run with the engine\'s status and flow list', () => {
    const run = startLiveRun('r1', 'p', 2, 1000, 'Run requested')
    expect(applyRunEvent(run, { type: 'pipeline.progress', runId: 'other', pipeline: 'p', flow: 'a' }, 1100)).toBe(run)
    const done = applyRunEvent(run, { type: 'pipeline.finished', runId: 'r1', pipeline: 'p', status: 'failed', flows: [flow('a'), flow('b', { status: 'failed', error: 'boom', rowsWritten: 0, version: null })], error: "Flow 'b' failed" }, 3500)
    expect(done.status).toBe('failed')
    expect(done.endedAt).toBe(3500)
    expect(done.finished.map((f) => f.flow)).toEqual(['a', 'b'])
    const last = done.log[done.log.length - 1]!
    expect(last.level).toBe('error')
    expect(last.message).toBe("Run failed: 2 flows, 9 rows written in 2.5 s — Flow 'b' failed")
  })
})

describe('flowLogEntry', () => {
  it('is an error for a failed flow, a warning for a skipped one and info for a clean one', () => {
    const clean = { ...flow('a'), expectations: [], rowsQuarantined: 0 }
    expect(flowLogEntry(clean)).toEqual({ level: 'info', message: 'completed: 10 rows in, 9 written, 0 quarantined, v3, 12 ms' })
    expect(flowLogEntry({ ...clean, status: 'skipped', error: 'upstream failed' }).level).toBe('warn')
    expect(flowLogEntry({ ...clean, status: 'failed', error: 'boom' })).toMatchObject({ level: 'error', message: expect.stringContaining('— boom') })
    expect(flowLogEntry({ ...clean, status: 'no_new_data', version: null, rowsIn: 0, rowsWritten: 0 }).message).toBe('no new data: 0 rows in, 0 written, 0 quarantined, no commit, 12 ms')
  })
})

describe('nodeStates', () => {
  it('adds up a dataset\'s flows, keeps the most telling status and the newest version', () => {
    const owners = new Map([['a', 'A'], ['a_backfill', 'A'], ['b', 'B']])
    const states = nodeStates(owners, [
      { ...flow('a'), version: 4 },
      { ...flow('a_backfill'), status: 'no_new_data', rowsIn: 5, rowsWritten: 5, rowsQuarantined: 0, version: 2, expectations: [{ dataset: 'A', expectation: 'valid_id', action: 'drop', passed: 5, failed: 0 }] },
      { ...flow('b'), status: 'failed', error: 'boom' }
    ])
    expect(states.get('A')).toMatchObject({ status: 'completed', rowsIn: 15, rowsWritten: 14, rowsQuarantined: 1, version: 4 })
    expect(states.get('A')!.expectations).toEqual([{ dataset: 'a', expectation: 'valid_id', action: 'drop', passed: 14, failed: 1 }])
    expect(states.get('B')).toMatchObject({ status: 'failed', error: 'boom' })
  })

  it('shows running flows as running even after an earlier outcome', () => {
    const states = nodeStates(new Map([['a', 'A']]), [flow('a')], ['a', 'b'])
    expect(states.get('A')!.status).toBe('running')
    expect(states.get('b')!.status).toBe('running')
  })
})

describe('passRate', () => {
  it('is the passed share, or null when nothing was checked', () => {
    expect(passRate({ passed: 3, failed: 1 })).toBe(0.75)
    expect(passRate({ passed: 0, failed: 0 })).toBeNull()
  })
})
