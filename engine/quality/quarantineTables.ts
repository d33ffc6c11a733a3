// Quarantine tables (`<schema>.<table>_quarantine`): which exist, how many rows each expectation sent there, and their rows.
import { EngineError } from '../api/errors'
import type { QuarantineExpectation, QuarantineRows, QuarantineRowsArg, QuarantineTableInfo } from '../api/qualityApi'
import { sqlIdent, sqlString } from '../delta/parquetPort'
import { queryArrow } from '../tables/arrowQuery'
import { type QualityContext, type TableScan, numberOrNull, scanLatest } from './tableScan'

export const QUARANTINE_SUFFIX = '_quarantine'
/** Rows a quarantine page returns when the caller gives no limit. */
export const DEFAULT_QUARANTINE_LIMIT = 500

/** The column names the pipeline writes beside the quarantined row's own columns (engine/pipeline/run/expectations.ts). */
const EXPECTATIONS = '_expectations'
const REASON = '_reason'
const BATCH = '_batch_id'
const QUARANTINED_AT = '_quarantined_at'

/**
 * The SQL condition of every expectation named in a `_reason` text. The pipeline writes one
 * `name: EXPECT (condition) ON VIOLATION DROP ROW` per failed expectation, joined by `; `.
 */
export function conditionsInReason(reason: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of reason.matchAll(/(?:^|; )([^:;]+): EXPECT \((.*?)\) ON VIOLATION DROP ROW/g)) found.set(m[1]!.trim(), m[2]!)
  return found
}

/**
 * Every quarantine table of the lakehouse (any schema), sorted by name, with its row count, the failed rows per
 * expectation and the time of its newest row.
 * @throws DeltaError when a quarantine table's log or files cannot be read.
 */
export async function listQuarantineTables(ctx: QualityContext): Promise<QuarantineTableInfo[]> {
  const tables = (await ctx.lakehouse.listTables()).filter((t) => t.name.toLowerCase().endsWith(QUARANTINE_SUFFIX) && t.schema.toLowerCase() !== 'system')
  const infos: QuarantineTableInfo[] = []
  for (const t of tables) {
    const scan = await scanLatest(ctx, t.schema, t.name)
    if (scan) infos.push(await describeQuarantine(ctx, scan))
  }
  return infos.sort((a, b) => a.table.localeCompare(b.table))
}

async function describeQuarantine(ctx: QualityContext, scan: TableScan): Promise<QuarantineTableInfo> {
  const newest = scan.columns.has(QUARANTINED_AT) ? `epoch_ms(max(${sqlIdent(QUARANTINED_AT)}))::BIGINT` : 'NULL'
  const totals = (await ctx.session.query(`SELECT count(*)::BIGINT AS n, ${newest} AS newest FROM (${scan.sql}) AS q`))[0]!
  const expectations: QuarantineExpectation[] = []
  if (scan.columns.has(EXPECTATIONS)) {
    const reason = scan.columns.has(REASON) ? `min(${sqlIdent(REASON)})` : 'NULL'
    const rows = await ctx.session.query(
      `SELECT name, count(*)::BIGINT AS n, ${reason} AS reason FROM (SELECT unnest(${sqlIdent(EXPECTATIONS)}) AS name${scan.columns.has(REASON) ? `, ${sqlIdent(REASON)}` : ''} FROM (${scan.sql}) AS q) AS e ` +
        `WHERE name IS NOT NULL GROUP BY name ORDER BY n DESC, name`
    )
    for (const r of rows) {
      const name = String(r.name)
      expectations.push({ name, condition: typeof r.reason === 'string' ? conditionsInReason(r.reason).get(name) ?? null : null, failedRows: Number(r.n) })
    }
  }
  return {
    table: scan.table,
    guards: scan.table.slice(0, -QUARANTINE_SUFFIX.length),
    rowCount: Number(totals.n),
    expectations,
    lastQuarantinedAt: numberOrNull(totals.newest)
  }
}

