// webSocketTransport: an RpcTransport over one `ws` connection, one binary frame per message.
import type { WebSocket } from 'ws'
import { EngineError, boundaryErrorCodes } from '../api/errors'
import { type RpcMessage, type RpcTransport, decodeFrame, encodeFrame } from '../rpc/protocol'

/**
 * Wraps a server-side WebSocket. Text frames and undecodable binary frames close the connection with 1003
 * ("unsupported data"): a well-behaved client never sends them. A response that cannot be encoded is replaced by
 * an INTERNAL error response so the caller is never left waiting.
 */
export function webSocketTransport(socket: WebSocket): RpcTransport {
  return {
    send(message: RpcMessage) {
      if (socket.readyState !== socket.OPEN) return
      let frame: Uint8Array
      try {
        frame = encodeFrame(message)
      } catch (error) {
        if (message.kind !== 'response') return
        const failure = new EngineError(boundaryErrorCodes.INTERNAL, `Could not encode the response: ${(error as Error).message}`)
        frame = encodeFrame({ kind: 'response', id: message.id, ok: false, error: failure.toPayload() })
      }
      socket.send(frame, { binary: true })
    },
    onMessage(handler) {
      const listener = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        if (!isBinary) {
          socket.close(1003, 'binary frames only')
          return
        }
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
        let message: unknown
        try {
          message = decodeFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        } catch {
          socket.close(1003, 'malformed frame')
          return
        }
        handler(message)
      }
      socket.on('message', listener)
      return () => socket.off('message', listener)
    },
    onClose(handler) {
      const listener = () => handler()
      socket.once('close', listener)
      return () => socket.off('close', listener)
    },
    close() {
      socket.close(1000)
    }
  }
}
