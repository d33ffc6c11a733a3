// Tests for the Roaring readers: standard 32-bit containers (array, bitmap, run) inside the portable and native 64-bit layouts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRoaringBitmapArray, NATIVE_MAGIC, PORTABLE_MAGIC } from './roaringBitmap'
import { z85Decode } from './z85'

type Container = { key: number; kind: 'array' | 'bitmap' | 'run'; values: number[] }

/** Serializes one standard Roaring bitmap (RoaringFormatSpec) from explicit containers, so each container kind is exercised. */
function roaring32(containers: Container[]): Buffer {
  const hasRun = containers.some((c) => c.kind === 'run')
  const parts: Buffer[] = []
  const header = Buffer.alloc(hasRun ? 4 + Math.ceil(containers.length / 8) : 8)
  if (hasRun) {
    header.writeUInt32LE(12347 | ((containers.length - 1) << 16), 0)
    containers.forEach((c, i) => { if (c.kind === 'run') header[4 + (i >> 3)]! |= 1 << (i & 7) })
  } else {
    header.writeUInt32LE(12346, 0)
    header.writeUInt32LE(containers.length, 4)
  }
  parts.push(header)
  const desc = Buffer.alloc(4 * containers.length)
  containers.forEach((c, i) => { desc.writeUInt16LE(c.key, 4 * i); desc.writeUInt16LE(c.values.length - 1, 4 * i + 2) })
  parts.push(desc)
  const bodies = containers.map((c) => {
    if (c.kind === 'array') {
      const b = Buffer.alloc(2 * c.values.length)
      c.values.forEach((v, i) => b.writeUInt16LE(v, 2 * i))
      return b
    }
    if (c.kind === 'bitmap') {
      const b = Buffer.alloc(8192)
      for (const v of c.values) b[v >> 3]! |= 1 << (v & 7)
      return b
    }
    const runs: [number, number][] = []
    for (const v of c.values) {
      const last = runs[runs.length - 1]
      if (last && last[0] + last[1] + 1 === v) last[1]++
      else runs.push([v, 0])
    }
    const b = Buffer.alloc(2 + 4 * runs.length)
    b.writeUInt16LE(runs.length, 0)
    runs.forEach(([s, l], i) => { b.writeUInt16LE(s, 2 + 4 * i); b.writeUInt16LE(l, 4 + 4 * i) })
    return b
  })
  if (!hasRun || containers.length >= 4) {
    const offsets = Buffer.alloc(4 * containers.length)
    let pos = header.length + desc.length + offsets.length
    bodies.forEach((b, i) => { offsets.writeUInt32LE(pos, 4 * i); pos += b.length })
    parts.push(offsets)
  }
  return Buffer.concat([...parts, ...bodies])
}

function portable(bitmaps: { key: number; bytes: Buffer }[]): Buffer {
  const head = Buffer.alloc(12)
  head.writeUInt32LE(PORTABLE_MAGIC, 0)
  head.writeBigUInt64LE(BigInt(bitmaps.length), 4)
  return Buffer.concat([head, ...bitmaps.flatMap((b) => { const k = Buffer.alloc(4); k.writeUInt32LE(b.key, 0); return [k, b.bytes] })])
}

function native(bitmaps: Buffer[], littleEndian: boolean): Buffer {
  const int = (n: number) => { const b = Buffer.alloc(4); if (littleEndian) b.writeUInt32LE(n, 0); else b.writeUInt32BE(n, 0); return b }
  return Buffer.concat([int(NATIVE_MAGIC), int(bitmaps.length), ...bitmaps.flatMap((b) => [int(b.length), b])])
}

describe('decodeRoaringBitmapArray', () => {
  it('decodes the protocol example (native layout, big-endian header) to rows 3,4,7,11,18,29', () => {
    expect(decodeRoaringBitmapArray(z85Decode('wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L'))).toEqual([3, 4, 7, 11, 18, 29])
  })

  it('reads array, bitmap and run containers across 16-bit keys and 64-bit buckets (portable layout)', () => {
    const bitmapValues = Array.from({ length: 5000 }, (_, i) => i * 13 % 65536).sort((a, b) => a - b).filter((v, i, a) => a.indexOf(v) === i)
    const low = roaring32([
      { key: 0, kind: 'array', values: [1, 5, 65535] },
      { key: 1, kind: 'bitmap', values: bitmapValues },
      { key: 7, kind: 'run', values: [10, 11, 12, 13, 40, 41] }
    ])
    const high = roaring32([{ key: 2, kind: 'array', values: [9] }])
    const rows = decodeRoaringBitmapArray(portable([{ key: 0, bytes: low }, { key: 3, bytes: high }]))
    const expected = [1, 5, 65535, ...bitmapValues.map((v) => 65536 + v), ...[10, 11, 12, 13, 40, 41].map((v) => 7 * 65536 + v), 3 * 2 ** 32 + 2 * 65536 + 9]
    expect(rows).toEqual(expected)
  })

  it('reads the native layout written little-endian as Spark does', () => {
    const first = roaring32([{ key: 0, kind: 'array', values: [0, 9] }])
    const second = roaring32([{ key: 0, kind: 'run', values: [4, 5, 6] }])
    expect(decodeRoaringBitmapArray(native([first, second], true))).toEqual([0, 9, 2 ** 32 + 4, 2 ** 32 + 5, 2 ** 32 + 6])
  })

  it('round-trips random sets through every container kind', () => {
    const sparse = fc.uniqueArray(fc.integer({ min: 0, max: 300_000 }), { maxLength: 400 })
    // Bitmap containers only exist above 4096 values per 16-bit key, so dense sets are generated separately.
    const dense = fc.uniqueArray(fc.integer({ min: 0, max: 9000 }), { minLength: 4200, maxLength: 5000 })
    fc.assert(
      fc.property(fc.oneof(sparse, dense), fc.constantFrom('array', 'run', 'bitmap'), (values, kind) => {
        const sorted = [...values].sort((a, b) => a - b)
        const byKey = new Map<number, number[]>()
        for (const v of sorted) byKey.set(v >>> 16, [...(byKey.get(v >>> 16) ?? []), v & 0xffff])
        const containers = [...byKey].map(([key, vs]) => {
          const dense = vs.length > 4096
          const k: Container['kind'] = kind === 'run' ? 'run' : dense ? 'bitmap' : 'array'
          return { key, kind: k, values: vs }
        })
        const bytes = containers.length === 0 ? Buffer.from([0x3a, 0x30, 0, 0, 0, 0, 0, 0]) : roaring32(containers)
        expect(decodeRoaringBitmapArray(portable([{ key: 0, bytes }]))).toEqual(sorted)
      }),
      { numRuns: 60 }
    )
  })

  it('fails loudly on unknown magic and truncation', () => {
    expect(() => decodeRoaringBitmapArray(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/unknown deletion vector magic/)
    const good = portable([{ key: 0, bytes: roaring32([{ key: 0, kind: 'array', values: [1, 2, 3] }]) }])
    expect(() => decodeRoaringBitmapArray(good.subarray(0, good.length - 2))).toThrow(/truncated/)
  })
})
