// webSocketTransport (browser): an RpcTransport over the web host's WebSocket, one binary frame per message.
import { type RpcMessage, type RpcTransport, createTransportHandlers, decodeFrame, encodeFrame } from '../../engine/rpc/protocol'

/** Why the connection ended, for the UI: the host refuses a missing/wrong token by closing the handshake. */
export interface CloseInfo {
  code: number
  everOpened: boolean
}

/**
 * Opens `url` and returns the transport at once; messages sent before the socket opens are queued.
 * `onClosed` reports how the socket ended (never opened usually means a missing or stale token).
 */
export function webSocketTransport(url: string, onClosed?: (info: CloseInfo) => void): RpcTransport {
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  const queue: Uint8Array<ArrayBuffer>[] = []
  const handlers = createTransportHandlers()
  let everOpened = false

  socket.addEventListener('open', () => {
    everOpened = true
    for (const frame of queue.splice(0)) socket.send(frame)
  })
  socket.addEventListener('message', (event: MessageEvent) => {
    if (!(event.data instanceof ArrayBuffer)) return
    let message: unknown
    try {
      message = decodeFrame(new Uint8Array(event.data))
    } catch {
      return // A frame we cannot read cannot be answered either; connectRpc fails that call on its own when the socket closes.
    }
    handlers.emitMessage(message)
  })
  socket.addEventListener('close', (event: CloseEvent) => {
    onClosed?.({ code: event.code, everOpened })
    handlers.emitClose()
  })

  return {
    send(message: RpcMessage) {
      const frame = encodeFrame(message)
      if (socket.readyState === WebSocket.OPEN) socket.send(frame)
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(frame)
    },
    onMessage: handlers.onMessage,
    onClose: handlers.onClose,
    close() {
      socket.close(1000)
    }
  }
}
