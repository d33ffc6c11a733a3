// profile: a table version's column statistics and candidate keys, computed by DuckDB over the version's data files in a few scans.
import type { ColumnProfile, TableProfile } from '../api/tablesApi'
import type { DeltaTable } from '../delta/deltaTable'
import type { ParquetPort } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import { candidateKeys } from './candidateKeys'
import { type DistributionInput, distributions, topValues } from './profileDistributions'
import { type ProfiledColumn, columnText, isScalar, profiledColumns, toNumber } from './profileColumns'
import { rowsOfFiles } from './versionInfo'

/** Tables with more rows than this get approx_count_distinct (HyperLogLog) instead of exact distinct counts. */
export const EXACT_DISTINCT_LIMIT = 2_000_000

export interface ProfileOptions {
  /** Overrides EXACT_DISTINCT_LIMIT (tests use a small one to exercise the approximate path). */
  exactDistinctLimit?: number
}

/**
 * Profiles `table` at `version` (the latest when undefined), naming it `qualified` in the result. The scans, in order:
 * (1) counts, nulls, distinct, min/max, moments, quartiles and string lengths of every column; (2) the top values of
 * every scalar column that is not all-distinct (one GROUPING SETS query); (3) histograms of numeric and temporal
 * columns and IQR outliers of numeric ones; (4) exact distinct counts confirming candidate keys. Nested, binary and
 * variant columns get counts and nulls only.
 * @throws DeltaError VERSION_NOT_FOUND and the scan's errors (UNSUPPORTED_FEATURE, CORRUPT_LOG, DATA_FILE_MISSING, ...);
 *   DuckDB errors reading the files pass through for the caller to convert.
 */
export async function profileTable(table: DeltaTable, port: ParquetPort, qualified: string, version: number | undefined, options: ProfileOptions = {}): Promise<TableProfile> {
  const started = performance.now()
  const snapshot = await table.snapshot(version === undefined ? undefined : { version })
  const exactDistinctLimit = options.exactDistinctLimit ?? EXACT_DISTINCT_LIMIT
  const source = `(${await scanSql(snapshot, port)}) AS src`
  const columns = profiledColumns(snapshot.schema.fields)

  // The log's row count decides exact vs approximate distinct before scanning; without it, count first (cheap: metadata).
  const loggedRows = rowsOfFiles(snapshot.files)
  const expectedRows = loggedRows ?? toNumber((await port.query(`SELECT count(*) AS n FROM ${source}`))[0]?.n) ?? 0
  const distinctExact = expectedRows <= exactDistinctLimit

  const [first = {}] = await port.query(`SELECT count(*) AS __rows, ${columns.flatMap((c) => statsSelect(c, distinctExact)).join(', ')} FROM ${source}`)
  const rows = toNumber(first.__rows) ?? 0
  const profiles = columns.map((c) => columnStats(c, first, rows, distinctExact))

  // All-distinct columns have no "top" values (every count is 1), and grouping them is the costliest part of scan 2.
  const grouped = columns.filter((c, i) => isScalar(c) && profiles[i]!.count > 0 && (profiles[i]!.distinct ?? 0) < profiles[i]!.count)
  const tops = await topValues(port, source, grouped)
  for (const [index, values] of tops) profiles[index]!.topValues = values

  const inputs: DistributionInput[] = []
  for (const c of columns) {
    const low = toNumber(first[`lo${c.index}`])
    const high = toNumber(first[`hi${c.index}`])
    if (c.number === null || low === null || high === null) continue
    const q = profiles[c.index]!.quartiles
    inputs.push({ column: c, low, high, quartiles: c.kind === 'numeric' && q ? { q1: q[0], q3: q[2] } : null })
  }
  for (const [index, d] of await distributions(port, source, inputs)) Object.assign(profiles[index]!, d)

  const keys = await candidateKeys(
    port,
    source,
    rows,
    columns.map((c, i) => ({ column: c, nulls: profiles[i]!.nulls, distinct: profiles[i]!.distinct, distinctExact: profiles[i]!.distinctExact }))
  )
  return {
    table: qualified,
    version: snapshot.version,
    rows,
    columns: profiles,
    candidateKeys: keys.keys,
    keySearch: { pairColumns: keys.pairColumns, pairsChecked: keys.pairsChecked, exhaustive: keys.exhaustive },
    exactDistinctLimit,
    elapsedMs: performance.now() - started
  }
}

/** Scan 1's select items for one column, aliased by the column's index. */
function statsSelect(c: ProfiledColumn, distinctExact: boolean): string[] {
  const i = c.index
  const items = [`count(${c.ref}) AS n${i}`]
  if (!isScalar(c)) return items
  items.push(distinctExact ? `count(DISTINCT ${c.ref}) AS d${i}` : `approx_count_distinct(${c.ref}) AS d${i}`)
  items.push(`${columnText(c, `min(${c.ref})`)} AS mn${i}`, `${columnText(c, `max(${c.ref})`)} AS mx${i}`)
  if (c.number !== null) {
    // NaN and ±infinity would poison means, quartiles and bin widths; they still count as values above.
    const finite = `FILTER (WHERE isfinite(${c.number}))`
    items.push(`min(${c.number}) ${finite} AS lo${i}`, `max(${c.number}) ${finite} AS hi${i}`)
    if (c.kind === 'numeric') {
      items.push(`avg(${c.number}) ${finite} AS avg${i}`, `stddev_samp(${c.number}) ${finite} AS sd${i}`)
      items.push(`quantile_cont(${c.number}, [0.25, 0.5, 0.75]) ${finite} AS q${i}`)
    }
  }
  if (c.kind === 'string') items.push(`min(length(${c.ref})) AS ln${i}`, `max(length(${c.ref})) AS lx${i}`)
  return items
}

function columnStats(c: ProfiledColumn, row: Record<string, unknown>, rows: number, distinctExact: boolean): ColumnProfile {
  const i = c.index
  const count = toNumber(row[`n${i}`]) ?? 0
  const nulls = rows - count
  const text = (key: string) => (row[key] === null || row[key] === undefined ? null : String(row[key]))
  const quartiles = Array.isArray(row[`q${i}`]) ? (row[`q${i}`] as unknown[]).map(toNumber) : null
  const distinct = isScalar(c) ? toNumber(row[`d${i}`]) ?? 0 : null
  return {
    name: c.name,
    type: c.type,
    kind: c.kind,
    count,
    nulls,
    nullPercent: rows === 0 ? 0 : (100 * nulls) / rows,
    // An estimate can overshoot the number of values; it never makes sense to show more distinct values than values.
    distinct: distinct === null ? null : Math.min(distinct, count),
    distinctExact: isScalar(c) ? distinctExact : true,
    min: text(`mn${i}`),
    max: text(`mx${i}`),
    mean: toNumber(row[`avg${i}`]),
    stddev: toNumber(row[`sd${i}`]),
    quartiles: quartiles && quartiles.every((q) => q !== null) ? (quartiles as [number, number, number]) : null,
    minLength: toNumber(row[`ln${i}`]),
    maxLength: toNumber(row[`lx${i}`]),
    topValues: [],
    outliers: null,
    histogram: null
  }
}
