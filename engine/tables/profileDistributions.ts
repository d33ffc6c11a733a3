// profileDistributions: the value-distribution parts of a profile: top values (one GROUPING SETS scan) and histograms with IQR outliers (one scan).
import type { ProfileHistogram, ProfileOutliers } from '../api/tablesApi'
import type { ParquetPort } from '../delta/parquetPort'
import { type ProfiledColumn, columnText, toNumber } from './profileColumns'

/** Most frequent values reported per column. */
export const TOP_VALUES = 5
/** Bins of a histogram, unless an integral column's range is smaller (then one bin per integer). */
export const HISTOGRAM_BINS = 20
/** Lowest and highest outliers kept as examples (each side). */
const OUTLIER_EXAMPLES = 3

/**
 * The TOP_VALUES most frequent non-null values of each of `columns`, counted in a single scan of `source` with one
 * grouping set per column; ties are broken by the value's text so the answer is stable.
 * @throws whatever DuckDB raises reading the source (the caller converts it).
 */
export async function topValues(port: ParquetPort, source: string, columns: readonly ProfiledColumn[]): Promise<Map<number, { value: string; count: number }[]>> {
  const out = new Map<number, { value: string; count: number }[]>(columns.map((c) => [c.index, []]))
  if (columns.length === 0) return out
  const which = `CASE ${columns.map((c) => `WHEN GROUPING(${c.ref}) = 0 THEN ${c.index}`).join(' ')} END`
  const value = `CASE ${columns.map((c) => `WHEN GROUPING(${c.ref}) = 0 THEN ${columnText(c, c.ref)}`).join(' ')} END`
  const sets = columns.map((c) => `(${c.ref})`).join(', ')
  const rows = await port.query(`
    SELECT col, value, n FROM (
      SELECT col, value, n, row_number() OVER (PARTITION BY col ORDER BY n DESC, value) AS rank
      FROM (SELECT ${which} AS col, ${value} AS value, count(*) AS n FROM ${source} GROUP BY GROUPING SETS (${sets})) AS grouped
      WHERE value IS NOT NULL
    ) AS ranked
    WHERE rank <= ${TOP_VALUES}
    ORDER BY col, rank`)
  for (const row of rows) out.get(Number(row.col))?.push({ value: String(row.value), count: toNumber(row.n) ?? 0 })
  return out
}

/** What the histogram/outlier scan needs from the first pass: a numeric/temporal column's range and quartiles. */
export interface DistributionInput {
  column: ProfiledColumn
  /** Smallest and largest finite value of `column.number`. */
  low: number
  high: number
  /** Numeric columns only: q1 and q3, for the IQR fences. */
  quartiles: { q1: number; q3: number } | null
}

export interface Distribution {
  histogram: ProfileHistogram
  outliers: ProfileOutliers | null
}

/**
 * Bin layout over [low, high]. Discrete columns (integers, step 1; dates, step 86400 s) get bins a whole number of
 * steps wide, so no bin straddles a value and a small range gets one bin per value; others HISTOGRAM_BINS equal bins.
 */
export function binLayout(low: number, high: number, step: number | null): { bins: number; width: number; discrete: boolean } {
  const span = high - low
  if (span === 0) return { bins: 1, width: 0, discrete: false }
  if (step !== null) {
    const values = Math.round(span / step) + 1
    const perBin = Math.ceil(values / HISTOGRAM_BINS)
    return { bins: Math.ceil(values / perBin), width: perBin * step, discrete: true }
  }
  return { bins: HISTOGRAM_BINS, width: span / HISTOGRAM_BINS, discrete: false }
}

/** Bin i's edges: [lower, upper) with a continuous histogram's last bin closed at `high`. */
function binEdges(low: number, high: number, layout: { bins: number; width: number; discrete: boolean }, i: number): { lower: number; upper: number } {
  const lower = low + i * layout.width
  if (layout.discrete) return { lower, upper: lower + layout.width }
  return { lower, upper: i === layout.bins - 1 ? high : low + (i + 1) * layout.width }
}

