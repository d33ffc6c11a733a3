// Expectations on a batch of rows: warn counts, DROP ROW splits rows off for quarantine, FAIL UPDATE stops the flow with a sample row.
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { SqlEngine } from '../../sql/queryRunner'
import type { Expectation } from '../model'
import { PipelineRunError, type ExpectationCount } from './runTypes'

export interface CheckedRows {
  /** Temp table of the rows to write (the input's columns). */
  valid: string
  /** Temp table of dropped rows: the input's columns + _expectations (failed DROP ROW names) + _reason; null when none. */
  dropped: string | null
  rowsIn: number
  rowsValid: number
  rowsDropped: number
  counts: ExpectationCount[]
}

let counter = 0

/**
 * Evaluates every expectation of `dataset` on each row of `relation`. A row passes an expectation only when the
 * expression is TRUE: FALSE and NULL both fail it (the constraint must evaluate to true for the record, as the
 * Databricks expectation docs say, and DROP ROW filters like a WHERE clause, which drops NULL).
 * @throws PipelineRunError EXPECTATION_VIOLATION when a FAIL UPDATE expectation fails, naming the dataset, the
 *   expectation and a sample row; EXPECTATION_INVALID when an expression does not evaluate (naming file:line).
 */
export async function checkExpectations(session: DuckdbSession, sql: SqlEngine, relation: string, dataset: string, expectations: readonly Expectation[]): Promise<CheckedRows> {
  const rowsIn = Number((await session.query(`SELECT count(*)::BIGINT AS n FROM ${sqlIdent(relation)}`))[0]!.n)
  if (expectations.length === 0) return { valid: relation, dropped: null, rowsIn, rowsValid: rowsIn, rowsDropped: 0, counts: [] }
  const id = ++counter
  const checked = `__lbp_checked_${id}`
  const okColumns = expectations.map((_, i) => `__lbp_ok_${i}`)
  // The Spark expressions are translated by the SQL engine like any query over the batch's temp table.
  let prepared: Awaited<ReturnType<SqlEngine['prepareQuery']>>
  try {
    prepared = await sql.prepareQuery(`SELECT *, ${expectations.map((e, i) => `(${e.expression}) AS ${okColumns[i]}`).join(', ')} FROM ${relation}`)
  } catch (e) {
    throw invalidExpectation(dataset, expectations, e)
  }
  try {
    await session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(checked)} AS SELECT * EXCLUDE (${okColumns.join(', ')}), ` +
      `${expectations.map((_, i) => `coalesce(CAST(${okColumns[i]} AS BOOLEAN), false) AS ${okColumns[i]}`).join(', ')} FROM (${prepared.sql}) AS batch_rows`)
  } catch (e) {
    throw invalidExpectation(dataset, expectations, e)
  } finally {
    await prepared.release()
  }
  const failedCounts = await session.query(`SELECT ${okColumns.map((c, i) => `count(*) FILTER (WHERE NOT ${c})::BIGINT AS f${i}`).join(', ')} FROM ${sqlIdent(checked)}`)
  const counts: ExpectationCount[] = expectations.map((e, i) => {
    const failed = Number(failedCounts[0]![`f${i}`])
    return { dataset, expectation: e.name, action: e.action, passed: rowsIn - failed, failed }
  })
  const failing = expectations.map((e, i) => ({ e, i })).filter(({ e, i }) => e.action === 'fail' && counts[i]!.failed > 0)
  if (failing.length > 0) {
    const { e, i } = failing[0]!
    const sample = await session.query(`SELECT CAST(to_json(s) AS VARCHAR) AS row FROM (SELECT * EXCLUDE (${okColumns.join(', ')}) FROM ${sqlIdent(checked)} WHERE NOT ${okColumns[i]} LIMIT 1) AS s`)
    await session.exec(`DROP TABLE IF EXISTS ${sqlIdent(checked)}`)
    throw new PipelineRunError('EXPECTATION_VIOLATION',
      `[EXPECTATION_VIOLATION] Flow '${dataset}' failed to meet the expectation. Violated expectations: '${failing.map((f) => f.e.name).join("', '")}'. ` +
      `${counts[i]!.failed} of ${rowsIn} row(s) failed '${e.name}' EXPECT (${e.expression}) ON VIOLATION FAIL UPDATE (${e.location.file}:${e.location.line}:${e.location.column}). ` +
      `Input data: ${String(sample[0]?.row ?? '{}')}`,
      { dataset, expectation: e.name, failed: counts[i]!.failed, sample: sample[0]?.row, counts })
  }
  const dropIndexes = expectations.map((e, i) => ({ e, i })).filter(({ e }) => e.action === 'drop')
  const valid = `__lbp_valid_${id}`
  const dropCondition = dropIndexes.length > 0 ? dropIndexes.map(({ i }) => `NOT ${okColumns[i]}`).join(' OR ') : 'false'
  await session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(valid)} AS SELECT * EXCLUDE (${okColumns.join(', ')}) FROM ${sqlIdent(checked)} WHERE NOT (${dropCondition})`)
  let dropped: string | null = null
  let rowsDropped = 0
  if (dropIndexes.length > 0) {
    const names = `list_filter([${dropIndexes.map(({ e, i }) => `CASE WHEN NOT ${okColumns[i]} THEN ${sqlString(e.name)} END`).join(', ')}], x -> x IS NOT NULL)`
    const reasons = `array_to_string(list_filter([${dropIndexes.map(({ e, i }) => `CASE WHEN NOT ${okColumns[i]} THEN ${sqlString(`${e.name}: EXPECT (${e.expression}) ON VIOLATION DROP ROW`)} END`).join(', ')}], x -> x IS NOT NULL), '; ')`
    rowsDropped = Number((await session.query(`SELECT count(*)::BIGINT AS n FROM ${sqlIdent(checked)} WHERE ${dropCondition}`))[0]!.n)
    if (rowsDropped > 0) {
      dropped = `__lbp_dropped_${id}`
      await session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(dropped)} AS SELECT * EXCLUDE (${okColumns.join(', ')}), ${names} AS _expectations, ${reasons} AS _reason FROM ${sqlIdent(checked)} WHERE ${dropCondition}`)
    }
  }
  await session.exec(`DROP TABLE IF EXISTS ${sqlIdent(checked)}`)
  const rowsValid = rowsIn - rowsDropped
  return { valid, dropped, rowsIn, rowsValid, rowsDropped, counts }
}

function invalidExpectation(dataset: string, expectations: readonly Expectation[], cause: unknown): PipelineRunError {
  const message = cause instanceof Error ? cause.message.split('\n')[0]! : String(cause)
  const where = expectations.map((e) => `'${e.name}' at ${e.location.file}:${e.location.line}:${e.location.column}`).join(', ')
  return new PipelineRunError('EXPECTATION_INVALID', `The expectations of ${dataset} (${where}) do not evaluate: ${message}`, { dataset })
}
