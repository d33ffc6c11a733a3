// Tests of the streaming store against the fake engine: the palette's commands before the panel opened, and events folded in.
import { beforeEach, describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import type { FakeStream } from '../../../engine/testing/fakeStream'
import { streamsCommands, useStreamsStore } from './streamsStore'

const initial = useStreamsStore.getState()
beforeEach(() => useStreamsStore.setState(initial, true))

describe('streamsCommands', () => {
  it('loads the status first, then starts sbit_live with the chosen trigger', async () => {
    const engine = createFakeEngine()
    await streamsCommands.startQuery(engine)
    expect(engine.calls.filter((c) => c.method === 'stream.start').map((c) => c.arg)).toEqual([{ pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 500 } }])
    const status = useStreamsStore.getState().status
    expect(status.status === 'ready' && status.value.query?.status).toBe('running')
    await streamsCommands.stopQuery(engine)
    expect(engine.calls.filter((c) => c.method === 'stream.stop').map((c) => c.arg)).toEqual([{ runId: 'stream-1' }])
  })

  it('toggles the producer between start, pause and resume', async () => {
    const engine = createFakeEngine()
    await streamsCommands.toggleProducer(engine)
    await streamsCommands.toggleProducer(engine)
    await streamsCommands.toggleProducer(engine)
    expect(engine.calls.filter((c) => c.method === 'stream.controlProducer').map((c) => c.arg)).toEqual([{ action: 'start' }, { action: 'pause' }, { action: 'resume' }])
  })
})

describe('handleEvent', () => {
  it('appends batches of the chosen pipeline only and follows status events', async () => {
    const engine = createFakeEngine()
    const store = useStreamsStore.getState()
    await store.init(engine)
    const unsubscribe = engine.onEvent((event) => useStreamsStore.getState().handleEvent(engine, event))
    await engine.stream.start({ pipeline: 'sbit', trigger: { kind: 'once' } })
    ;(engine.stream as FakeStream).emitBatch()
    // The query streams sbit, the store shows sbit_live: the batch is not charted, but the status names the query.
    expect(useStreamsStore.getState().pipeline).toBe('sbit_live')
    expect(useStreamsStore.getState().batches).toEqual([])
    const status = useStreamsStore.getState().status
    expect(status.status === 'ready' && status.value.query?.pipeline).toBe('sbit')
    await useStreamsStore.getState().selectPipeline(engine, 'sbit')
    expect(useStreamsStore.getState().batches.map((b) => b.batchId)).toEqual([0])
    ;(engine.stream as FakeStream).emitBatch()
    expect(useStreamsStore.getState().batches.map((b) => b.batchId)).toEqual([0, 1])
    unsubscribe()
  })
})
