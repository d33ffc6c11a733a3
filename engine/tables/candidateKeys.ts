// candidateKeys: which columns, alone or in pairs, identify a row of a table version (unique and never null).
import type { ParquetPort } from '../delta/parquetPort'
import { type ProfiledColumn, isScalar, toNumber } from './profileColumns'

/** Columns (the most distinct first) that the pair search combines; 8 columns give at most 28 pairs in one scan. */
export const MAX_PAIR_COLUMNS = 8

/** Column names that usually identify something: id, user_id, orderKey, ... */
const ID_LIKE = /(^|_)(id|key)$|[a-z](Id|Key)$/

/** What the first profile pass learnt about a column, as the key search needs it. */
export interface KeyFacts {
  column: ProfiledColumn
  nulls: number
  distinct: number | null
  distinctExact: boolean
}

export interface CandidateKeys {
  keys: string[][]
  pairColumns: string[]
  pairsChecked: number
  exhaustive: boolean
}

/**
 * Single columns with no nulls and as many distinct values as rows (schema order), then pairs of non-key columns whose
 * combined values are distinct on every row (those with an id-like column first, then schema order). Approximate distinct counts are confirmed exactly (they only nominate), and a pair
 * is counted only when the product of its columns' distinct counts could reach `rows`. All exact counts run in one
 * scan of `source`. An empty table has no candidate keys.
 * @throws whatever DuckDB raises reading the source.
 */
export async function candidateKeys(port: ParquetPort, source: string, rows: number, facts: readonly KeyFacts[]): Promise<CandidateKeys> {
  const none: CandidateKeys = { keys: [], pairColumns: [], pairsChecked: 0, exhaustive: true }
  if (rows === 0) return none
  const eligible = facts.filter((f) => isScalar(f.column) && f.nulls === 0 && f.distinct !== null)
  const singles = eligible.filter((f) => f.distinctExact && f.distinct === rows)
  // approx_count_distinct can be several percent off on millions of rows: an estimate within 20 % of `rows` may be a
  // key, and is checked exactly below.
  const toConfirm = eligible.filter((f) => !f.distinctExact && f.distinct! >= rows * 0.8)
  // Unconfirmed estimates are paired too (in the same scan); pairs holding one that proves a key alone are dropped after.
  const rest = eligible.filter((f) => !singles.includes(f) && f.distinct! >= 2)
  const pairColumns = [...rest].sort((a, b) => b.distinct! - a.distinct! || a.column.index - b.column.index).slice(0, MAX_PAIR_COLUMNS)
  pairColumns.sort((a, b) => a.column.index - b.column.index)
  const pairs: [KeyFacts, KeyFacts][] = []
  for (let i = 0; i < pairColumns.length; i++) {
    for (let j = i + 1; j < pairColumns.length; j++) {
      const [a, b] = [pairColumns[i]!, pairColumns[j]!]
      if (a.distinct! * b.distinct! >= rows) pairs.push([a, b])
    }
  }

  const confirmed: KeyFacts[] = []
  const pairKeys: string[][] = []
  if (toConfirm.length + pairs.length > 0) {
    const select = [
      ...toConfirm.map((f, i) => `count(DISTINCT ${f.column.ref}) AS s${i}`),
      ...pairs.map(([a, b], i) => `count(DISTINCT (${a.column.ref}, ${b.column.ref})) AS p${i}`)
    ]
    const [row = {}] = await port.query(`SELECT ${select.join(', ')} FROM ${source}`)
    toConfirm.forEach((f, i) => toNumber(row[`s${i}`]) === rows && confirmed.push(f))
    pairs.forEach(([a, b], i) => toNumber(row[`p${i}`]) === rows && !confirmed.includes(a) && !confirmed.includes(b) && pairKeys.push([a.column.name, b.column.name]))
  }
  const singleKeys = [...singles, ...confirmed].sort((a, b) => a.column.index - b.column.index).map((f) => [f.column.name])
  // Small tables have many accidental unique pairs; those holding an identifier-like column are listed first.
  const idLike = (key: string[]) => (key.some((name) => ID_LIKE.test(name)) ? 0 : 1)
  const rankedPairs = pairKeys.map((key, order) => ({ key, order })).sort((a, b) => idLike(a.key) - idLike(b.key) || a.order - b.order).map((p) => p.key)
  return {
    keys: [...singleKeys, ...rankedPairs],
    pairColumns: pairColumns.map((f) => f.column.name),
    pairsChecked: pairs.length,
    exhaustive: rest.length <= MAX_PAIR_COLUMNS
  }
}
