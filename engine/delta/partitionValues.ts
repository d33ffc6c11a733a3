// Partition values and file paths from the log: URI-decoding add paths, and typing partition value strings as SQL literals.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeltaError } from './errors'
import { sqlString } from './parquetPort'
import type { DataType } from './schema'
import { duckdbTypeOf } from './typeMapping'

/**
 * The local file a log path refers to. Relative paths are RFC 2396 URI-encoded and relative to the table root
 * (`a%20b` is the file `a b`; `%2520` is a directory whose name contains `%20`); absolute paths are `file:` URIs.
 * @throws DeltaError UNSUPPORTED_FEATURE for a non-local URI scheme (s3://, abfss://, ...).
 */
export function resolveTablePath(tableRoot: string, logPath: string): string {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(logPath)
  if (scheme && scheme[1]!.length > 1) {
    if (scheme[1]!.toLowerCase() !== 'file') {
      throw new DeltaError('UNSUPPORTED_FEATURE', `data file ${logPath} is on ${scheme[1]} storage; only local files are supported`, { path: logPath })
    }
    // Hadoop writes file:/abs/path (one slash); fileURLToPath wants file:///abs/path.
    const normalized = logPath.replace(/^file:\/*/i, 'file:///')
    return fileURLToPath(normalized)
  }
  return path.join(tableRoot, decodeLogPath(logPath))
}

/** URI-decodes a relative log path; a path that is not valid percent-encoding was written unencoded and is used as is. */
export function decodeLogPath(logPath: string): string {
  if (!logPath.includes('%')) return logPath
  try {
    return decodeURIComponent(logPath)
  } catch {
    return logPath
  }
}

const INTEGER_TEXT = /^[+-]?\d+$/
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const FLOAT_TEXT = /^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(NaN|Infinity|Inf))$/i
const DATE_TEXT = /^[+-]?\d{4,}-\d{2}-\d{2}$/
const TIMESTAMP_TEXT = /^[+-]?\d{4,}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/
const ZONE_SUFFIX = /(Z|[+-]\d{2}(:?\d{2})?)$/
const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n]
}

/** True when a partition value string stands for SQL NULL (JSON null, absent, or the empty string). */
export function isNullPartitionValue(raw: string | null | undefined): raw is null | undefined | '' {
  return raw === null || raw === undefined || raw === ''
}

/**
 * A DuckDB expression of the column's type for one partition value string (PROTOCOL.md "Partition Value Serialization").
 * Null, missing and "" give a typed NULL; the string "null" of a string column is the text `null`. Timestamps without a
 * zone are read as UTC; timestamp_ntz keeps the wall-clock text; binary is the UTF-8 bytes of the string.
 * @throws DeltaError CORRUPT_LOG naming `where` (file and column) when the text does not parse as the type,
 *   UNSUPPORTED_FEATURE when the type cannot be a partition column.
 */
export function partitionValueLiteral(raw: string | null | undefined, type: DataType, where: string): string {
  if (typeof type !== 'string') {
    throw new DeltaError('UNSUPPORTED_FEATURE', `${where}: partition columns of nested type ${JSON.stringify(type)} are not supported`, { type })
  }
  const sqlType = duckdbTypeOf(type)
  if (isNullPartitionValue(raw)) return `CAST(NULL AS ${sqlType})`
  const bad = (): never => {
    throw new DeltaError('CORRUPT_LOG', `${where}: partition value ${JSON.stringify(raw)} is not a valid ${type}`, { value: raw, type })
  }
  const range = INTEGER_RANGES[type]
  if (range) {
    if (!INTEGER_TEXT.test(raw)) bad()
    const n = BigInt(raw)
    if (n < range[0] || n > range[1]) bad()
    return `CAST(${n.toString()} AS ${sqlType})`
  }
  if (type === 'string') return sqlString(raw)
  if (type === 'boolean') {
    const lower = raw.toLowerCase()
    if (lower !== 'true' && lower !== 'false') bad()
    return lower
  }
  if (type === 'float' || type === 'double') {
    if (!FLOAT_TEXT.test(raw)) bad()
    return `CAST(${sqlString(raw)} AS ${sqlType})`
  }
  if (type.startsWith('decimal')) {
    if (!DECIMAL_TEXT.test(raw)) bad()
    return `CAST(${sqlString(raw)} AS ${sqlType})`
  }
  if (type === 'date') {
    if (!DATE_TEXT.test(raw)) bad()
    return `CAST(${sqlString(raw)} AS DATE)`
  }
  if (type === 'timestamp') {
    if (!TIMESTAMP_TEXT.test(raw)) bad()
    const zoned = ZONE_SUFFIX.test(raw.slice(10)) ? raw : `${raw}+00:00`
    return `CAST(${sqlString(zoned)} AS TIMESTAMPTZ)`
  }
  if (type === 'timestamp_ntz') {
    if (!TIMESTAMP_TEXT.test(raw) || ZONE_SUFFIX.test(raw.slice(10))) bad()
    return `CAST(${sqlString(raw)} AS TIMESTAMP)`
  }
  if (type === 'binary') return `encode(${sqlString(raw)})`
  throw new DeltaError('UNSUPPORTED_FEATURE', `${where}: partition columns of type ${type} are not supported`, { type })
}

/**
 * True when DuckDB's own conversion `CAST(text AS type)` gives exactly what partitionValueLiteral gives, so a
 * partition column can be produced by a VARCHAR hive column plus a cast.
 */
export function castsLikeLiteral(type: DataType): boolean {
  return type === 'string' || type === 'date' || type === 'boolean' || (typeof type === 'string' && type in INTEGER_RANGES)
}
