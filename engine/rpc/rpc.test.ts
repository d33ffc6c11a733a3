// Round trips through serveRpc + connectRpc over in-memory transports (plain and binary-framed) against the fake engine.
import { tableFromIPC } from 'apache-arrow'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineApi } from '../api/engineApi'
import { EngineError } from '../api/errors'
import type { EngineEvent } from '../api/events'
import { createFakeEngine } from '../testing/fakeEngine'
import { createTransportPair } from '../testing/transportPair'
import { connectRpc } from './connectRpc'
import type { RpcResponse, RpcTransport } from './protocol'
import { handleMessage, serveRpc } from './serveRpc'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))

function connect(engine: EngineApi, framed: boolean) {
  const [clientEnd, serverEnd] = createTransportPair({ framed })
  const server = serveRpc(engine, serverEnd)
  const client = connectRpc(clientEnd)
  cleanups.push(() => client.close())
  return { client, server, clientEnd, serverEnd }
}

/** Sends a raw message from the client end and returns the raw response, bypassing connectRpc's own checks. */
function rawCall(clientEnd: RpcTransport, message: unknown): Promise<RpcResponse> {
  return new Promise((resolve) => {
    const off = clientEnd.onMessage((m) => {
      off()
      resolve(m as RpcResponse)
    })
    ;(clientEnd as unknown as { peer: { receive(m: unknown): void } }).peer.receive(message)
  })
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(EngineError)
  return error as EngineError
}

describe.each([false, true])('serveRpc + connectRpc (framed: %s)', (framed) => {
  it('answers every domain and carries Arrow bytes that decode to the same rows', async () => {
    const { client } = connect(createFakeEngine(), framed)
    expect(await client.lakehouse.info()).toEqual({ root: '/fake/lakehouse', name: 'fake', formatVersion: 1 })
    expect(await client.tables.listSchemas()).toEqual(['bronze', 'silver'])
    expect((await client.tables.listTables({ schema: 'silver' })).map((t) => t.name)).toEqual(['workouts', 'users'])
    const history = await client.tables.history({ table: 'silver.workouts', limit: 2 })
    expect(history.map((h) => h.version)).toEqual([2, 1])

    const [count, old] = await client.sql.execute({ sql: 'SELECT count(*) FROM silver.workouts; SELECT * FROM silver.workouts VERSION AS OF 1' })
    expect(count!.arrow).toBeInstanceOf(Uint8Array)
    expect(tableFromIPC(count!.arrow).getChildAt(0)!.get(0)).toBe(4n)
    const oldTable = tableFromIPC(old!.arrow)
    expect(oldTable.numRows).toBe(5)
    expect(oldTable.getChild('sport')!.toArray()).toEqual(['run', 'bike', 'swim', 'run', 'row'])
  })

  it('passes engine errors through with code and location detail', async () => {
    const { client } = connect(createFakeEngine(), framed)
    const error = await rejection(client.sql.execute({ sql: 'SELEC 1' }))
    expect(error.code).toBe('SYNTAX_ERROR')
    expect(error.detail).toMatchObject({ line: 1, column: 1, statementIndex: 0 })
    const missing = await rejection(client.sql.execute({ sql: 'SELECT * FROM silver.nope' }))
    expect(missing).toMatchObject({ code: 'TABLE_NOT_FOUND', detail: { table: 'silver.nope' } })
  })

  it('forwards engine events until the transport closes', async () => {
    const engine = createFakeEngine()
    const { client, clientEnd } = connect(engine, framed)
    const seen: EngineEvent[] = []
    client.onEvent((e) => seen.push(e))
    await client.lakehouse.open({ dir: '/data/other' })
    engine.emit({ type: 'tables.changed', statements: ['CREATE TABLE silver.x AS SELECT 1'] })
    await client.lakehouse.info() // a later round trip: everything sent before it has arrived
    expect(seen).toEqual([
      { type: 'lakehouse.opened', info: { root: '/data/other', name: 'other', formatVersion: 1 } },
      { type: 'tables.changed', statements: ['CREATE TABLE silver.x AS SELECT 1'] }
    ])
    expect(engine.listenerCount()).toBe(1)
    clientEnd.close()
    expect(engine.listenerCount()).toBe(0)
  })

  it('cancels a running statement through the proxy', async () => {
    const { client } = connect(createFakeEngine(), framed)
    const running = client.sql.execute({ sql: 'SELECT wait()' })
    await client.tables.listSchemas() // the request for wait() has reached the engine
    await client.sql.cancel()
    expect((await rejection(running)).code).toBe('CANCELLED')
  })

  it('rejects pending calls with DISCONNECTED when the connection closes', async () => {
    const { client, serverEnd } = connect(createFakeEngine(), framed)
    const running = client.sql.execute({ sql: 'SELECT wait()' })
    serverEnd.close()
    expect((await rejection(running)).code).toBe('DISCONNECTED')
    expect((await rejection(client.tables.listSchemas())).code).toBe('DISCONNECTED')
  })
})

