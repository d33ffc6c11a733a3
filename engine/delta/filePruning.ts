// Data skipping: which live files may hold rows matching a conjunction of simple filters (partition values + column stats).
import type { AddFile } from './actions'
import { columnMappingMode, physicalName, type ColumnMappingMode } from './columnMapping'
import { DeltaError } from './errors'
import { isNullPartitionValue } from './partitionValues'
import { isStruct, type DataType, type StructField } from './schema'
import type { Snapshot } from './snapshot'

export type PruneFilter = {
  column: string
  op: '=' | '<' | '<=' | '>' | '>=' | '!=' | 'IS NULL' | 'IS NOT NULL' | 'IN'
  value?: string | number | boolean | null | (string | number | boolean)[]
}

type Scalar = string | number | boolean | null | undefined
/** A comparable value; `exact` is false when conversion may have rounded (then only non-strict bounds are trusted). */
interface Comparable {
  v: number | string | boolean
  exact: boolean
}

/** Spark's default prefix length for string stats; longer stats may be truncated, so their max is not a bound. */
const STRING_STATS_PREFIX = 32

function toComparable(value: Scalar, type: DataType): Comparable | null {
  if (value === null || value === undefined) return null
  if (typeof type !== 'string') return null
  switch (true) {
    case type === 'byte' || type === 'short' || type === 'integer' || type === 'long': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN
      return Number.isFinite(n) ? { v: n, exact: Number.isSafeInteger(n) } : null
    }
    case type === 'float' || type === 'double' || type.startsWith('decimal'): {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      return Number.isNaN(n) ? null : { v: n, exact: false }
    }
    case type === 'string':
      return typeof value === 'string' ? { v: value, exact: true } : null
    case type === 'boolean':
      if (typeof value === 'boolean') return { v: value ? 1 : 0, exact: true }
      return value === 'true' ? { v: 1, exact: true } : value === 'false' ? { v: 0, exact: true } : null
    case type === 'date': {
      const s = typeof value === 'string' ? value.slice(0, 10) : null
      return s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? { v: s, exact: true } : null
    }
    case type === 'timestamp' || type === 'timestamp_ntz': {
      let ms: number
      if (typeof value === 'number') ms = value
      else if (typeof value === 'string') ms = parseTimestampMs(value, type === 'timestamp_ntz')
      else return null
      // Stats are truncated to milliseconds and sub-ms input is dropped: never exact.
      return Number.isFinite(ms) ? { v: ms, exact: false } : null
    }
    default:
      return null
  }
}

const ZONE = /(Z|[+-]\d{2}:?\d{2})$/i

/** ms since epoch of a timestamp text; zone-less text is UTC, and timestamp_ntz wall-clock text is read as if UTC. */
function parseTimestampMs(value: string, wallClock: boolean): number {
  let text = value.trim().replace(' ', 'T')
  if (wallClock) text = text.replace(ZONE, '')
  return Date.parse(ZONE.test(text) ? text : `${text}Z`)
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a.v === 'string' && typeof b.v === 'string') return Buffer.compare(Buffer.from(a.v, 'utf8'), Buffer.from(b.v, 'utf8'))
  return (a.v as number) < (b.v as number) ? -1 : (a.v as number) > (b.v as number) ? 1 : 0
}

interface Bounds {
  min: Comparable | null
  max: Comparable | null
  nullCount: number | null
  numRecords: number | null
}

/** May any row with a value in [min, max] satisfy `op value`? Unknown bounds always answer yes. */
function rangeMayMatch(b: Bounds, op: PruneFilter['op'], target: Comparable): boolean {
  const { min, max } = b
  const strict = (c: Comparable | null) => c !== null && c.exact && target.exact
  switch (op) {
    case '=':
      return !(min && compare(min, target) > 0) && !(max && compare(max, target) < 0)
    case '<':
      return !min || (strict(min) ? compare(min, target) < 0 : compare(min, target) <= 0)
    case '<=':
      return !min || compare(min, target) <= 0
    case '>':
      return !max || (strict(max) ? compare(max, target) > 0 : compare(max, target) >= 0)
    case '>=':
      return !max || compare(max, target) >= 0
    case '!=':
      return !(min && max && strict(min) && strict(max) && compare(min, target) === 0 && compare(max, target) === 0)
    default:
      return true
  }
}

function resolveField(snapshot: Snapshot, column: string): { field: StructField; path: StructField[] } {
  const parts = column.split('.')
  let fields = snapshot.schema.fields
  const path: StructField[] = []
  for (const part of parts) {
    const f = fields.find((x) => x.name === part) ?? fields.find((x) => x.name.toLowerCase() === part.toLowerCase())
    if (!f) throw new DeltaError('INVALID_ARGUMENT', `filter column ${column} is not in the schema of ${snapshot.tableRoot}`, { column })
    path.push(f)
    fields = isStruct(f.type) ? f.type.fields : []
  }
  return { field: path[path.length - 1]!, path }
}

