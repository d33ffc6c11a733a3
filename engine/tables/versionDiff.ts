// diff: row-level differences between two versions of a Delta table, matched by a key given or inferred, computed in DuckDB.
import { randomUUID } from 'node:crypto'
import { EngineError } from '../api/errors'
import type { VersionDiff } from '../api/tablesApi'
import type { DeltaTable } from '../delta/deltaTable'
import { sqlIdent, sqlString } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import type { DuckdbSession } from '../sql/duckdbSession'
import { queryArrow } from './arrowQuery'
import { describeColumns, schemaChanges } from './schemaChanges'

/** Rows returned when the caller gives no limit. */
export const DEFAULT_DIFF_LIMIT = 500

export interface DiffArgs {
  from: number
  to: number
  key?: string[]
  limit?: number
}

/** Key candidates in the order they are tried: `id`, `<table>_id`, then every other `*_id` column in schema order. */
export function keyCandidates(tableName: string, columns: readonly string[]): string[] {
  const lower = (c: string) => c.toLowerCase()
  const first = columns.filter((c) => lower(c) === 'id')
  const own = columns.filter((c) => lower(c) === `${lower(tableName)}_id`)
  const others = columns.filter((c) => lower(c).endsWith('_id') && !own.includes(c))
  return [...first, ...own, ...others]
}

/** Types that can be part of an inferred key: not floating point (rounding makes equality meaningless) and not nested. */
const KEYABLE_TYPE = /^(tinyint|smallint|int|bigint|decimal.*|string|date|timestamp|timestamp_ntz|boolean)$/

/** How many two-column keys inference tries at most: each try scans both versions once. */
export const MAX_COMPOSITE_KEY_TRIES = 24

/**
 * Key column sets in the order they are tried: each single candidate of keyCandidates, then two-column keys made of a
 * candidate and another keyable column in schema order (an SCD2 history is keyed by its id and `__START_AT`, a fact
 * table by `user_id` and a date), at most MAX_COMPOSITE_KEY_TRIES of them.
 */
export function keyCandidateSets(tableName: string, columns: readonly { name: string; type: string }[]): string[][] {
  const singles = keyCandidates(tableName, columns.map((c) => c.name))
  const keyable = columns.filter((c) => KEYABLE_TYPE.test(c.type)).map((c) => c.name)
  const pairs: string[][] = []
  for (const first of singles) {
    for (const second of keyable) {
      if (second === first || pairs.some((p) => p.includes(first) && p.includes(second))) continue
      if (pairs.length < MAX_COMPOSITE_KEY_TRIES) pairs.push([first, second])
    }
  }
  return [...singles.map((c) => [c]), ...pairs]
}

