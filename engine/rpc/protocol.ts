// The RPC wire protocol: request/response/event envelopes, the transport seam, and the binary frame codec.
import { z } from 'zod'
import type { EngineErrorPayload } from '../api/errors'
import type { EngineEvent } from '../api/events'
import { engineErrorPayloadSchema, engineEventSchema } from '../api/schemas'

export interface RpcRequest {
  kind: 'request'
  id: number
  method: string
  arg?: unknown
}

export type RpcResponse =
  | { kind: 'response'; id: number; ok: true; value: unknown }
  | { kind: 'response'; id: number; ok: false; error: EngineErrorPayload }

export interface RpcEventMessage {
  kind: 'event'
  event: EngineEvent
}

export type RpcMessage = RpcRequest | RpcResponse | RpcEventMessage

/**
 * One bidirectional message channel. The WebSocket (browser ↔ web host) and Electron IPC (renderer ↔ main) both
 * implement it; serveRpc and connectRpc know nothing else. Messages may contain Uint8Array values anywhere.
 * Received messages are `unknown` because they come from the other side of a trust boundary.
 */
export interface RpcTransport {
  send(message: RpcMessage): void
  /** Registers the handler for incoming messages; returns a function that removes it. */
  onMessage(handler: (message: unknown) => void): () => void
  /** Registers a handler called once when the channel closes. */
  onClose(handler: () => void): () => void
  close(): void
}

/** The listener bookkeeping every transport needs: register and unregister handlers, and fan messages and the close out to them. */
export interface TransportHandlers {
  onMessage(handler: (message: unknown) => void): () => void
  onClose(handler: () => void): () => void
  emitMessage(message: unknown): void
  /** Calls each close handler once, then forgets them (a channel closes only once). */
  emitClose(): void
}

export function createTransportHandlers(): TransportHandlers {
  const messageHandlers = new Set<(message: unknown) => void>()
  const closeHandlers = new Set<() => void>()
  return {
    onMessage(handler) {
      messageHandlers.add(handler)
      return () => messageHandlers.delete(handler)
    },
    onClose(handler) {
      closeHandlers.add(handler)
      return () => closeHandlers.delete(handler)
    },
    emitMessage(message) {
      for (const handler of messageHandlers) handler(message)
    },
    emitClose() {
      const handlers = [...closeHandlers]
      closeHandlers.clear()
      for (const handler of handlers) handler()
    }
  }
}

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const rpcRequestSchema = z.strictObject({
  kind: z.literal('request'),
  id: requestId,
  method: z.string().max(200),
  arg: z.unknown().optional()
})

export const rpcServerMessageSchema = z.union([
  // `value` may be absent: a method resolving to undefined loses the key in JSON.
  z.object({ kind: z.literal('response'), id: requestId, ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ kind: z.literal('response'), id: requestId, ok: z.literal(false), error: engineErrorPayloadSchema }),
  z.object({ kind: z.literal('event'), event: engineEventSchema })
])

/*
 * Binary frame codec for byte-oriented transports (WebSocket). Arrow results are the bulk of the traffic, so they
 * travel as raw bytes instead of base64 inside JSON (which would cost a third more bytes plus encode/decode passes
 * on both sides). One frame:
 *
 *   [u32 LE header length][header: UTF-8 JSON {m: message, b: [blob lengths]}][blob 0][blob 1]...
 *
 * In the JSON each Uint8Array is replaced by {"$blob": index}. To keep that marker unambiguous, every object key
 * that starts with "$" gets one more "$" when encoded and loses it when decoded.
 */

const blobKey = '$blob'

/** Encodes a message as one binary frame. Throws TypeError for values JSON cannot carry (bigint). */
export function encodeFrame(message: RpcMessage): Uint8Array<ArrayBuffer> {
  const blobs: Uint8Array[] = []
  const header = new TextEncoder().encode(JSON.stringify({ m: replaceBlobs(message, blobs), b: blobs.map((b) => b.byteLength) }))
  const total = 4 + header.byteLength + blobs.reduce((sum, b) => sum + b.byteLength, 0)
  const frame = new Uint8Array(total)
  new DataView(frame.buffer).setUint32(0, header.byteLength, true)
  frame.set(header, 4)
  let offset = 4 + header.byteLength
  for (const blob of blobs) {
    frame.set(blob, offset)
    offset += blob.byteLength
  }
  return frame
}

/**
 * Decodes a frame made by encodeFrame. Blobs are views into `frame` (no copy).
 * Throws an Error naming the problem (short frame, bad header, lengths past the end) for anything malformed.
 */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error(`RPC frame too short: ${frame.byteLength} bytes`)
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true)
  if (4 + headerLength > frame.byteLength) throw new Error(`RPC frame header length ${headerLength} exceeds frame size ${frame.byteLength}`)
  const header: unknown = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headerLength)))
  if (typeof header !== 'object' || header === null || !('m' in header) || !('b' in header) || !Array.isArray(header.b)) {
    throw new Error('RPC frame header is not {m, b}')
  }
  const blobs: Uint8Array[] = []
  let offset = 4 + headerLength
  for (const length of header.b as unknown[]) {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || offset + length > frame.byteLength) {
      throw new Error(`RPC frame blob ${blobs.length} has invalid length ${String(length)}`)
    }
    blobs.push(frame.subarray(offset, offset + length))
    offset += length
  }
  if (offset !== frame.byteLength) throw new Error(`RPC frame has ${frame.byteLength - offset} trailing bytes`)
  return restoreBlobs(header.m, blobs)
}

function replaceBlobs(value: unknown, blobs: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    blobs.push(value)
    return { [blobKey]: blobs.length - 1 }
  }
  if (Array.isArray(value)) return value.map((v) => replaceBlobs(v, blobs))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) defineKey(out, key.startsWith('$') ? `$${key}` : key, replaceBlobs(v, blobs))
    }
    return out
  }
  return value
}

function restoreBlobs(value: unknown, blobs: Uint8Array[]): unknown {
  if (Array.isArray(value)) return value.map((v) => restoreBlobs(v, blobs))
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0]![0] === blobKey) {
      const index = entries[0]![1]
      const blob = typeof index === 'number' ? blobs[index] : undefined
      if (!blob) throw new Error(`RPC frame refers to missing blob ${String(index)}`)
      return blob
    }
    const out: Record<string, unknown> = {}
    for (const [key, v] of entries) defineKey(out, key.startsWith('$') ? key.slice(1) : key, restoreBlobs(v, blobs))
    return out
  }
  return value
}

/** Sets an own data property, so a key named `__proto__` from the wire stays data and never swaps the prototype. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
