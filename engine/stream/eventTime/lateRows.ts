// Splits a batch into on-time rows and late rows (event time at or below the batch's watermark), the late ones annotated.
import { sqlIdent } from '../../delta/parquetPort'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { msToTimestampSql } from './eventTimeColumn'

/**
 * Creates two temp tables from `input`:
 * - `onTime`: rows with event time > watermark (all rows when there is no watermark), plus `msColumn` (BIGINT epoch ms)
 *   and any `extraColumns` SQL (`expr AS name, ...`);
 * - `late`: rows with event time <= watermark, or a NULL event time (they fit no window, and are never silently dropped),
 *   plus `_lateness_ms` (watermark - event time) and `_watermark` (TIMESTAMP).
 * `<=` is Spark's rule: its stateful operators drop rows with `eventTime <= watermark` (WatermarkSupport.watermarkExpression),
 * so a row exactly at the watermark is late in both.
 */
export async function splitLateRows(port: DuckdbSession, input: string, etMsExpr: string, watermarkMs: number | null,
  names: { onTime: string; late: string }, msColumn: string, extraColumns = ''): Promise<{ onTimeRows: number; lateRows: number }> {
  const wm = watermarkMs === null ? 'NULL::BIGINT' : `${Math.trunc(watermarkMs)}::BIGINT`
  // Without a watermark only NULL event times are late (comparing with NULL would make every row unknown).
  const isLate = watermarkMs === null ? `((${etMsExpr}) IS NULL)` : `((${etMsExpr}) IS NULL OR (${etMsExpr}) <= ${wm})`
  const extra = extraColumns ? `, ${extraColumns}` : ''
  await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(names.onTime)} AS
    SELECT *, (${etMsExpr}) AS ${sqlIdent(msColumn)}${extra} FROM ${sqlIdent(input)} WHERE NOT ${isLate}`)
  await port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(names.late)} AS
    SELECT *, (${wm} - (${etMsExpr}))::BIGINT AS _lateness_ms, ${msToTimestampSql(wm)} AS _watermark
    FROM ${sqlIdent(input)} WHERE ${isLate}`)
  const [counts] = await port.query(`SELECT (SELECT count(*) FROM ${sqlIdent(names.onTime)}) AS o, (SELECT count(*) FROM ${sqlIdent(names.late)}) AS l`)
  return { onTimeRows: Number(counts!.o), lateRows: Number(counts!.l) }
}
