// Tests of the fake stream domain: producer knobs and their validation, query lifecycle errors, batches, late rows, checkpoints.
import { describe, expect, it } from 'vitest'
import type { EngineError } from '../api/errors'
import type { EngineEvent } from '../api/events'
import { fakeStream } from './fakeStream'

const failure = async (promise: Promise<unknown>) => (await promise.then(() => null, (e: EngineError) => e))!

describe('fakeStream', () => {
  it('changes only the given knobs and refuses bad ones with INVALID_ARGUMENT naming the knob', async () => {
    const events: EngineEvent[] = []
    const stream = fakeStream((e) => events.push(e))
    const producer = await stream.configureProducer({ late: 0.05, filesPerSecond: 10 })
    expect(producer.settings).toEqual({ filesPerSecond: 10, recordsPerFile: 100, outOfOrder: 0.1, late: 0.05, duplicate: 0.01, malformed: 0 })
    expect(events.map((e) => e.type)).toEqual(['stream.status'])
    const stopped = await failure(stream.configureProducer({ filesPerSecond: 0 }))
    expect([stopped.code, stopped.detail.path]).toEqual(['INVALID_ARGUMENT', 'filesPerSecond'])
    const redelivered = await failure(stream.configureProducer({ duplicate: 0.6 }))
    expect([redelivered.message, redelivered.detail.path]).toEqual(['Producer setting duplicate must be a number from 0 to 0.5 (got 0.6)', 'duplicate'])
    const fractional = await failure(stream.configureProducer({ recordsPerFile: 2.5 }))
    expect(fractional.detail.path).toBe('recordsPerFile')
    const sum = await failure(stream.configureProducer({ malformed: 0.9 }))
    expect([sum.code, sum.detail.path]).toEqual(['INVALID_ARGUMENT', 'malformed'])
    expect(sum.message).toContain('add up to 1.06')
    expect((await stream.status()).producer?.settings.duplicate).toBe(0.01)
  })

  it('moves the producer through its states and refuses everything without one', async () => {
    const stream = fakeStream(() => undefined)
    expect((await stream.controlProducer({ action: 'step' })).filesProduced).toBe(1)
    expect((await failure(stream.controlProducer({ action: 'pause' }))).code).toBe('PRODUCER_NOT_RUNNING')
    expect((await stream.controlProducer({ action: 'start' })).status).toBe('running')
    expect((await stream.controlProducer({ action: 'pause' })).status).toBe('paused')
    expect((await stream.controlProducer({ action: 'resume' })).status).toBe('running')
    const none = fakeStream(() => undefined, { producer: null })
    expect((await none.status()).producer).toBeNull()
    expect((await failure(none.controlProducer({ action: 'start' }))).code).toBe('NO_PRODUCER')
    expect((await failure(none.configureProducer({ late: 0.1 }))).code).toBe('NO_PRODUCER')
  })

  it('runs one query at a time and stops it by run id', async () => {
    const stream = fakeStream(() => undefined)
    const started = await stream.start({ pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 500 } })
    expect(started).toMatchObject({ runId: 'stream-1', status: 'running', batches: 0 })
    expect((await failure(stream.start({ pipeline: 'sbit', trigger: { kind: 'once' } }))).code).toBe('STREAM_RUNNING')
    expect((await failure(stream.stop({ runId: 'stream-9' }))).code).toBe('STREAM_NOT_FOUND')
    expect((await stream.stop({ runId: 'stream-1' })).status).toBe('stopped')
    expect((await failure(stream.stop({ runId: 'stream-1' }))).code).toBe('STREAM_NOT_FOUND')
    expect((await failure(stream.start({ pipeline: 'nope', trigger: { kind: 'once' } }))).code).toBe('PIPELINE_NOT_FOUND')
    expect((await failure(stream.start({ pipeline: 'sbit', trigger: { kind: 'processingTime', intervalMs: 0 } }))).detail.path).toBe('trigger.intervalMs')
    expect(() => stream.emitBatch()).toThrow(/No streaming query is running/)
  })

  it('records batches, late rows behind the watermark and checkpoint entries, and reports them as events', async () => {
    const events: EngineEvent[] = []
    const stream = fakeStream((e) => events.push(e))
    await stream.start({ pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 500 } })
    const batches = [stream.emitBatch(), stream.emitBatch(), stream.emitBatch()]
    expect(batches.map((b) => b.batchId)).toEqual([0, 1, 2])
    // Each watermark trails the previous batch's newest event time by ten minutes.
    expect(batches[2]!.eventTime!.watermark).toBe(batches[1]!.eventTime!.max! - 600_000)
    expect(events.filter((e) => e.type === 'stream.progress').map((e) => (e.type === 'stream.progress' ? e.batch.batchId : -1))).toEqual([0, 1, 2])
    expect((await stream.progress({ pipeline: 'sbit_live', limit: 2 })).map((b) => b.batchId)).toEqual([1, 2])
    const late = await stream.lateRows({ pipeline: 'sbit_live' })
    expect(late).toHaveLength(1)
    expect(late[0]!.eventTime).toBeLessThanOrEqual(late[0]!.watermark)
    expect(late[0]!.latenessMs).toBe(late[0]!.watermark - late[0]!.eventTime)
    expect(late[0]!.watermark).toBe(batches[1]!.eventTime!.watermark)
    const flows = await stream.checkpoint({ pipeline: 'sbit_live', limit: 2 })
    expect(flows.map((f) => [f.flow, f.batches.map((b) => b.batchId)])).toEqual([
      ['live_bpm_raw', [2, 1]],
      ['live_bpm_10min', [2, 1]]
    ])
    expect((await stream.status()).query?.batches).toBe(3)
  })
})
