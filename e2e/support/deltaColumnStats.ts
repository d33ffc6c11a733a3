// deltaColumnStats: per-column nulls and distinct counts of a table version, and whether a column set is a key, computed
// with DuckDB straight over the version's parquet files (independently of the engine under test).
import { DuckDBInstance } from '@duckdb/node-api'
import { liveFiles } from './deltaDiffCounts'

export interface ColumnStats {
  rows: number
  /** column -> null count and exact distinct count, for the columns asked for. */
  columns: Record<string, { nulls: number; distinct: number }>
  /** Whether each given column set is unique and never null, keyed by the names joined with ", ". */
  keys: Record<string, boolean>
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * Counts over the live files of `tableDir` at `version` (unpartitioned tables without deletion vectors; liveFiles
 * throws naming the file otherwise). Throws naming the table and version when the version has no live files.
 */
export async function deltaColumnStats(tableDir: string, version: number, columns: string[], keys: string[][]): Promise<ColumnStats> {
  const files = await liveFiles(tableDir, version)
  if (files.length === 0) throw new Error(`${tableDir} has no live files at version ${version}`)
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    await connection.run(`CREATE TABLE v AS SELECT * FROM read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}])`)
    const select = [
      'count(*) AS "rows"',
      ...columns.flatMap((c, i) => [`count(*) - count(${q(c)}) AS n${i}`, `count(DISTINCT ${q(c)}) AS d${i}`]),
      ...keys.map((key, i) => `(SELECT count(*) FROM (SELECT DISTINCT ${key.map(q).join(', ')} FROM v) AS d) = count(*) AND count(*) FILTER (WHERE ${key.map((k) => `${q(k)} IS NULL`).join(' OR ')}) = 0 AS k${i}`)
    ]
    const [row] = (await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM v`)).getRowObjectsJS() as Record<string, unknown>[]
    return {
      rows: Number(row!.rows),
      columns: Object.fromEntries(columns.map((c, i) => [c, { nulls: Number(row![`n${i}`]), distinct: Number(row![`d${i}`]) }])),
      keys: Object.fromEntries(keys.map((key, i) => [key.join(', '), row![`k${i}`] === true]))
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
