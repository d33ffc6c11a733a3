// Tests the pipeline panel's store against the in-memory engine: pick, validate, run with live events, history, stop, refusals.
import { beforeEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../../engine/api/events'
import { methodSpec } from '../../../engine/api/methods'
import { type FakeEngine, createFakeEngine } from '../../../engine/testing/fakeEngine'
import { refreshTables, shownNodeStates, usePipelinesStore } from './pipelinesStore'

const store = () => usePipelinesStore.getState()

/** Connects the store to the engine's events, as the page does, and resolves when `runId` finishes. */
function follow(engine: FakeEngine): { finished(runId: string): Promise<EngineEvent> } {
  const seen: EngineEvent[] = []
  const waiting = new Map<string, (e: EngineEvent) => void>()
  engine.onEvent((event) => {
    store().handleEvent(engine, event)
    seen.push(event)
    if (event.type === 'pipeline.finished') waiting.get(event.runId)?.(event)
  })
  return {
    finished: (runId) => {
      const done = seen.find((e) => e.type === 'pipeline.finished' && e.runId === runId)
      return done ? Promise.resolve(done) : new Promise((resolve) => waiting.set(runId, resolve))
    }
  }
}

function ready<T>(load: { status: string; value?: T }): T {
  expect(load.status).toBe('ready')
  return load.value as T
}

describe('pipelinesStore', () => {
  beforeEach(() => {
    usePipelinesStore.setState({ selected: null, live: null, history: { status: 'idle' }, description: { status: 'idle' }, validation: { status: 'idle' }, refreshSelection: [], activeNode: null, actionError: null })
  })

  it('picks the first pipeline and loads its description and (empty) history', async () => {
    const engine = createFakeEngine()
    await store().init(engine)
    expect(store().selected).toBe('demo')
    expect(ready(store().description).datasets.map((d) => d.name)).toEqual(['bronze.events', 'events', 'gold.daily_counts'])
    expect(ready(store().history)).toEqual([])
    expect(shownNodeStates(store()).size).toBe(0)
  })

  it('runs a full refresh, follows its events to completion, then shows the recorded run', async () => {
    const engine = createFakeEngine()
    const events = follow(engine)
    await store().init(engine)
    await store().run(engine, true)
    const live = store().live!
    expect(live.status).toBe('running')
    expect(live.expectedFlows).toBe(3)
    expect(engine.calls.find((c) => c.method === 'pipeline.run')?.arg).toEqual({ name: 'demo', fullRefresh: true })
    await events.finished(live.runId)
    const done = store().live!
    expect(done.status).toBe('completed')
    expect(done.finished.map((f) => [f.flow, f.status, f.rowsWritten, f.rowsQuarantined])).toEqual([
      ['bronze.events', 'completed', 120, 0], ['events', 'completed', 117, 3], ['gold.daily_counts', 'completed', 7, 0]
    ])
    // Every flow logged a start and an outcome; the run logged its request and its end.
    expect(done.log.filter((e) => e.flow === 'events').map((e) => e.level)).toEqual(['info', 'warn'])
    expect(done.log[done.log.length - 1]!.message).toMatch(/^Run completed: 3 flows, 244 rows written/)
    const states = shownNodeStates(store())
    expect(states.get('events')).toMatchObject({ status: 'completed', rowsWritten: 117, rowsQuarantined: 3 })
    // The history reloads after the run finishes.
    await store().loadHistory(engine)
    const history = ready(store().history)
    expect(history.map((r) => r.runId)).toEqual([live.runId])
    expect(methodSpec('pipeline.runs')!.result.safeParse(history).success).toBe(true)
  })

  it('a second run without full refresh finds no new data for streaming tables', async () => {
    const engine = createFakeEngine()
    const events = follow(engine)
    await store().init(engine)
    await store().run(engine, true)
    await events.finished(store().live!.runId)
    await store().run(engine)
    await events.finished(store().live!.runId)
    expect(store().live!.finished.map((f) => f.status)).toEqual(['no_new_data', 'no_new_data', 'unchanged'])
    expect(shownNodeStates(store()).get('events')!.status).toBe('no_new_data')
  })

  it('stops a run: the engine is asked to cancel and the run ends cancelled', async () => {
    const engine = createFakeEngine()
    const events = follow(engine)
    await store().init(engine)
    await store().run(engine, true)
    const runId = store().live!.runId
    await store().stop(engine)
    expect(engine.calls.find((c) => c.method === 'pipeline.cancel')?.arg).toEqual({ runId })
    await events.finished(runId)
    expect(store().live!.status).toBe('cancelled')
    expect(store().live!.finished.length).toBeLessThan(3)
    expect(store().live!.log.some((e) => e.level === 'warn' && e.message.startsWith('Stop requested'))).toBe(true)
  })

  it('reports a refused run as a readable error and leaves no live run', async () => {
    const engine = createFakeEngine()
    await store().init(engine)
    usePipelinesStore.setState({ selected: 'missing' })
    await store().run(engine)
    expect(store().actionError).toMatchObject({ code: 'PIPELINE_NOT_FOUND', sentence: "The fake engine has no pipeline 'missing'." })
    expect(store().live).toBeNull()
  })

  it('follows a run of the picked pipeline that another window started', async () => {
    const engine = createFakeEngine()
    const events = follow(engine)
    await store().init(engine)
    const { runId } = await engine.pipeline.run({ name: 'demo' })
    await events.finished(runId)
    expect(store().live).toMatchObject({ runId, status: 'completed' })
    expect(store().live!.log[0]!.message).toBe('Run started outside this panel')
  })

  it('validates, and passes the chosen tables as a full refresh list', async () => {
    const engine = createFakeEngine()
    const events = follow(engine)
    await store().init(engine)
    await store().validate(engine)
    expect(ready(store().validation)).toEqual({ valid: true, diagnostics: [], order: ['bronze.events', 'events', 'gold.daily_counts'] })
    store().toggleRefresh('events')
    store().toggleRefresh('gold.daily_counts')
    store().toggleRefresh('gold.daily_counts')
    const tables = refreshTables(ready(store().description), store().refreshSelection)
    expect(tables).toEqual(['silver.events'])
    await store().run(engine, tables)
    expect(engine.calls.find((c) => c.method === 'pipeline.run')?.arg).toEqual({ name: 'demo', fullRefresh: ['silver.events'] })
    await events.finished(store().live!.runId)
    expect(methodSpec('pipeline.describe')!.result.safeParse(ready(store().description)).success).toBe(true)
  })
})