/**
 * One page of a quarantine table's rows (newest first), optionally only those that failed `arg.expectation`, as Arrow
 * IPC whose first columns are `_expectation`, `_condition` and `_reason` (see QuarantineRows).
 * @throws EngineError TABLE_NOT_FOUND naming the table; NOT_A_QUARANTINE_TABLE when its name lacks the suffix or it has
 *   no `_expectations` column; DeltaError when it cannot be read.
 */
export async function quarantineRows(ctx: QualityContext, arg: QuarantineRowsArg): Promise<QuarantineRows> {
  const [schema, name] = arg.table.split('.').map((part) => part.replace(/^`|`$/g, '')) as [string, string]
  if (!name.toLowerCase().endsWith(QUARANTINE_SUFFIX)) {
    throw new EngineError('NOT_A_QUARANTINE_TABLE', `${arg.table} is not a quarantine table: their names end in ${QUARANTINE_SUFFIX}`, { table: arg.table })
  }
  const scan = await scanLatest(ctx, schema, name)
  if (!scan) throw new EngineError('TABLE_NOT_FOUND', `Table ${arg.table} does not exist in ${ctx.lakehouse.root}`, { table: arg.table })
  if (!scan.columns.has(EXPECTATIONS)) {
    throw new EngineError('NOT_A_QUARANTINE_TABLE', `${arg.table} has no ${EXPECTATIONS} column, so it was not written by a pipeline's DROP ROW expectations`, { table: arg.table })
  }
  const where = arg.expectation === undefined ? '' : ` WHERE list_contains(${sqlIdent(EXPECTATIONS)}, ${sqlString(arg.expectation)})`
  const total = Number((await ctx.session.query(`SELECT count(*)::BIGINT AS n FROM (${scan.sql}) AS q${where}`))[0]!.n)
  const limit = Math.floor(arg.limit ?? DEFAULT_QUARANTINE_LIMIT)
  const offset = Math.floor(arg.offset ?? 0)
  const { rows, rowCount } = await queryArrow(ctx.session, pageSql(scan, where, limit, offset))
  return { table: scan.table, expectation: arg.expectation ?? null, rows, rowCount, totalCount: total, offset }
}

/** The page's SELECT: expectation, condition and reason first; newest first, ties broken by every column so pages are stable. */
function pageSql(scan: TableScan, where: string, limit: number, offset: number): string {
  const has = (c: string) => scan.columns.has(c)
  const reason = has(REASON) ? sqlIdent(REASON) : 'CAST(NULL AS VARCHAR)'
  // The conditions come from the reason text the pipeline wrote with the row, so they are the ones that were checked.
  const condition = has(REASON) ? `array_to_string(regexp_extract_all(${sqlIdent(REASON)}, 'EXPECT \\((.*?)\\) ON VIOLATION DROP ROW', 1), '; ')` : 'CAST(NULL AS VARCHAR)'
  const tail = [BATCH, QUARANTINED_AT].filter(has).map(sqlIdent)
  const excluded = [EXPECTATIONS, REASON, BATCH, QUARANTINED_AT].filter(has).map(sqlIdent)
  const order = [
    ...(has(QUARANTINED_AT) ? [`${sqlIdent(QUARANTINED_AT)} DESC NULLS LAST`] : []),
    ...(has(BATCH) ? [`${sqlIdent(BATCH)} DESC NULLS LAST`] : []),
    // Every column as the last key: rows of one batch have no order of their own, and pages must not overlap.
    'COLUMNS(*)'
  ]
  const select = [
    `array_to_string(${sqlIdent(EXPECTATIONS)}, ', ') AS _expectation`,
    `${condition} AS _condition`,
    `${reason} AS _reason`,
    `* EXCLUDE (${excluded.join(', ')})`,
    ...tail
  ]
  return `SELECT * FROM (SELECT ${select.join(', ')} FROM (${scan.sql}) AS q${where}) AS page ORDER BY ${order.join(', ')} LIMIT ${limit} OFFSET ${offset}`
}
