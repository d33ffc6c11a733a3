// Tests for the desktop IPC host: only the workbench window's main frame on a trusted URL reaches the engine.
import { tableFromIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../engine/api/events'
import type { RpcResponse } from '../../engine/rpc/protocol'
import { createFakeEngine } from '../../engine/testing/fakeEngine'
import { ipcChannels } from '../ipcChannels'
import { type InvokeEventLike, type IpcMainLike, type WindowLike, hostEngineOverIpc } from './engineHost'

function setup() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>()
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel)
  }
  const sent: { channel: string; args: unknown[] }[] = []
  const mainFrame = { url: 'app://lakebench/index.html' }
  const closedListeners: (() => void)[] = []
  const window: WindowLike = {
    webContents: { mainFrame, isDestroyed: () => false, send: (channel, ...args) => void sent.push({ channel, args }) },
    once: (_event, listener) => closedListeners.push(listener)
  }
  const engine = createFakeEngine()
  const stop = hostEngineOverIpc(engine, window, (url) => url.startsWith('app://lakebench/'), ipc)
  const invoke = async (event: InvokeEventLike, method: unknown, arg?: unknown) => {
    const handler = handlers.get(ipcChannels.call)
    if (!handler) throw new Error('no handler registered')
    return (await handler(event, method, arg)) as RpcResponse
  }
  const trusted: InvokeEventLike = { sender: window.webContents, senderFrame: mainFrame }
  return { engine, invoke, trusted, window, mainFrame, sent, stop, handlers, closeWindow: () => closedListeners.forEach((f) => f()) }
}

describe('hostEngineOverIpc', () => {
  it('answers the main frame with response envelopes carrying Arrow bytes', async () => {
    const { invoke, trusted } = setup()
    const response = await invoke(trusted, 'sql.execute', { sql: 'SELECT count(*) FROM silver.workouts VERSION AS OF 1' })
    expect(response.ok).toBe(true)
    const [result] = (response as { value: { arrow: Uint8Array }[] }).value
    expect(tableFromIPC(result!.arrow).getChildAt(0)!.get(0)).toBe(5n)
  })

  it('refuses other windows, embedded frames and untrusted pages before the engine sees them', async () => {
    const { invoke, window, mainFrame, engine } = setup()
    const otherContents = { mainFrame: {}, isDestroyed: () => false, send() {} }
    await expect(invoke({ sender: otherContents, senderFrame: mainFrame }, 'tables.listSchemas')).rejects.toThrow(/only from the workbench window/)
    await expect(invoke({ sender: window.webContents, senderFrame: { url: 'app://lakebench/index.html' } }, 'tables.listSchemas')).rejects.toThrow(/only from/)
    await expect(invoke({ sender: window.webContents, senderFrame: null }, 'tables.listSchemas')).rejects.toThrow(/only from/)
    mainFrame.url = 'https://evil.example/'
    await expect(invoke({ sender: window.webContents, senderFrame: mainFrame }, 'tables.listSchemas')).rejects.toThrow(/only from/)
    expect(engine.calls).toEqual([])
  })

  it('applies the allow-list and argument schemas', async () => {
    const { invoke, trusted, engine } = setup()
    expect(await invoke(trusted, 'constructor')).toMatchObject({ ok: false, error: { code: 'METHOD_NOT_ALLOWED' } })
    expect(await invoke(trusted, 'lakehouse.open', { dir: 5 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
    expect(engine.calls).toEqual([])
  })

  it('forwards engine events to the window and stops when it closes', async () => {
    const { engine, sent, closeWindow, handlers } = setup()
    const event: EngineEvent = { type: 'tables.changed', statements: ['DELETE FROM silver.users WHERE user_id = 1'] }
    engine.emit(event)
    expect(sent).toEqual([{ channel: ipcChannels.event, args: [event] }])
    closeWindow()
    expect(handlers.has(ipcChannels.call)).toBe(false)
    expect(engine.listenerCount()).toBe(0)
  })
})
