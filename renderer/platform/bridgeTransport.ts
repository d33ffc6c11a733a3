// bridgeTransport: an RpcTransport over the Electron preload bridge (window.lakebench.call / onEvent).
import type { RpcMessage, RpcTransport } from '../../engine/rpc/protocol'

/** What the preload exposes (electron/preload/index.ts). */
export interface PreloadBridge {
  call(path: string, arg?: unknown): Promise<unknown>
  onEvent(listener: (event: unknown) => void): () => void
}

/**
 * Adapts the bridge's request/response calls to the message transport connectRpc expects. Main answers each call
 * with a response envelope numbered by main; it is renumbered here with the id connectRpc is waiting for.
 */
export function bridgeTransport(bridge: PreloadBridge): RpcTransport {
  const messageHandlers = new Set<(message: unknown) => void>()
  const closeHandlers = new Set<() => void>()
  const deliver = (message: unknown) => {
    for (const handler of messageHandlers) handler(message)
  }
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
    onMessage(handler) {
      messageHandlers.add(handler)
      return () => messageHandlers.delete(handler)
    },
    onClose(handler) {
      closeHandlers.add(handler)
      return () => closeHandlers.delete(handler)
    },
    close() {
      stopEvents()
      for (const handler of closeHandlers) handler()
    }
  }
}
