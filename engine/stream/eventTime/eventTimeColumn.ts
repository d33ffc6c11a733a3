// Reads an event-time column as epoch milliseconds, whatever its DuckDB type, and measures a batch's max per partition.
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { EventTimeError } from './eventTimeError'

/**
 * A SQL expression giving `column` of `relation` as BIGINT epoch milliseconds: TIMESTAMP / TIMESTAMPTZ / DATE via epoch_ms,
 * integer columns taken as milliseconds already (topic records carry ms timestamps).
 * @throws EventTimeError EVENT_TIME_COLUMN when the column is missing or of another type; the message names relation and column.
 */
export async function eventTimeMsExpr(port: DuckdbSession, relation: string, column: string): Promise<string> {
  const rows = await port.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${sqlIdent(relation)})`)
  const found = rows.find((r) => r.column_name === column)
  if (!found) {
    throw new EventTimeError('EVENT_TIME_COLUMN', `event-time column '${column}' not found in ${relation} (columns: ${rows.map((r) => r.column_name).join(', ')})`)
  }
  const type = String(found.column_type).toUpperCase()
  const ref = sqlIdent(column)
  if (type.startsWith('TIMESTAMP') || type === 'DATE') return `epoch_ms(${ref}::TIMESTAMP)`
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|HUGEINT)$/.test(type)) return `(${ref})::BIGINT`
  throw new EventTimeError('EVENT_TIME_COLUMN', `event-time column '${column}' of ${relation} has type ${type}; expected a TIMESTAMP or epoch milliseconds`)
}

/** SQL turning a BIGINT epoch-ms expression into a TIMESTAMP (UTC), for window bounds and `_watermark` in outputs. */
export function msToTimestampSql(msExpr: string): string {
  return `make_timestamp((${msExpr})::BIGINT * 1000)`
}

/**
 * The max event time (ms) per partition in `relation`, for WatermarkTracker.observe. Rows with a NULL event time are ignored.
 * Without `partitionColumn` the whole relation is one partition named `partitionName`.
 * @throws EventTimeError EVENT_TIME_COLUMN as eventTimeMsExpr.
 */
export async function maxEventTimeByPartition(port: DuckdbSession, relation: string, column: string,
  options: { partitionColumn?: string; partitionName?: string } = {}): Promise<Map<string, number>> {
  const ms = await eventTimeMsExpr(port, relation, column)
  const partition = options.partitionColumn ? `(${sqlIdent(options.partitionColumn)})::VARCHAR` : sqlString(options.partitionName ?? '0')
  const rows = await port.query(`SELECT ${partition} AS p, max(${ms}) AS m FROM ${sqlIdent(relation)} WHERE ${ms} IS NOT NULL GROUP BY 1`)
  return new Map(rows.map((r) => [String(r.p), Number(r.m)]))
}
