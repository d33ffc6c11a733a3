// bridgeTransport: an RpcTransport over the Electron preload bridge (window.lakebench.call / onEvent).
import { type RpcMessage, type RpcTransport, createTransportHandlers } from '../../engine/rpc/protocol'

/** What the preload exposes (electron/preload/index.ts). */
export interface PreloadBridge {
  call(path: string, arg?: unknown): Promise<unknown>
  onEvent(listener: (event: unknown) => void): () => void
  /** A native folder dialog (desktop only): the folder picked, or null when cancelled. */
  pickFolder?(purpose: 'open' | 'create'): Promise<string | null>
}

/**
 * Adapts the bridge's request/response calls to the message transport connectRpc expects. Main answers each call
 * with a response envelope numbered by main; it is renumbered here with the id connectRpc is waiting for.
 */
export function bridgeTransport(bridge: PreloadBridge): RpcTransport {
  const handlers = createTransportHandlers()
  const deliver = handlers.emitMessage
  const stopEvents = bridge.onEvent((event) => deliver({ kind: 'event', event }))
  return {
    send(message: RpcMessage) {
      if (message.kind !== 'request') return
      bridge.call(message.method, message.arg).then(
        (response) => deliver(typeof response === 'object' && response !== null ? { ...response, id: message.id } : response),
        (error: unknown) =>
          deliver({ kind: 'response', id: message.id, ok: false, error: { code: 'INTERNAL', message: String((error as Error)?.message ?? error), detail: {} } })
      )
    },
    onMessage: handlers.onMessage,
    onClose: handlers.onClose,
    close() {
      stopEvents()
      handlers.emitClose()
    }
  }
}
