// Mergeable aggregates: per-batch partial columns, how partials merge with state, and the final values emitted.
import { sqlIdent } from '../../delta/parquetPort'
import { EventTimeError } from './eventTimeError'

export type AggregateFunction = 'count' | 'sum' | 'min' | 'max' | 'avg'

/** One output aggregate: `fn(column) AS as`; `count` without a column is count(*). */
export interface AggregateSpec {
  fn: AggregateFunction
  column?: string
  as: string
}

interface Partial { name: string; of: string; merge: string }

/**
 * Partial aggregates are what state keeps per window: count and sum merge by sum, min by min, max by max, avg is kept as
 * (sum, count) and divided at emission, the way Spark's Average keeps sum and count buffers so late rows can be merged in.
 */
function partialsOf(spec: AggregateSpec, index: number): Partial[] {
  const col = spec.column === undefined ? null : sqlIdent(spec.column)
  const p = (suffix: string) => `_et_a${index}_${suffix}`
  switch (spec.fn) {
    case 'count': return [{ name: p('n'), of: col ? `count(${col})` : 'count(*)', merge: 'sum' }]
    case 'sum': return [{ name: p('s'), of: `sum(${need(spec)})`, merge: 'sum' }]
    case 'min': return [{ name: p('m'), of: `min(${need(spec)})`, merge: 'min' }]
    case 'max': return [{ name: p('x'), of: `max(${need(spec)})`, merge: 'max' }]
    case 'avg': return [{ name: p('s'), of: `sum(${need(spec)})`, merge: 'sum' }, { name: p('n'), of: `count(${need(spec)})`, merge: 'sum' }]
    default: throw new EventTimeError('UNSUPPORTED_OPERATION', `unknown aggregate function '${String((spec as AggregateSpec).fn)}' for '${spec.as}'`)
  }
}

function need(spec: AggregateSpec): string {
  if (spec.column === undefined) throw new EventTimeError('UNSUPPORTED_OPERATION', `${spec.fn} needs a column (aggregate '${spec.as}')`)
  return sqlIdent(spec.column)
}

/** SQL select items computing the partials of `specs` over input rows (used with GROUP BY keys and window). */
export function partialSelect(specs: AggregateSpec[]): string {
  return specs.flatMap(partialsOf).map((p) => `${p.of} AS ${sqlIdent(p.name)}`).join(', ')
}

/** SQL select items merging partial columns of several rows of the same group into one. Counts stay BIGINT. */
export function mergeSelect(specs: AggregateSpec[]): string {
  return specs.flatMap(partialsOf).map((p) => {
    const merged = `${p.merge}(${sqlIdent(p.name)})`
    return `${p.name.endsWith('_n') ? `${merged}::BIGINT` : merged} AS ${sqlIdent(p.name)}`
  }).join(', ')
}

/** SQL select items turning partial columns into the output aggregates named `spec.as` (avg as DOUBLE, NULL over no rows). */
export function finalSelect(specs: AggregateSpec[]): string {
  return specs.map((spec, index) => {
    const [first, second] = partialsOf(spec, index)
    const value = spec.fn === 'avg'
      ? `(${sqlIdent(first!.name)})::DOUBLE / NULLIF(${sqlIdent(second!.name)}, 0)`
      : sqlIdent(first!.name)
    return `${value} AS ${sqlIdent(spec.as)}`
  }).join(', ')
}

/** Checks the aggregate list up front so a bad spec fails at construction, not mid-stream. @throws EventTimeError UNSUPPORTED_OPERATION. */
export function validateAggregates(specs: AggregateSpec[]): void {
  if (specs.length === 0) throw new EventTimeError('UNSUPPORTED_OPERATION', 'a windowed aggregation needs at least one aggregate')
  const names = new Set<string>()
  specs.forEach((spec, i) => {
    partialsOf(spec, i)
    if (names.has(spec.as)) throw new EventTimeError('UNSUPPORTED_OPERATION', `aggregate output name '${spec.as}' is used twice`)
    names.add(spec.as)
  })
}
