// Deletion vectors: descriptor identity, where the bitmap lives ('u' / 'p' / 'i'), and reading it into row indexes.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import type { DeletionVectorDescriptor } from './actions'
import { DeltaError } from './errors'
import { decodeRoaringBitmapArray } from './roaringBitmap'
import { z85Decode, z85DecodeUuid } from './z85'
import { resolveTablePath } from './partitionValues'

/**
 * The descriptor's unique id (PROTOCOL.md "Deletion Vector Descriptor"): storageType + pathOrInlineDv, plus "@offset"
 * when an offset is present. Together with the data file path it is the logical file key of an add/remove.
 */
export function dvUniqueId(dv: DeletionVectorDescriptor | null | undefined): string {
  if (!dv) return ''
  return dv.offset === null || dv.offset === undefined ? `${dv.storageType}${dv.pathOrInlineDv}` : `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset}`
}

/**
 * Absolute local path of the file holding an on-disk deletion vector ('u': `<root>/<prefix>/deletion_vector_<uuid>.bin`,
 * 'p': an absolute URI). Inline ('i') vectors have no file.
 * @throws DeltaError CORRUPT_LOG when the descriptor is malformed, UNSUPPORTED_FEATURE for a non-local URI.
 */
export function deletionVectorFile(tableRoot: string, dv: DeletionVectorDescriptor): string {
  if (dv.storageType === 'u') {
    const encoded = dv.pathOrInlineDv
    if (encoded.length < 20) throw new DeltaError('CORRUPT_LOG', `deletion vector descriptor '${encoded}' is too short for a Z85 UUID`, { dv })
    const prefix = encoded.slice(0, encoded.length - 20)
    let uuid: string
    try {
      uuid = z85DecodeUuid(encoded.slice(encoded.length - 20))
    } catch (e) {
      throw new DeltaError('CORRUPT_LOG', `deletion vector descriptor '${encoded}': ${(e as Error).message}`, { dv })
    }
    return path.join(tableRoot, prefix, `deletion_vector_${uuid}.bin`)
  }
  if (dv.storageType === 'p') return resolveTablePath(tableRoot, dv.pathOrInlineDv)
  throw new DeltaError('INVALID_ARGUMENT', `deletion vector storage type '${dv.storageType}' has no file`, { dv })
}

/**
 * The deleted row indexes (0-based physical row positions in the data file), ascending.
 * Reads on-disk vectors (checking the stored size and CRC-32) or decodes inline ones, then checks the count
 * against the descriptor's cardinality so a wrong bitmap can never silently hide or keep rows.
 * @throws DeltaError CORRUPT_LOG naming the vector file and data file when anything does not match,
 *   UNSUPPORTED_FEATURE for an unknown storage type.
 */
export async function readDeletedRows(tableRoot: string, dv: DeletionVectorDescriptor, dataFile: string): Promise<number[]> {
  let bitmap: Uint8Array
  let where: string
  if (dv.storageType === 'i') {
    where = `inline deletion vector of ${dataFile}`
    try {
      bitmap = z85Decode(dv.pathOrInlineDv).subarray(0, dv.sizeInBytes)
    } catch (e) {
      throw new DeltaError('CORRUPT_LOG', `${where}: ${(e as Error).message}`, { dv, dataFile })
    }
  } else if (dv.storageType === 'u' || dv.storageType === 'p') {
    const file = deletionVectorFile(tableRoot, dv)
    where = `deletion vector ${file} (for ${dataFile})`
    bitmap = await readBitmapFromFile(file, dv, where, dataFile)
  } else {
    throw new DeltaError('UNSUPPORTED_FEATURE', `deletion vector storage type '${String(dv.storageType)}' of ${dataFile} is not supported`, { feature: 'deletionVectors', dv })
  }
  let rows: number[]
  try {
    rows = decodeRoaringBitmapArray(bitmap)
  } catch (e) {
    throw new DeltaError('CORRUPT_LOG', `${where}: ${(e as Error).message}`, { dv, dataFile })
  }
  if (rows.length !== Number(dv.cardinality)) {
    throw new DeltaError('CORRUPT_LOG', `${where} holds ${rows.length} rows but the log says cardinality ${dv.cardinality}`, { dv, dataFile })
  }
  return rows
}

async function readBitmapFromFile(file: string, dv: DeletionVectorDescriptor, where: string, dataFile: string): Promise<Uint8Array> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(file, 'r')
  } catch (e) {
    throw new DeltaError('CORRUPT_LOG', `${where} cannot be opened: ${(e as Error).message}`, { dv, dataFile, file })
  }
  try {
    // Layout at `offset`: int32 big-endian size, the bitmap, int32 big-endian CRC-32 of the bitmap.
    const offset = dv.offset ?? 1
    const buf = Buffer.alloc(dv.sizeInBytes + 8)
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset)
    if (bytesRead < buf.length) throw new DeltaError('CORRUPT_LOG', `${where} is truncated at offset ${offset}`, { dv, dataFile, file })
    const size = buf.readInt32BE(0)
    if (size !== dv.sizeInBytes) throw new DeltaError('CORRUPT_LOG', `${where} stores ${size} bytes at offset ${offset}, the log says ${dv.sizeInBytes}`, { dv, dataFile, file })
    const bitmap = buf.subarray(4, 4 + size)
    const expected = buf.readUInt32BE(4 + size)
    if (crc32(bitmap) !== expected) throw new DeltaError('CORRUPT_LOG', `${where} fails its CRC-32 check at offset ${offset}`, { dv, dataFile, file })
    return bitmap
  } finally {
    await handle.close()
  }
}
