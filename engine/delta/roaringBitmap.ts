// Reader for the Roaring bitmap layouts Delta deletion vectors use: 32-bit standard Roaring and the two 64-bit arrays.

/** Magic of Delta's "portable" 64-bit layout (RoaringFormatSpec 64-bit extension). */
export const PORTABLE_MAGIC = 1681511377
/** Magic of Delta's "native" layout (array of 32-bit bitmaps, each prefixed by its size). */
export const NATIVE_MAGIC = 1681511376

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346
const SERIAL_COOKIE = 12347
const NO_OFFSET_THRESHOLD = 4
const ARRAY_CONTAINER_MAX = 4096
const TWO_POW_32 = 4294967296

class ByteReader {
  private readonly view: DataView

  constructor(readonly bytes: Uint8Array, public pos = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.byteLength) {
      throw new Error(`roaring bitmap truncated: need ${n} bytes at offset ${this.pos}, have ${this.bytes.byteLength - this.pos}`)
    }
  }

  u16(): number {
    this.need(2)
    const v = this.view.getUint16(this.pos, true)
    this.pos += 2
    return v
  }

  u32(littleEndian = true): number {
    this.need(4)
    const v = this.view.getUint32(this.pos, littleEndian)
    this.pos += 4
    return v
  }

  u64(): number {
    const low = this.u32()
    const high = this.u32()
    return high * TWO_POW_32 + low
  }

  skip(n: number): void {
    this.need(n)
    this.pos += n
  }
}

/**
 * Reads one standard 32-bit Roaring bitmap (RoaringFormatSpec) starting at `reader.pos`, appending its values
 * plus `base` to `out` in ascending order. Leaves `reader.pos` after the last container.
 */
function readRoaring32(reader: ByteReader, base: number, out: number[]): void {
  const cookie = reader.u32()
  let containers: number
  let runFlags: Uint8Array | null = null
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    containers = (cookie >>> 16) + 1
    const flagBytes = Math.ceil(containers / 8)
    runFlags = reader.bytes.subarray(reader.pos, reader.pos + flagBytes)
    reader.skip(flagBytes)
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    containers = reader.u32()
  } else {
    throw new Error(`not a Roaring bitmap: cookie ${cookie}`)
  }
  if (containers > 65536) throw new Error(`Roaring bitmap claims ${containers} containers (max 65536)`)
  const keys = new Array<number>(containers)
  const cards = new Array<number>(containers)
  for (let i = 0; i < containers; i++) {
    keys[i] = reader.u16()
    cards[i] = reader.u16() + 1
  }
  // Offsets are redundant for a sequential read; they are present unless a run-cookie bitmap is small.
  if (runFlags === null || containers >= NO_OFFSET_THRESHOLD) reader.skip(4 * containers)
  for (let i = 0; i < containers; i++) {
    const high = base + keys[i]! * 65536
    const isRun = runFlags !== null && (runFlags[i >> 3]! & (1 << (i & 7))) !== 0
    if (isRun) {
      const runs = reader.u16()
      for (let r = 0; r < runs; r++) {
        const start = reader.u16()
        const length = reader.u16()
        for (let v = start; v <= start + length; v++) out.push(high + v)
      }
    } else if (cards[i]! > ARRAY_CONTAINER_MAX) {
      for (let w = 0; w < 2048; w++) {
        let word = reader.u32()
        while (word !== 0) {
          const bit = 31 - Math.clz32(word & -word)
          out.push(high + w * 32 + bit)
          word &= word - 1
        }
      }
    } else {
      for (let k = 0; k < cards[i]!; k++) out.push(high + reader.u16())
    }
  }
}

/**
 * Decodes a Delta deletion-vector bitmap (magic + 64-bit Roaring array) into its ascending row indexes.
 * Accepts the portable layout (magic 1681511377, little-endian) and the native layout (magic 1681511376), whose
 * header Spark writes little-endian and the protocol's own example writes big-endian; both are recognised by the magic.
 * @throws Error describing the first inconsistency (unknown magic, truncation, unsorted keys).
 */
export function decodeRoaringBitmapArray(bytes: Uint8Array): number[] {
  const reader = new ByteReader(bytes)
  if (bytes.byteLength < 4) throw new Error(`deletion vector bitmap has only ${bytes.byteLength} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magicLE = view.getUint32(0, true)
  const magicBE = view.getUint32(0, false)
  const out: number[] = []
  if (magicLE === PORTABLE_MAGIC) {
    reader.pos = 4
    const count = reader.u64()
    let lastKey = -1
    for (let i = 0; i < count; i++) {
      const key = reader.u32()
      if (key <= lastKey) throw new Error(`portable Roaring keys are not ascending (${key} after ${lastKey})`)
      lastKey = key
      readRoaring32(reader, key * TWO_POW_32, out)
    }
    return out
  }
  if (magicLE === NATIVE_MAGIC || magicBE === NATIVE_MAGIC) {
    const littleEndian = magicLE === NATIVE_MAGIC
    reader.pos = 4
    const count = reader.u32(littleEndian)
    for (let key = 0; key < count; key++) {
      const size = reader.u32(littleEndian)
      const start = reader.pos
      readRoaring32(reader, key * TWO_POW_32, out)
      if (reader.pos - start !== size) throw new Error(`native Roaring bitmap ${key} is ${reader.pos - start} bytes, header says ${size}`)
    }
    return out
  }
  throw new Error(`unknown deletion vector magic ${magicLE} (expected ${PORTABLE_MAGIC} or ${NATIVE_MAGIC})`)
}
