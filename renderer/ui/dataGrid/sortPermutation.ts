// sortPermutation: the row order of an Arrow table sorted by one column, as an index array (the rows are never copied).
import { DataType, type Table } from 'apache-arrow'

export type SortDirection = 'asc' | 'desc'

export interface SortSpec {
  column: number
  direction: SortDirection
}

/** The next state of a header click: none → ascending → descending → none (another column starts at ascending). */
export function nextSort(current: SortSpec | null, column: number): SortSpec | null {
  if (!current || current.column !== column) return { column, direction: 'asc' }
  return current.direction === 'asc' ? { column, direction: 'desc' } : null
}

/** How a column's values compare: numbers (ints, floats, decimals sent as exact text), instants, booleans or text. */
type KeyKind = 'number' | 'bigint' | 'text'

/** The engine sends decimals as exact decimal text; they still sort as numbers. */
const ENCODING_KEY = 'lakebench.encoding'

function keyKind(table: Table, column: number): KeyKind {
  const field = table.schema.fields[column]!
  const type = field.type
  if (DataType.isInt(type) && type.bitWidth === 64) return 'bigint'
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDate(type) || DataType.isTimestamp(type) || DataType.isTime(type) || DataType.isBool(type) || DataType.isDecimal(type)) return 'number'
  if (field.metadata.get(ENCODING_KEY) === 'decimal-string') return 'number'
  return 'text'
}

/**
 * Row indices of `table` ordered by `column`: numbers and instants numerically (Int64 exactly, as bigint), decimals by
 * value, booleans false < true, text by UTF-16 code units (fast and locale-free, like Spark's binary string order).
 * NULLs (and NaN) go last in both directions. Equal keys keep their original order (the sort is stable), so
 * ascending then descending is not simply a reversal when there are ties.
 * Cost: one pass reading the column into a key array, then an index sort; no row is copied.
 * @throws RangeError when `column` is not a column of `table`.
 */
export function sortPermutation(table: Table, column: number, direction: SortDirection): Uint32Array {
  const vector = table.getChildAt(column)
  if (!vector) throw new RangeError(`Column ${column} does not exist (the table has ${table.numCols} columns)`)
  const rowCount = table.numRows
  const kind = keyKind(table, column)
  const sign = direction === 'asc' ? 1 : -1
  const present: number[] = []
  const missing: number[] = []
  let compare: (a: number, b: number) => number
  if (kind === 'number') {
    const keys = new Float64Array(rowCount)
    for (let row = 0; row < rowCount; row++) {
      const value = vector.get(row)
      const key = value === null || value === undefined ? NaN : Number(value)
      keys[row] = key
      ;(Number.isNaN(key) ? missing : present).push(row)
    }
    compare = (a, b) => sign * (keys[a]! - keys[b]!) || a - b
  } else if (kind === 'bigint') {
    const keys = new BigInt64Array(rowCount)
    for (let row = 0; row < rowCount; row++) {
      const value = vector.get(row) as bigint | null
      if (value === null || value === undefined) missing.push(row)
      else {
        keys[row] = BigInt(value)
        present.push(row)
      }
    }
    compare = (a, b) => (keys[a]! < keys[b]! ? -sign : keys[a]! > keys[b]! ? sign : a - b)
  } else {
    const keys: string[] = new Array<string>(rowCount)
    for (let row = 0; row < rowCount; row++) {
      const value = vector.get(row)
      if (value === null || value === undefined) missing.push(row)
      else {
        keys[row] = typeof value === 'string' ? value : textKey(value)
        present.push(row)
      }
    }
    compare = (a, b) => (keys[a]! < keys[b]! ? -sign : keys[a]! > keys[b]! ? sign : a - b)
  }
  const order = new Uint32Array(rowCount)
  order.set(Uint32Array.from(present).sort(compare))
  order.set(missing, present.length)
  return order
}

function textKey(value: unknown): string {
  if (value instanceof Uint8Array) return Array.from(value, (b) => String.fromCharCode(b)).join('')
  if (typeof value === 'object' && value !== null && 'toJSON' in value && typeof value.toJSON === 'function') {
    return JSON.stringify(value.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  }
  return String(value)
}
