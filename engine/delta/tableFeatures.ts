// The reader's protocol gate: which reader versions and reader features this engine implements, refusing the rest by name.
import type { Protocol } from './actions'
import { DeltaError } from './errors'
import type { DataType } from './schema'
import { isArray, isMap, isStruct } from './schema'

/** The highest reader protocol version we understand (3 = table features). */
export const MAX_READER_VERSION = 3

/**
 * Reader features this reader implements. typeWidening is safe because every scan casts file columns to the
 * snapshot schema; vacuumProtocolCheck asks nothing of readers; v2Checkpoint, columnMapping, deletionVectors and
 * timestampNtz are read natively.
 */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
  'typeWidening',
  'typeWidening-preview'
])

/**
 * Checks that this reader may read a table with `protocol`.
 * @throws DeltaError UNSUPPORTED_FEATURE naming the reader version or every unsupported reader feature
 *   (e.g. variantType, catalogManaged), with `detail.features` listing them.
 */
export function assertReadable(protocol: Protocol, where: string): void {
  const reader = protocol.minReaderVersion
  if (!Number.isInteger(reader) || reader < 1) {
    throw new DeltaError('CORRUPT_LOG', `${where}: protocol.minReaderVersion ${String(reader)} is not a valid version`, { protocol })
  }
  if (reader > MAX_READER_VERSION) {
    throw new DeltaError('UNSUPPORTED_FEATURE', `${where}: the table needs reader version ${reader}; this reader supports up to ${MAX_READER_VERSION}`, {
      protocol,
      features: [`readerVersion${reader}`]
    })
  }
  if (reader === MAX_READER_VERSION) {
    const unknown = (protocol.readerFeatures ?? []).filter((f) => !SUPPORTED_READER_FEATURES.has(f))
    if (unknown.length > 0) {
      throw new DeltaError('UNSUPPORTED_FEATURE', `${where}: the table uses reader feature${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which this reader does not support`, {
        protocol,
        features: unknown
      })
    }
  }
}

/** True when the protocol enables a reader feature (explicitly on reader 3, implied by reader 2 for columnMapping). */
export function hasReaderFeature(protocol: Protocol, feature: string): boolean {
  if (protocol.minReaderVersion >= 3) return (protocol.readerFeatures ?? []).includes(feature)
  return feature === 'columnMapping' && protocol.minReaderVersion === 2
}

/**
 * Refuses schema types no reader path here can produce, so they fail by name instead of deep inside DuckDB.
 * @throws DeltaError UNSUPPORTED_FEATURE naming the column and type (variant, interval, ...).
 */
export function assertSchemaReadable(type: DataType, columnPath: string): void {
  if (typeof type === 'string') {
    if (type === 'variant' || type === 'void' || type === 'interval' || type.startsWith('interval')) {
      throw new DeltaError('UNSUPPORTED_FEATURE', `column ${columnPath} has type ${type}, which this reader does not support`, { column: columnPath, type, features: [type === 'variant' ? 'variantType' : type] })
    }
    return
  }
  if (isStruct(type)) for (const f of type.fields) assertSchemaReadable(f.type, `${columnPath}.${f.name}`)
  else if (isArray(type)) assertSchemaReadable(type.elementType, `${columnPath}[]`)
  else if (isMap(type)) {
    assertSchemaReadable(type.keyType, `${columnPath}.key`)
    assertSchemaReadable(type.valueType, `${columnPath}.value`)
  }
}