const literal = (n: number) => `CAST(${String(n)} AS DOUBLE)`

/**
 * Histograms (numeric and temporal columns) and IQR outliers (numeric columns) in one scan of `source`. A value falls in
 * bin floor((x − low) / width), the maximum in the last bin. Non-finite floating values are left out of both.
 * @throws whatever DuckDB raises reading the source.
 */
export async function distributions(port: ParquetPort, source: string, inputs: readonly DistributionInput[]): Promise<Map<number, Distribution>> {
  const out = new Map<number, Distribution>()
  if (inputs.length === 0) return out
  const select: string[] = []
  const layouts = new Map<number, ReturnType<typeof binLayout>>()
  for (const input of inputs) {
    const { index, number, ref } = input.column
    const x = number!
    const step = input.column.integral ? 1 : input.column.type === 'date' ? 86_400 : null
    const layout = binLayout(input.low, input.high, step)
    layouts.set(index, layout)
    const bin = layout.width === 0 ? '0' : `LEAST(CAST(floor((${x} - ${literal(input.low)}) / ${literal(layout.width)}) AS BIGINT), ${layout.bins - 1})`
    select.push(`histogram(${bin}) FILTER (WHERE isfinite(${x})) AS h${index}`)
    if (input.quartiles) {
      const { lower, upper } = fences(input.quartiles)
      const below = `isfinite(${x}) AND ${x} < ${literal(lower)}`
      const above = `isfinite(${x}) AND ${x} > ${literal(upper)}`
      select.push(`count(*) FILTER (WHERE ${below} OR ${above}) AS o${index}`)
      select.push(`list_transform(min(${ref}, ${OUTLIER_EXAMPLES}) FILTER (WHERE ${below}), v -> ${columnText(input.column, 'v')}) AS lo${index}`)
      select.push(`list_transform(max(${ref}, ${OUTLIER_EXAMPLES}) FILTER (WHERE ${above}), v -> ${columnText(input.column, 'v')}) AS hi${index}`)
    }
  }
  const [row = {}] = await port.query(`SELECT ${select.join(', ')} FROM ${source}`)
  for (const input of inputs) {
    const { index, kind, type } = input.column
    const layout = layouts.get(index)!
    const counts = new Array<number>(layout.bins).fill(0)
    for (const entry of mapEntries(row[`h${index}`])) {
      const bin = toNumber(entry.key)
      if (bin !== null && bin >= 0 && bin < layout.bins) counts[bin] = toNumber(entry.value) ?? 0
    }
    const bins = counts.map((count, i) => ({ ...binEdges(input.low, input.high, layout, i), count }))
    const scale = kind === 'temporal' ? (type === 'date' ? 'date' : 'timestamp') : 'number'
    let outliers: ProfileOutliers | null = null
    if (input.quartiles) {
      const { lower, upper } = fences(input.quartiles)
      const examples = [...texts(row[`lo${index}`]), ...texts(row[`hi${index}`]).reverse()]
      outliers = { count: toNumber(row[`o${index}`]) ?? 0, lowerFence: lower, upperFence: upper, examples }
    }
    out.set(index, { histogram: { scale, bins }, outliers })
  }
  return out
}

/** Tukey's fences: q1 − 1.5×IQR and q3 + 1.5×IQR. */
export function fences({ q1, q3 }: { q1: number; q3: number }): { lower: number; upper: number } {
  const iqr = q3 - q1
  return { lower: q1 - 1.5 * iqr, upper: q3 + 1.5 * iqr }
}

/** DuckDB MAP values arrive as [{key, value}] from getRowObjectsJS; anything else counts as empty. */
function mapEntries(value: unknown): { key: unknown; value: unknown }[] {
  return Array.isArray(value) ? (value as { key: unknown; value: unknown }[]) : []
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => v !== null).map(String) : []
}
