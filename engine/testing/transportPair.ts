// transportPair: two connected in-memory RpcTransports, optionally passing every message through the binary frame codec.
import { type RpcMessage, type RpcTransport, createTransportHandlers, decodeFrame, encodeFrame } from '../rpc/protocol'

/**
 * Returns [client, server] transports wired to each other. Delivery is asynchronous (a microtask later), like a real
 * channel. With `framed`, messages are encoded to bytes and decoded on arrival, exactly as over a WebSocket.
 */
export function createTransportPair(options: { framed?: boolean } = {}): [RpcTransport, RpcTransport] {
  const a = new MemoryEnd()
  const b = new MemoryEnd()
  a.peer = b
  b.peer = a
  a.framed = b.framed = options.framed ?? false
  return [a, b]
}

class MemoryEnd implements RpcTransport {
  peer!: MemoryEnd
  framed = false
  /** Every message this end sent, for assertions. */
  readonly sent: RpcMessage[] = []
  private readonly handlers = createTransportHandlers()
  readonly onMessage = this.handlers.onMessage
  readonly onClose = this.handlers.onClose
  private closed = false

  send(message: RpcMessage): void {
    if (this.closed) return
    this.sent.push(message)
    const payload: unknown = this.framed ? encodeFrame(message) : structuredClone(message)
    queueMicrotask(() => this.peer.receive(payload))
  }

  /** Delivers a raw payload as if it had arrived from the peer (tests use it to send malformed messages). */
  receive(payload: unknown): void {
    if (this.closed) return
    const message = this.framed && payload instanceof Uint8Array ? decodeFrame(payload) : payload
    this.handlers.emitMessage(message)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.handlers.emitClose()
    this.peer.close()
  }
}
