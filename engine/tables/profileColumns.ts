// profileColumns: how each column of a Delta schema is profiled (its kind and the SQL expressions the profile queries use).
import type { ProfileColumnKind } from '../api/tablesApi'
import { sqlIdent } from '../delta/parquetPort'
import { isArray, isMap, isStruct, type StructField } from '../delta/schema'
import { sparkTypeName } from '../sql/dialect/sparkTypes'

/** A column as the profile queries see it: its position (used in SQL aliases), kind and value expressions. */
export interface ProfiledColumn {
  index: number
  name: string
  /** Spark type text. */
  type: string
  kind: ProfileColumnKind
  /** Integral numbers (byte … long) get unit-width histogram bins when their range is small. */
  integral: boolean
  /** The quoted column. */
  ref: string
  /** A DOUBLE the numeric and temporal statistics work on (epoch seconds for dates and timestamps); null for other kinds. */
  number: string | null
}

const INTEGRAL = new Set(['byte', 'short', 'integer', 'long'])
const FRACTIONAL = new Set(['float', 'double'])
const TEMPORAL = new Set(['date', 'timestamp', 'timestamp_ntz'])

/** The kind of a Delta type: struct/array/map are nested; binary, variant and unknown names are `other`. */
export function profileKindOf(field: StructField): ProfileColumnKind {
  const t = field.type
  if (isStruct(t) || isArray(t) || isMap(t)) return 'nested'
  if (typeof t !== 'string') return 'other'
  if (INTEGRAL.has(t) || FRACTIONAL.has(t) || t.startsWith('decimal')) return 'numeric'
  if (t === 'string') return 'string'
  if (TEMPORAL.has(t)) return 'temporal'
  if (t === 'boolean') return 'boolean'
  return 'other'
}

/** The schema's top-level columns, in schema order, ready for the profile queries. */
export function profiledColumns(fields: readonly StructField[]): ProfiledColumn[] {
  return fields.map((field, index) => {
    const kind = profileKindOf(field)
    const ref = sqlIdent(field.name)
    const number = kind === 'numeric' ? `CAST(${ref} AS DOUBLE)` : kind === 'temporal' ? `CAST(epoch(${ref}) AS DOUBLE)` : null
    return { index, name: field.name, type: sparkTypeName(field.type), kind, integral: typeof field.type === 'string' && INTEGRAL.has(field.type), ref, number }
  })
}

/** Columns whose values can be compared, counted distinct and grouped (everything but nested and `other`). */
export function isScalar(column: ProfiledColumn): boolean {
  return column.kind !== 'nested' && column.kind !== 'other'
}

/** `v` (BIGINT as bigint, DOUBLE, HUGEINT, null) as a JS number; null stays null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const n = typeof value === 'bigint' ? Number(value) : Number(value)
  return Number.isFinite(n) ? n : null
}

/** Longest text a profile repeats back for one value (min, max, top values, outlier examples). */
export const MAX_VALUE_TEXT = 200

/** `expr` printed as SQL prints it, cut to MAX_VALUE_TEXT characters. */
export function valueText(expr: string): string {
  return `left(CAST(${expr} AS VARCHAR), ${MAX_VALUE_TEXT})`
}

/**
 * A value of `column` (the SQL `expr`) as the profile prints it: zoned timestamps in UTC wall-clock time without the
 * "+00" suffix (the session's time zone is UTC), everything else as SQL prints it; cut to MAX_VALUE_TEXT.
 */
export function columnText(column: ProfiledColumn, expr: string): string {
  return column.type === 'timestamp' ? valueText(`CAST(${expr} AS TIMESTAMP)`) : valueText(expr)
}
