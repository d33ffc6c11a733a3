// Tests for the binary frame codec: blobs travel as raw bytes and every JSON shape survives the round trip.
import { describe, expect, it } from 'vitest'
import { type RpcMessage, decodeFrame, encodeFrame } from './protocol'

describe('encodeFrame / decodeFrame', () => {
  it('carries Uint8Array values as raw bytes, not as JSON text', () => {
    const bytes = new Uint8Array(10_000).map((_, i) => i % 251)
    const message: RpcMessage = { kind: 'response', id: 7, ok: true, value: [{ statement: 'x', arrow: bytes }, { arrow: new Uint8Array([1, 2]) }] }
    const frame = encodeFrame(message)
    // Raw bytes plus a small header: base64 would need at least 13,336 bytes for the first blob alone.
    expect(frame.byteLength).toBeLessThan(10_000 + 200)
    const decoded = decodeFrame(frame) as { value: { arrow: Uint8Array }[] }
    expect(decoded.value[0]!.arrow).toBeInstanceOf(Uint8Array)
    expect(Array.from(decoded.value[0]!.arrow)).toEqual(Array.from(bytes))
    expect(Array.from(decoded.value[1]!.arrow)).toEqual([1, 2])
  })

  it('keeps user data that looks like a blob marker or has $-prefixed keys', () => {
    const value = { $blob: 0, $$x: 'two dollars', nested: [{ $ref: 'a' }], plain: 'ok' }
    const decoded = decodeFrame(encodeFrame({ kind: 'response', id: 1, ok: true, value })) as { value: unknown }
    expect(decoded.value).toEqual(value)
  })

  it('keeps a __proto__ key as data instead of changing the prototype', () => {
    const frame = encodeFrame({ kind: 'response', id: 1, ok: true, value: JSON.parse('{"__proto__": {"polluted": true}}') })
    const decoded = decodeFrame(frame) as { value: Record<string, unknown> }
    expect(Object.getPrototypeOf(decoded.value)).toBe(Object.prototype)
    expect((decoded.value as { polluted?: unknown }).polluted).toBeUndefined()
    expect(Object.keys(decoded.value)).toEqual(['__proto__'])
  })

  it('rejects malformed frames with a message naming the problem', () => {
    expect(() => decodeFrame(new Uint8Array([1, 2]))).toThrow(/too short/)
    const frame = encodeFrame({ kind: 'event', event: { type: 'tables.changed', statements: [] } })
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 3))).toThrow(/exceeds frame size|invalid length|JSON/)
    const withTrailing = new Uint8Array(frame.byteLength + 2)
    withTrailing.set(frame)
    expect(() => decodeFrame(withTrailing)).toThrow(/2 trailing bytes/)
    const lying = encodeFrame({ kind: 'response', id: 1, ok: true, value: new Uint8Array(4) })
    expect(() => decodeFrame(lying.subarray(0, lying.byteLength - 1))).toThrow(/blob 0 has invalid length 4/)
  })
})
