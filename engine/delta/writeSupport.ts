// Which tables this writer may change: the writer side of the protocol's feature checks.
import type { Metadata, Protocol } from './actions'
import { DeltaError } from './errors'
import { isArray, isMap, isStruct, type DataType, type StructType } from './schema'

/**
 * Writer features our writer honours. Some are only fine while unused (checked below): we never write CDC files,
 * generated or identity values, invariants or CHECK constraints, row ids, or v2 checkpoints.
 */
const SUPPORTED_WRITER_FEATURES = new Set([
  'appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'identityColumns', 'columnMapping',
  'inCommitTimestamp', 'timestampNtz', 'deletionVectors', 'domainMetadata', 'vacuumProtocolCheck', 'allowColumnDefaults', 'typeWidening', 'typeWidening-preview'
])

function fieldsWithMetadata(schema: StructType | DataType, key: string, prefix = ''): string[] {
  if (!isStruct(schema)) {
    if (isArray(schema)) return fieldsWithMetadata(schema.elementType, key, prefix)
    if (isMap(schema)) return [...fieldsWithMetadata(schema.keyType, key, prefix), ...fieldsWithMetadata(schema.valueType, key, prefix)]
    return []
  }
  const out: string[] = []
  for (const f of schema.fields) {
    const name = prefix ? `${prefix}.${f.name}` : f.name
    if (f.metadata && key in f.metadata) out.push(name)
    out.push(...fieldsWithMetadata(f.type, key, name))
  }
  return out
}

function refuse(what: string, detail: Record<string, unknown>): never {
  throw new DeltaError('UNSUPPORTED_FEATURE', `this table uses ${what}, which Lakebench cannot write yet; the table can still be read`, detail)
}

/**
 * Refuses to write tables whose protocol or metadata asks writers for behaviour we do not implement: writer versions
 * above 7, unknown writer features, and features in use (CDF enabled, CHECK constraints, invariants, generated or
 * identity columns, column mapping, row tracking, v2 checkpoints).
 * @throws DeltaError UNSUPPORTED_FEATURE naming the feature.
 */
export function assertWritable(protocol: Protocol, metadata: Metadata, schema: StructType): void {
  if (protocol.minWriterVersion > 7) refuse(`writer version ${protocol.minWriterVersion}`, { minWriterVersion: protocol.minWriterVersion })
  if (protocol.minWriterVersion === 7) {
    for (const f of protocol.writerFeatures ?? []) if (!SUPPORTED_WRITER_FEATURES.has(f)) refuse(`the writer feature '${f}'`, { feature: f })
  }
  const conf = metadata.configuration
  if (conf['delta.enableChangeDataFeed'] === 'true') refuse('the change data feed (delta.enableChangeDataFeed)', { feature: 'changeDataFeed' })
  const constraint = Object.keys(conf).find((k) => k.startsWith('delta.constraints.'))
  if (constraint) refuse(`the CHECK constraint ${constraint}`, { feature: 'checkConstraints', property: constraint })
  if ((conf['delta.columnMapping.mode'] ?? 'none') !== 'none') refuse(`column mapping mode '${conf['delta.columnMapping.mode']}'`, { feature: 'columnMapping' })
  if (conf['delta.enableRowTracking'] === 'true') refuse('row tracking', { feature: 'rowTracking' })
  if (conf['delta.checkpointPolicy'] === 'v2') refuse('v2 checkpoints', { feature: 'v2Checkpoint' })
  for (const [key, feature] of [['delta.invariants', 'invariants'], ['delta.generationExpression', 'generatedColumns'], ['delta.identity.start', 'identityColumns']] as const) {
    const cols = fieldsWithMetadata(schema, key)
    if (cols.length > 0) refuse(`${feature} on column ${cols[0]}`, { feature, column: cols[0] })
  }
}

/**
 * Refuses removing data from a `delta.appendOnly=true` table (Spark DELTA_CANNOT_MODIFY_APPEND_ONLY).
 * @throws DeltaError INVALID_ARGUMENT naming the operation.
 */
export function assertNotAppendOnly(metadata: Metadata, operation: string): void {
  if (metadata.configuration['delta.appendOnly'] === 'true') {
    throw new DeltaError('INVALID_ARGUMENT', `${operation} would remove data from an append-only table (delta.appendOnly=true); only appends are allowed`, { operation })
  }
}
