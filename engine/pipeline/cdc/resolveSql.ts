// DuckDB SQL that orders a key's changes by sequence and turns them into SCD1 rows or an SCD2 version chain.
import { sqlIdent } from '../../delta/parquetPort'
import { IS_DELETE, SEQ } from './changeBatch'

const SEGMENT = '"__lakebench_segment"'
const NEW_VERSION = '"__lakebench_new_version"'
const GROUP = '"__lakebench_version_group"'
const START = '"__lakebench_start"'
const DELETE_SEQ = '"__lakebench_delete_seq"'

export interface ResolveColumns {
  /** Key column names. */
  keys: readonly string[]
  /** Every stored column except the keys. */
  values: readonly string[]
  /** SCD2: the columns whose change opens a new version. */
  tracked?: readonly string[]
  ignoreNullUpdates: boolean
}

const list = (names: readonly string[]) => names.map(sqlIdent).join(', ')

/**
 * Changes of `relation` (keys, values, SEQ, IS_DELETE; at most one row per key and sequence) in sequence order per
 * key, split into segments that each end with a delete, and with IGNORE NULL UPDATES applied: a NULL value takes the
 * latest earlier non-NULL value of the same segment (a delete starts afresh, as a re-inserted row has no old values).
 */
export function filledChangesSql(relation: string, cols: ResolveColumns): string {
  const keys = list(cols.keys)
  const fill = (c: string) => cols.ignoreNullUpdates
    ? `last_value(${sqlIdent(c)} IGNORE NULLS) OVER (PARTITION BY ${keys}, ${SEGMENT} ORDER BY ${SEQ} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${sqlIdent(c)}`
    : sqlIdent(c)
  const values = cols.values.map(fill)
  return `SELECT ${keys}${values.map((v) => `, ${v}`).join('')}, ${SEQ}, ${IS_DELETE}, ${SEGMENT}
FROM (
  SELECT *, coalesce(sum(CAST(${IS_DELETE} AS INTEGER)) OVER (PARTITION BY ${keys} ORDER BY ${SEQ} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ${SEGMENT}
  FROM ${relation}
) AS segmented`
}

/**
 * SCD1: the latest change per key after filling: its row, or a tombstone (values NULL, IS_DELETE true) when the latest
 * change is a delete. Columns: keys, values, SEQ, IS_DELETE.
 */
export function scd1LatestSql(relation: string, cols: ResolveColumns): string {
  const values = cols.values.map((c) => `CASE WHEN ${IS_DELETE} THEN NULL ELSE ${sqlIdent(c)} END AS ${sqlIdent(c)}`)
  return `SELECT ${list(cols.keys)}${values.map((v) => `, ${v}`).join('')}, ${SEQ}, ${IS_DELETE}
FROM (${filledChangesSql(relation, cols)}) AS filled
QUALIFY row_number() OVER (PARTITION BY ${list(cols.keys)} ORDER BY ${SEQ} DESC) = 1`
}

/**
 * SCD2: the version chain of every key in `relation` (all known changes of those keys). Within a segment, an upsert
 * opens a new version unless its tracked columns equal the current version's (then the current version takes the
 * upsert's untracked values in place); a version starts at the sequence of the upsert that opened it and ends where
 * the next version starts, or at the segment's delete, or stays open (NULL). Columns: keys, values, __START_AT, __END_AT.
 */
export function scd2ChainSql(relation: string, cols: ResolveColumns): string {
  const keys = list(cols.keys)
  const tracked = cols.tracked && cols.tracked.length > 0 ? `ROW(${list(cols.tracked)})` : 'NULL'
  const segmentWindow = `PARTITION BY ${keys}, ${SEGMENT} ORDER BY ${SEQ}`
  return `WITH filled AS (${filledChangesSql(relation, cols)}),
flagged AS (
  SELECT *, CASE WHEN row_number() OVER (${segmentWindow}) = 1 OR lag(${tracked}) OVER (${segmentWindow}) IS DISTINCT FROM ${tracked} THEN 1 ELSE 0 END AS ${NEW_VERSION}
  FROM filled WHERE NOT ${IS_DELETE}
),
grouped AS (
  SELECT *, sum(${NEW_VERSION}) OVER (${segmentWindow} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${GROUP} FROM flagged
),
versions AS (
  SELECT *, min(${SEQ}) OVER (PARTITION BY ${keys}, ${SEGMENT}, ${GROUP}) AS ${START} FROM grouped
  QUALIFY row_number() OVER (PARTITION BY ${keys}, ${SEGMENT}, ${GROUP} ORDER BY ${SEQ} DESC) = 1
),
deletes AS (SELECT ${keys}, ${SEGMENT}, ${SEQ} AS ${DELETE_SEQ} FROM filled WHERE ${IS_DELETE})
SELECT ${[...cols.keys, ...cols.values].map((c) => `versions.${sqlIdent(c)}`).join(', ')}, versions.${START} AS "__START_AT",
  coalesce(lead(versions.${START}) OVER (PARTITION BY ${cols.keys.map((k) => `versions.${sqlIdent(k)}`).join(', ')}, versions.${SEGMENT} ORDER BY versions.${START}), deletes.${DELETE_SEQ}) AS "__END_AT"
FROM versions LEFT JOIN deletes ON ${[...cols.keys.map((k) => `versions.${sqlIdent(k)} = deletes.${sqlIdent(k)}`), `versions.${SEGMENT} = deletes.${SEGMENT}`].join(' AND ')}`
}

/** A condition on the target's (or state's) key columns that is TRUE for the keys listed in `keysRelation` (columns k0, k1, ...). */
export function keyMatchPredicate(keys: readonly string[], keysRelation: string): string {
  return `EXISTS (SELECT 1 FROM ${keysRelation} AS touched_keys WHERE ${keys.map((k, i) => `touched_keys."__lakebench_k${i}" = ${sqlIdent(k)}`).join(' AND ')})`
}

/**
 * commitInfo.operationParameters of a keyed CDC commit, shaped like Spark's MERGE (`predicate` is a JSON array of the
 * match condition), so DESCRIBE HISTORY shows the merge keys instead of the internal key-set relation it runs on.
 */
export function mergeOperationParameters(keys: readonly string[]): Record<string, string> {
  return { predicate: JSON.stringify([`(${keys.map((k) => `target.${sqlIdent(k)} = source.${sqlIdent(k)}`).join(' AND ')})`]) }
}

/** SELECT of the distinct keys of `relation`, renamed k0, k1, ... so that keyMatchPredicate's subquery cannot capture the outer columns. */
export function distinctKeysSql(keys: readonly string[], relation: string): string {
  return `SELECT DISTINCT ${keys.map((k, i) => `${sqlIdent(k)} AS "__lakebench_k${i}"`).join(', ')} FROM ${relation}`
}
