// engineHost: serves the EngineApi to the workbench window over IPC, answering only the window's own main frame.
import type { EngineApi } from '../../engine/api/engineApi'
import { type RpcMessage, type RpcResponse, type RpcTransport, createTransportHandlers } from '../../engine/rpc/protocol'
import { serveRpc } from '../../engine/rpc/serveRpc'
import { ipcChannels } from '../ipcChannels'

/*
 * Only the shapes used here, not Electron's classes, so this module imports nothing from 'electron' at run time and
 * can be tested under plain Node. Electron's ipcMain, IpcMainInvokeEvent and BrowserWindow satisfy them.
 */
export interface InvokeEventLike {
  sender: unknown
  senderFrame: { url: string } | null
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}
export interface WindowLike {
  webContents: { mainFrame: unknown; isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void }
  once(event: 'closed', listener: () => void): unknown
}

/**
 * Serves `engine` to `window` until the window closes; returns a function that stops earlier.
 * Every invoke is checked: it must come from this window's web contents, from its main frame (not an embedded frame),
 * showing a URL `isTrustedUrl` accepts; anything else is refused before the engine sees it. serveRpc then applies the
 * method allow-list and argument schemas. Engine errors travel inside the response envelope, because Electron
 * reduces a thrown error to its message.
 */
export function hostEngineOverIpc(engine: EngineApi, window: WindowLike, isTrustedUrl: (url: string) => boolean, ipc: IpcMainLike): () => void {
  const contents = window.webContents
  const handlers = createTransportHandlers()
  const waiting = new Map<number, (response: RpcResponse) => void>()
  let nextId = 1
  let closed = false

  const isTrustedSender = (event: InvokeEventLike): boolean =>
    event.sender === contents && event.senderFrame !== null && event.senderFrame === contents.mainFrame && isTrustedUrl(event.senderFrame.url)

  ipc.handle(ipcChannels.call, (event, method, arg) => {
    if (!isTrustedSender(event)) throw new Error('Engine calls are accepted only from the workbench window')
    // Main numbers requests itself: ids from the page are never trusted to correlate answers.
    const id = nextId++
    return new Promise<RpcResponse>((resolve) => {
      waiting.set(id, resolve)
      handlers.emitMessage({ kind: 'request', id, method, arg })
    })
  })

  const transport: RpcTransport = {
    send(message: RpcMessage) {
      if (message.kind === 'response') {
        waiting.get(message.id)?.(message)
        waiting.delete(message.id)
      } else if (message.kind === 'event' && !contents.isDestroyed()) {
        contents.send(ipcChannels.event, message.event)
      }
    },
    onMessage: handlers.onMessage,
    onClose: handlers.onClose,
    close() {
      if (closed) return
      closed = true
      ipc.removeHandler(ipcChannels.call)
      handlers.emitClose()
    }
  }

  serveRpc(engine, transport)
  window.once('closed', () => transport.close())
  return () => transport.close()
}