async function isUniqueNonNull(session: DuckdbSession, relations: string[], key: string[]): Promise<boolean> {
  const cols = key.map(sqlIdent).join(', ')
  const nonNull = key.map((c) => `${sqlIdent(c)} IS NOT NULL`).join(' AND ')
  for (const rel of relations) {
    const [row] = await session.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE ${nonNull}) AS nn, (SELECT count(*) FROM (SELECT DISTINCT ${cols} FROM ${rel})) AS d FROM ${rel}`
    )
    if (Number(row!.n) !== Number(row!.nn) || Number(row!.n) !== Number(row!.d)) return false
  }
  return true
}

/**
 * Compares version `from` with version `to` of `delta` (named `table`, `schema.name`). Rows are matched by `key`
 * (columns present in both versions), or by the first column set of keyCandidateSets that is unique and non-null in
 * both versions. A matched row is 'changed' when any column present in both versions differs (IS DISTINCT FROM, compared as
 * text when the column's type changed); columns added or removed show in schemaChanges, not as row changes. `rows` holds
 * the added, removed and changed rows (at most `limit`, default 500) ordered by change kind then key, in the
 * VersionDiff column layout; unchanged rows are only counted.
 * @throws EngineError DIFF_KEY_NOT_FOUND when no key was given and none could be inferred (naming the candidates
 *   tried), COLUMN_NOT_FOUND for a key column missing from a version, DIFF_KEY_NOT_UNIQUE when a given key repeats or is
 *   NULL; DeltaError VERSION_NOT_FOUND for a version the table lacks.
 */
export async function diffVersions(delta: DeltaTable, session: DuckdbSession, table: string, args: DiffArgs): Promise<VersionDiff> {
  const [fromSnap, toSnap] = [await delta.snapshot({ version: args.from }), await delta.snapshot({ version: args.to })]
  const fromCols = describeColumns(fromSnap.schema)
  const toCols = describeColumns(toSnap.schema)
  const id = randomUUID().replace(/-/g, '')
  const fromRel = sqlIdent(`__diff_from_${id}`)
  const toRel = sqlIdent(`__diff_to_${id}`)
  const joined = sqlIdent(`__diff_${id}`)
  await session.exec(`CREATE TEMP TABLE ${fromRel} AS ${await scanSql(fromSnap, session)}`)
  try {
    await session.exec(`CREATE TEMP TABLE ${toRel} AS ${await scanSql(toSnap, session)}`)
    const inFrom = new Map(fromCols.map((c) => [c.name.toLowerCase(), c]))
    const common = toCols.filter((c) => inFrom.has(c.name.toLowerCase()))
    let key: string[]
    let keyInferred = false
    if (args.key && args.key.length > 0) {
      key = args.key.map((k) => {
        const col = common.find((c) => c.name.toLowerCase() === k.toLowerCase())
        if (!col) throw new EngineError('COLUMN_NOT_FOUND', `Key column ${k} is not in both version ${args.from} and version ${args.to} of ${table}`, { table, column: k })
        return col.name
      })
      if (!(await isUniqueNonNull(session, [fromRel, toRel], key))) {
        throw new EngineError('DIFF_KEY_NOT_UNIQUE', `Key (${key.join(', ')}) is not unique and non-null in versions ${args.from} and ${args.to} of ${table}, so rows cannot be matched`, { table, key })
      }
    } else {
      const shortName = table.split('.').pop()!.replace(/`/g, '')
      const candidates = keyCandidateSets(shortName, common)
      let found: string[] | undefined
      for (const c of candidates) if (await isUniqueNonNull(session, [fromRel, toRel], c)) { found = c; break }
      if (found === undefined) {
        const singles = candidates.filter((c) => c.length === 1).map((c) => c[0]!)
        const tried = singles.length > 0 ? `tried ${singles.join(', ')} alone and with one other column` : 'no id / *_id column exists in both versions'
        throw new EngineError('DIFF_KEY_NOT_FOUND', `No key could be inferred to diff ${table} versions ${args.from} and ${args.to} (${tried}); choose key columns`, { table, candidates: singles })
      }
      key = found
      keyInferred = true
    }
    const keySet = new Set(key.map((k) => k.toLowerCase()))
    const others = [...toCols.map((c) => c.name), ...fromCols.filter((c) => !toCols.some((t) => t.name.toLowerCase() === c.name.toLowerCase())).map((c) => c.name)]
      .filter((c) => !keySet.has(c.toLowerCase()))
    const has = (cols: typeof toCols, name: string) => cols.find((c) => c.name.toLowerCase() === name.toLowerCase())
    const compared = common.filter((c) => !keySet.has(c.name.toLowerCase()))
    const differs = (name: string) => {
      const sameType = has(fromCols, name)!.type === has(toCols, name)!.type
      const f = `f.${sqlIdent(has(fromCols, name)!.name)}`
      const t = `t.${sqlIdent(name)}`
      return sameType ? `(${f} IS DISTINCT FROM ${t})` : `(CAST(${f} AS VARCHAR) IS DISTINCT FROM CAST(${t} AS VARCHAR))`
    }
    const anyDiff = compared.length > 0 ? compared.map((c) => differs(c.name)).join(' OR ') : 'FALSE'
    const select = [
      `CASE WHEN f.__present IS NULL THEN 'added' WHEN t.__present IS NULL THEN 'removed' WHEN ${anyDiff} THEN 'changed' ELSE 'unchanged' END AS _change`,
      ...key.map((k) => `COALESCE(t.${sqlIdent(k)}, f.${sqlIdent(k)}) AS ${sqlIdent(k)}`),
      ...others.flatMap((c) => [
        has(toCols, c) ? `t.${sqlIdent(c)} AS ${sqlIdent(c)}` : `NULL AS ${sqlIdent(c)}`,
        has(fromCols, c) ? `f.${sqlIdent(has(fromCols, c)!.name)} AS ${sqlIdent(`${c}__from`)}` : `NULL AS ${sqlIdent(`${c}__from`)}`
      ]),
      ...compared.map((c, i) => `${differs(c.name)} AS __differs_${i}`)
    ]
    const on = key.map((k) => `f.${sqlIdent(k)} = t.${sqlIdent(k)}`).join(' AND ')
    await session.exec(`CREATE TEMP TABLE ${joined} AS SELECT ${select.join(', ')} FROM (SELECT *, 1 AS __present FROM ${fromRel}) AS f FULL OUTER JOIN (SELECT *, 1 AS __present FROM ${toRel}) AS t ON ${on}`)
    try {
      const counts = new Map((await session.query(`SELECT _change, count(*) AS n FROM ${joined} GROUP BY _change`)).map((r) => [String(r._change), Number(r.n)]))
      const changedColumns: Record<string, number> = {}
      if (compared.length > 0) {
        const [row] = await session.query(`SELECT ${compared.map((_, i) => `count(*) FILTER (WHERE __differs_${i}) AS c${i}`).join(', ')} FROM ${joined} WHERE _change = 'changed'`)
        compared.forEach((c, i) => { changedColumns[c.name] = Number(row![`c${i}`]) })
      }
      const limit = args.limit ?? DEFAULT_DIFF_LIMIT
      const visible = ['_change', ...key, ...others.flatMap((c) => [c, `${c}__from`])].map(sqlIdent).join(', ')
      const order = `CASE _change WHEN 'added' THEN 0 WHEN 'removed' THEN 1 ELSE 2 END, ${key.map(sqlIdent).join(', ')}`
      const { rows } = await queryArrow(session, `SELECT ${visible} FROM ${joined} WHERE _change <> ${sqlString('unchanged')} ORDER BY ${order} LIMIT ${Math.max(0, Math.floor(limit))}`)
      return {
        table, from: args.from, to: args.to, key, keyInferred,
        added: counts.get('added') ?? 0, removed: counts.get('removed') ?? 0, changed: counts.get('changed') ?? 0, unchanged: counts.get('unchanged') ?? 0,
        schemaChanges: schemaChanges(fromCols, toCols), rows, changedColumns
      }
    } finally {
      await session.exec(`DROP TABLE IF EXISTS ${joined}`)
    }
  } finally {
    await session.exec(`DROP TABLE IF EXISTS ${fromRel}; DROP TABLE IF EXISTS ${toRel}`)
  }
}
