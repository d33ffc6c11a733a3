// Tests the stream domain's schemas (what the RPC boundary accepts and returns) and a round trip through serveRpc + connectRpc.
import { afterEach, describe, expect, it } from 'vitest'
import { connectRpc } from '../rpc/connectRpc'
import { serveRpc } from '../rpc/serveRpc'
import { createFakeEngine } from '../testing/fakeEngine'
import { createTransportPair } from '../testing/transportPair'
import type { EngineEvent } from './events'
import { methodSpec } from './methods'
import { engineEventSchema } from './schemas'

const accepts = (path: string, arg: unknown) => methodSpec(path)!.arg.safeParse(arg).success
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))

describe('stream method schemas', () => {
  it('checks knobs, actions, triggers and limits', () => {
    expect(accepts('stream.status', undefined)).toBe(true)
    expect(accepts('stream.configureProducer', { late: 0.1, recordsPerFile: 20 })).toBe(true)
    expect(accepts('stream.configureProducer', {})).toBe(true)
    expect(accepts('stream.configureProducer', { late: 1.5 })).toBe(false)
    expect(accepts('stream.configureProducer', { recordsPerFile: 2.5 })).toBe(false)
    expect(accepts('stream.configureProducer', { speed: 2 })).toBe(false)
    expect(accepts('stream.controlProducer', { action: 'step' })).toBe(true)
    expect(accepts('stream.controlProducer', { action: 'stop' })).toBe(false)
    expect(accepts('stream.start', { pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 1000 } })).toBe(true)
    expect(accepts('stream.start', { pipeline: 'sbit_live', trigger: { kind: 'availableNow' } })).toBe(true)
    expect(accepts('stream.start', { pipeline: 'sbit_live', trigger: { kind: 'processingTime' } })).toBe(false)
    expect(accepts('stream.start', { pipeline: '../x', trigger: { kind: 'once' } })).toBe(false)
    expect(accepts('stream.stop', { runId: 'r1' })).toBe(true)
    for (const path of ['stream.progress', 'stream.lateRows', 'stream.checkpoint']) {
      expect(accepts(path, { pipeline: 'sbit_live' })).toBe(true)
      expect(accepts(path, { pipeline: 'sbit_live', limit: 50 })).toBe(true)
      expect(accepts(path, { pipeline: 'sbit_live', limit: 0 })).toBe(false)
      expect(accepts(path, { pipeline: 'sbit_live', since: 1 })).toBe(false)
    }
  })

  it('round-trips the stream methods and events through the RPC transport against the fake engine', async () => {
    const engine = createFakeEngine()
    const [clientEnd, serverEnd] = createTransportPair({ framed: true })
    serveRpc(engine, serverEnd)
    const client = connectRpc(clientEnd)
    cleanups.push(() => client.close())
    const events: EngineEvent[] = []
    client.onEvent((e) => events.push(e))

    const status = await client.stream.status()
    expect(methodSpec('stream.status')!.result.safeParse(status).success).toBe(true)
    expect((await client.stream.configureProducer({ late: 0.2 })).settings.late).toBe(0.2)
    await expect(client.stream.configureProducer({ late: 3 })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' })
    const query = await client.stream.start({ pipeline: 'sbit_live', trigger: { kind: 'processingTime', intervalMs: 1000 } })
    await expect(client.stream.start({ pipeline: 'sbit', trigger: { kind: 'once' } })).rejects.toMatchObject({ code: 'STREAM_RUNNING' })
    engine.stream.emitBatch()
    engine.stream.emitBatch()
    const results: [string, unknown][] = [
      ['stream.progress', await client.stream.progress({ pipeline: 'sbit_live' })],
      ['stream.lateRows', await client.stream.lateRows({ pipeline: 'sbit_live' })],
      ['stream.checkpoint', await client.stream.checkpoint({ pipeline: 'sbit_live' })],
      ['stream.stop', await client.stream.stop({ runId: query.runId })]
    ]
    for (const [path, value] of results) expect(methodSpec(path)!.result.safeParse(value).success, path).toBe(true)
    expect((results[0]![1] as unknown[]).length).toBe(2)
    const progress = events.filter((e) => e.type === 'stream.progress')
    expect(progress).toHaveLength(2)
    for (const e of events) expect(engineEventSchema.safeParse(e).success, e.type).toBe(true)
  })
})