describe('allow-list', () => {
  it.each(['constructor', '__proto__', 'toString', 'onEvent', 'sql', 'sql.execute.call', 'tables.constructor', 'sql.__proto__', 'stream.drop'])(
    'rejects %s without touching the engine',
    async (method) => {
      const engine = createFakeEngine()
      const { clientEnd } = connect(engine, true)
      const response = await rawCall(clientEnd, { kind: 'request', id: 3, method, arg: { sql: 'SELECT 1' } })
      expect(response).toMatchObject({ kind: 'response', id: 3, ok: false, error: { code: 'METHOD_NOT_ALLOWED' } })
      expect(engine.calls).toEqual([])
    }
  )
})

describe('payload validation', () => {
  it('rejects arguments of the wrong type, with unknown keys, or missing, naming the field', async () => {
    const engine = createFakeEngine()
    const { clientEnd } = connect(engine, false)
    const wrongType = await rawCall(clientEnd, { kind: 'request', id: 1, method: 'sql.execute', arg: { sql: 42 } })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', detail: { method: 'sql.execute', path: 'sql' } } })
    const extraKey = await rawCall(clientEnd, { kind: 'request', id: 2, method: 'lakehouse.open', arg: { dir: '/x', evil: true } })
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
    const missing = await rawCall(clientEnd, { kind: 'request', id: 3, method: 'tables.history' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
    const badName = await rawCall(clientEnd, { kind: 'request', id: 4, method: 'tables.history', arg: { table: 'silver.x; DROP TABLE y' } })
    expect(badName).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', detail: { path: 'table' } } })
    const argForNoArgMethod = await rawCall(clientEnd, { kind: 'request', id: 5, method: 'tables.listSchemas', arg: { x: 1 } })
    expect(argForNoArgMethod).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
    expect(engine.calls).toEqual([])
  })

  it('answers malformed envelopes with INVALID_MESSAGE when they carry an id, and ignores them otherwise', async () => {
    const engine = createFakeEngine()
    expect(await handleMessage(engine, { kind: 'request', id: 9, method: 5 })).toMatchObject({ id: 9, ok: false, error: { code: 'INVALID_MESSAGE' } })
    expect(await handleMessage(engine, { kind: 'request', id: 9, method: 'sql.cancel', extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } })
    expect(await handleMessage(engine, 'hello')).toBeUndefined()
    expect(await handleMessage(engine, null)).toBeUndefined()
    expect(engine.calls).toEqual([])
  })

  it('checks arguments on the client before sending anything', async () => {
    const { client, clientEnd } = connect(createFakeEngine(), false)
    const error = await rejection(client.sql.execute({ sql: 1 } as unknown as { sql: string }))
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', detail: { part: 'argument', path: 'sql' } })
    expect((clientEnd as unknown as { sent: unknown[] }).sent).toEqual([])
  })

  it('rejects results that break the contract instead of passing them on', async () => {
    const engine = createFakeEngine()
    engine.tables.listSchemas = async () => [1, 2] as unknown as string[]
    const { client } = connect(engine, false)
    const error = await rejection(client.tables.listSchemas())
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', detail: { part: 'result', method: 'tables.listSchemas' } })
  })
})
