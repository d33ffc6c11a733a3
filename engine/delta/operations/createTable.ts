// CREATE TABLE and CREATE TABLE AS SELECT: version 0 with protocol, metaData (in-commit timestamps on) and optional rows.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Action, Metadata, Protocol } from '../actions'
import { commitTransaction, type CommitOptions, type CommitResult } from '../commit'
import { writeDataFiles } from '../dataFileWriter'
import { DeltaError } from '../errors'
import { LogStore } from '../logStore'
import { latestVersion } from '../logReplay'
import { decodeLogPath } from '../partitionValues'
import type { ParquetPort } from '../parquetPort'
import { isArray, isMap, isStruct, type StructType } from '../schema'
import { duckdbTypeOf, usesTimestampNtz } from '../typeMapping'
import { assertWritable } from '../writeSupport'
import { stageSource } from './stageSource'

export interface CreateTableSpec {
  schema: StructType
  partitionColumns?: string[]
  properties?: Record<string, string>
  name?: string
  description?: string
  /** 'CREATE TABLE' (default) or 'CREATE TABLE AS SELECT'. */
  operation?: string
  /** CTAS: a DuckDB SELECT whose rows become version 0's data. */
  sourceSql?: string
}

/**
 * The protocol for a new table: writer 7 with appendOnly + inCommitTimestamp; timestampNtz (reader 3) only when the
 * schema has timestamp_ntz; deletionVectors (reader 3) only when `delta.enableDeletionVectors=true` is asked for.
 */
export function protocolForNewTable(schema: StructType, properties: Record<string, string>): Protocol {
  const readerFeatures: string[] = []
  const writerFeatures = ['appendOnly', 'inCommitTimestamp']
  if (usesTimestampNtz(schema)) readerFeatures.push('timestampNtz')
  if (properties['delta.enableDeletionVectors'] === 'true') readerFeatures.push('deletionVectors')
  writerFeatures.push(...readerFeatures)
  return readerFeatures.length > 0
    ? { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures }
    : { minReaderVersion: 1, minWriterVersion: 7, writerFeatures }
}

function validateSpec(spec: CreateTableSpec): string[] {
  if (spec.schema.fields.length === 0) throw new DeltaError('INVALID_ARGUMENT', 'a table needs at least one column')
  const seen = new Map<string, string>()
  for (const f of spec.schema.fields) {
    const key = f.name.toLowerCase()
    if (seen.has(key)) throw new DeltaError('INVALID_ARGUMENT', `column names must be unique ignoring case: '${seen.get(key)}' and '${f.name}'`, { column: f.name })
    seen.set(key, f.name)
    try {
      duckdbTypeOf(f.type)
    } catch (e) {
      throw new DeltaError('INVALID_ARGUMENT', `column '${f.name}': ${(e as Error).message}`, { column: f.name })
    }
  }
  const partitionColumns = (spec.partitionColumns ?? []).map((c) => {
    const name = seen.get(c.toLowerCase())
    if (!name) throw new DeltaError('INVALID_ARGUMENT', `partition column '${c}' is not a column of the table (columns: ${spec.schema.fields.map((f) => f.name).join(', ')})`, { column: c })
    const type = spec.schema.fields.find((f) => f.name === name)!.type
    if (isStruct(type) || isArray(type) || isMap(type)) throw new DeltaError('INVALID_ARGUMENT', `partition column '${name}' has a nested type; only primitive columns can partition a table`, { column: name })
    return name
  })
  if (new Set(partitionColumns).size !== partitionColumns.length) throw new DeltaError('INVALID_ARGUMENT', 'a partition column is listed twice')
  if (partitionColumns.length > 0 && partitionColumns.length === spec.schema.fields.length) {
    throw new DeltaError('INVALID_ARGUMENT', 'cannot use all columns as partition columns: the data files would have no columns')
  }
  return partitionColumns
}

/**
 * Creates a Delta table at `root` as version 0: protocol, metaData (with in-commit timestamps enabled from version 0)
 * and commitInfo, plus the rows of `sourceSql` for CTAS. Concurrent creators race on put-if-absent of version 0:
 * exactly one wins.
 * @throws DeltaError TABLE_ALREADY_EXISTS when a table already exists at `root` (also when a concurrent creator wins
 *   the race for version 0); INVALID_ARGUMENT when the spec is invalid (duplicate column, unknown/nested partition
 *   column); SCHEMA_MISMATCH for CTAS rows that do not fit.
 * @throws DeltaError UNSUPPORTED_FEATURE when the properties ask for a feature we cannot write (e.g. CDF).
 */
export async function createTable(root: string, port: ParquetPort, spec: CreateTableSpec, options: CommitOptions): Promise<CommitResult> {
  const tableRoot = path.resolve(root)
  const store = new LogStore(tableRoot)
  const existing = await latestVersion(store)
  if (existing !== null) {
    throw new DeltaError('TABLE_ALREADY_EXISTS', `cannot create the table at ${tableRoot}: a Delta table already exists there (latest version ${existing})`, { tableRoot, version: existing })
  }
  const partitionColumns = validateSpec(spec)
  const properties = spec.properties ?? {}
  const createdAt = options.clock.now()
  const configuration: Record<string, string> = {
    ...properties,
    'delta.enableInCommitTimestamps': 'true',
    'delta.inCommitTimestampEnablementVersion': '0',
    'delta.inCommitTimestampEnablementTimestamp': String(createdAt)
  }
  const metadata: Metadata = {
    id: randomUUID(),
    name: spec.name ?? null,
    description: spec.description ?? null,
    format: { provider: 'parquet', options: {} },
    schemaString: JSON.stringify(spec.schema),
    partitionColumns,
    configuration,
    createdTime: createdAt
  }
  const protocol = protocolForNewTable(spec.schema, properties)
  assertWritable(protocol, metadata, spec.schema)

  const actions: Action[] = [{ protocol }, { metaData: metadata }]
  const metrics: Record<string, number> = {}
  let writtenFiles: string[] = []
  const operation = spec.operation ?? (spec.sourceSql !== undefined ? 'CREATE TABLE AS SELECT' : 'CREATE TABLE')
  if (spec.sourceSql !== undefined) {
    const staged = await stageSource(port, spec.sourceSql, spec.schema)
    try {
      const written = await writeDataFiles(port, { tableRoot, schema: spec.schema, partitionColumns, relation: staged.relation, configuration })
      for (const add of written.adds) actions.push({ add })
      writtenFiles = written.adds.map((a) => path.join(tableRoot, decodeLogPath(a.path)))
      Object.assign(metrics, { numFiles: written.adds.length, numOutputRows: written.numOutputRows, numOutputBytes: written.numOutputBytes })
    } finally {
      await staged.drop()
    }
  }
  const committed = await commitTransaction(store, port, {
    readSnapshot: null,
    actions,
    operation,
    operationParameters: {
      isManaged: 'false',
      description: spec.description ?? null,
      partitionBy: JSON.stringify(partitionColumns),
      properties: JSON.stringify(properties)
    },
    operationMetrics: metrics,
    footprint: { isolationLevel: 'Serializable', isBlindAppend: true, readWholeTable: false, readPredicates: [], readFiles: new Set(), readAppIds: new Set(), removedFiles: new Set(), changesMetadata: true, changesProtocol: true },
    createTimestamp: createdAt,
    writtenFiles
  }, options)
  return { version: committed.version, metrics, retries: committed.retries }
}
