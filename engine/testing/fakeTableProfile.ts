// The fake engine's tables.profile, cancelProfile and summaries: the same statistics computed in memory over its versions.
import type { ColumnProfile, TablesApi } from '../api/tablesApi'
import type { FakeColumns, FakeTable } from './fakeEngine'

type ProfileMethods = Pick<TablesApi, 'profile' | 'cancelProfile' | 'summaries'>

/** quantile_cont: linear interpolation between the closest ranks of the sorted values. */
function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.ceil(position)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

function columnProfile(name: string, values: FakeColumns[string], integral: boolean): ColumnProfile {
  const numeric = typeof values[0] !== 'string'
  const texts = (values as unknown[]).map(String)
  const counts = new Map<string, number>()
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1)
  const distinct = counts.size
  const top = distinct === values.length ? [] : [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([value, count]) => ({ value, count }))
  const base: ColumnProfile = {
    name, type: numeric ? (integral ? 'bigint' : 'int') : 'string', kind: numeric ? 'numeric' : 'string', count: values.length, nulls: 0, nullPercent: 0,
    distinct, distinctExact: true, min: null, max: null, mean: null, stddev: null, quartiles: null, minLength: null, maxLength: null, topValues: top, outliers: null, histogram: null
  }
  if (values.length === 0) return base
  if (!numeric) {
    const sorted = [...texts].sort()
    const lengths = texts.map((t) => t.length)
    return { ...base, min: sorted[0]!, max: sorted[sorted.length - 1]!, minLength: Math.min(...lengths), maxLength: Math.max(...lengths) }
  }
  const numbers = (values as (number | bigint)[]).map(Number).sort((a, b) => a - b)
  const mean = numbers.reduce((s, n) => s + n, 0) / numbers.length
  const stddev = numbers.length > 1 ? Math.sqrt(numbers.reduce((s, n) => s + (n - mean) ** 2, 0) / (numbers.length - 1)) : null
  const quartiles: [number, number, number] = [quantile(numbers, 0.25), quantile(numbers, 0.5), quantile(numbers, 0.75)]
  const iqr = quartiles[2] - quartiles[0]
  const [lowerFence, upperFence] = [quartiles[0] - 1.5 * iqr, quartiles[2] + 1.5 * iqr]
  const outlying = numbers.filter((n) => n < lowerFence || n > upperFence)
  const [low, high] = [numbers[0]!, numbers[numbers.length - 1]!]
  const bins = high === low ? 1 : high - low < 20 ? high - low + 1 : 20
  const width = high === low ? 0 : high - low < 20 ? 1 : (high - low) / 20
  const histogram = Array.from({ length: bins }, (_, i) => ({ lower: low + i * width, upper: width === 1 ? low + i + 1 : i === bins - 1 ? high : low + (i + 1) * width, count: 0 }))
  for (const n of numbers) histogram[width === 0 ? 0 : Math.min(Math.floor((n - low) / width), bins - 1)]!.count++
  return {
    ...base, min: String(low), max: String(high), mean, stddev, quartiles,
    outliers: { count: outlying.length, lowerFence, upperFence, examples: outlying.map(String) }, histogram: { scale: 'number', bins: histogram }
  }
}

/** Unique single columns, then unique pairs of the other columns (the fake's data has no nulls). */
function keysOf(columns: FakeColumns, rows: number): string[][] {
  if (rows === 0) return []
  const names = Object.keys(columns)
  const uniqueOver = (cols: string[]) => new Set(Array.from({ length: rows }, (_, i) => cols.map((c) => String(columns[c]![i])).join('\u0000'))).size === rows
  const singles = names.filter((c) => uniqueOver([c]))
  const rest = names.filter((c) => !singles.includes(c))
  const pairs = rest.flatMap((a, i) => rest.slice(i + 1).map((b) => [a, b])).filter(uniqueOver)
  return [...singles.map((c) => [c]), ...pairs]
}

/**
 * profile and summaries over the fake's in-memory tables: every statistic exact, sizes as fakeTableBrowser reports
 * them (1024 + 64 × rows bytes in one file), versions dated 2026-01-01 + N days.
 */
export function fakeTableProfile(
  find: (qualified: string) => FakeTable,
  versionOf: (table: FakeTable, version: number | undefined) => FakeColumns,
  record: (method: string, arg: unknown) => void,
  tables: () => FakeTable[]
): ProfileMethods {
  return {
    async profile(arg) {
      record('tables.profile', arg)
      const table = find(arg.table)
      const columns = versionOf(table, arg.version)
      const rows = Object.values(columns)[0]?.length ?? 0
      const profiles = Object.entries(columns).map(([name, values]) => columnProfile(name, values, typeof values[0] === 'bigint'))
      const names = Object.keys(columns)
      return {
        table: arg.table, version: arg.version ?? table.versions.length - 1, rows, columns: profiles, candidateKeys: keysOf(columns, rows),
        keySearch: { pairColumns: names, pairsChecked: (names.length * (names.length - 1)) / 2, exhaustive: true }, exactDistinctLimit: 2_000_000, elapsedMs: 0
      }
    },
    async cancelProfile() {
      // Fake profiles answer at once: there is never one to stop.
      record('tables.cancelProfile', undefined)
    },
    async summaries() {
      record('tables.summaries', undefined)
      return tables().map((t) => {
        const rows = Object.values(t.versions[t.versions.length - 1]!)[0]?.length ?? 0
        const version = t.versions.length - 1
        return { schema: t.schema, name: t.name, rows, sizeBytes: 1024 + 64 * rows, numFiles: 1, version, lastModified: Date.UTC(2026, 0, 1 + version) }
      })
    }
  }
}