function statAt(section: unknown, path: StructField[], mode: ColumnMappingMode): unknown {
  let cur = section
  for (const f of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[physicalName(f, mode)]
  }
  return cur
}

function boundsOf(add: AddFile, target: { field: StructField; path: StructField[] }, mode: ColumnMappingMode, isPartition: boolean): Bounds {
  const type = target.field.type
  if (isPartition) {
    const key = physicalName(target.field, mode)
    const raw = add.partitionValues?.[key]
    const isNull = isNullPartitionValue(raw)
    const value = isNull ? null : toComparable(raw, type)
    return { min: value, max: value, nullCount: isNull ? 1 : 0, numRecords: 1 }
  }
  const unknown: Bounds = { min: null, max: null, nullCount: null, numRecords: null }
  if (!add.stats) return unknown
  let stats: Record<string, unknown>
  try {
    stats = JSON.parse(add.stats) as Record<string, unknown>
  } catch {
    return unknown
  }
  let min = toComparable(statAt(stats.minValues, target.path, mode) as Scalar, type)
  let max = toComparable(statAt(stats.maxValues, target.path, mode) as Scalar, type)
  if (type === 'float') {
    // A float stat is written as the shortest text that rounds back to the float, which as a double can sit up to
    // half a float step on either side of the stored value (0.3f is 0.300000011920929 but is written 0.3). Widen
    // by a full step so a comparison made in double precision never drops a file whose value matches.
    if (min) min = { v: widenFloat(min.v as number, -1), exact: false }
    if (max) max = { v: widenFloat(max.v as number, 1), exact: false }
  }
  if (max && typeof max.v === 'string' && [...max.v].length >= STRING_STATS_PREFIX) max = null
  // Timestamp stats are truncated to milliseconds: the true max may be up to 1 ms later.
  if (max && (type === 'timestamp' || type === 'timestamp_ntz')) max = { v: (max.v as number) + 1, exact: false }
  const nc = statAt(stats.nullCount, target.path, mode)
  const numRecords = typeof stats.numRecords === 'number' ? stats.numRecords : null
  return { min, max, nullCount: typeof nc === 'number' ? nc : null, numRecords }
}

/** `value` moved one single-precision step (relative 2^-23, at least the smallest subnormal) in `direction`. */
function widenFloat(value: number, direction: 1 | -1): number {
  return value + direction * (Math.abs(value) * 2 ** -23 + 1.5e-45)
}

function fileMayMatch(b: Bounds, filter: PruneFilter, type: DataType): boolean {
  const allNull = b.nullCount !== null && b.numRecords !== null && b.nullCount >= b.numRecords && b.numRecords > 0
  if (filter.op === 'IS NULL') return b.nullCount === null || b.nullCount > 0
  if (filter.op === 'IS NOT NULL') return !allNull
  if (allNull) return false
  const values = filter.op === 'IN' ? (Array.isArray(filter.value) ? filter.value : [filter.value as Scalar]) : [filter.value as Scalar]
  return values.some((raw) => {
    const target = toComparable(raw, type)
    if (target === null) return true
    return rangeMayMatch(b, filter.op === 'IN' ? '=' : filter.op, target)
  })
}

/**
 * The files that may hold a row matching every filter (a conjunction). A file is dropped only when its partition
 * values or its stats (min/max/nullCount/numRecords) prove no row can match; missing or unparsable stats keep it.
 * Under column mapping, stats and partition values are looked up by physical name. Column names may be dotted paths
 * into structs and match case-insensitively. Comparisons follow SQL: a comparison never matches NULL.
 * @throws DeltaError INVALID_ARGUMENT for an unknown column, or a comparison with a null value (use IS NULL).
 */
export function pruneFiles(snapshot: Snapshot, filters: PruneFilter[]): AddFile[] {
  const mode = columnMappingMode(snapshot.metadata)
  const partitionLower = new Set(snapshot.partitionColumns.map((c) => c.toLowerCase()))
  const resolved = filters.map((filter) => {
    const target = resolveField(snapshot, filter.column)
    const needsValue = filter.op !== 'IS NULL' && filter.op !== 'IS NOT NULL'
    if (needsValue && (filter.value === null || filter.value === undefined || (Array.isArray(filter.value) && filter.value.length === 0))) {
      throw new DeltaError('INVALID_ARGUMENT', `filter ${filter.column} ${filter.op} needs a value; use IS NULL / IS NOT NULL for nulls`, { filter })
    }
    const isPartition = target.path.length === 1 && partitionLower.has(target.field.name.toLowerCase())
    return { filter, target, isPartition }
  })
  return snapshot.files.filter((add) =>
    resolved.every(({ filter, target, isPartition }) => fileMayMatch(boundsOf(add, target, mode, isPartition), filter, target.field.type))
  )
}
