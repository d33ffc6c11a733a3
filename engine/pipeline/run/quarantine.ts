// <schema>.<table>_quarantine: rows DROP ROW expectations removed, with the failed expectation names, the reason, the batch and when.
import { sqlIdent } from '../../delta/parquetPort'
import type { RunContext } from './runContext'
import { createFor, openIfExists, replaceTable, relationSchema, sameContent, sameSchema, tableRootOf } from './tableWriter'

/** The quarantine table of a stored dataset. */
export function quarantineNameOf(stored: string): string {
  return `${stored}_quarantine`
}

let counter = 0

async function quarantineRows(ctx: RunContext, dropped: string, batchId: number | null, at: number): Promise<string> {
  const names = new Set((await ctx.session.query(`DESCRIBE ${sqlIdent(dropped)}`)).map((r) => String(r.column_name).toLowerCase()))
  const relation = `__lbp_quarantine_${++counter}`
  const batch = names.has('_batch_id') ? '' : `, CAST(${batchId ?? 'NULL'} AS BIGINT) AS _batch_id`
  await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relation)} AS SELECT *${batch}, make_timestamptz(${Math.trunc(at)}::BIGINT * 1000) AS _quarantined_at FROM ${sqlIdent(dropped)}`)
  return relation
}

/**
 * Appends a streaming batch's dropped rows to the quarantine table (replaces its rows for the first batch of a full
 * refresh), idempotently (txn `appId`/`batchId`, so a re-run batch never quarantines twice). Returns the committed version, or null when the txn had already landed.
 * @throws DeltaError when the rows do not fit the quarantine table's schema (its dataset changed shape).
 */
export async function appendQuarantine(ctx: RunContext, stored: string, dropped: string, appId: string, batchId: number, at: number, overwrite = false): Promise<number | null> {
  const relation = await quarantineRows(ctx, dropped, batchId, at)
  try {
    const root = await tableRootOf(ctx.lakehouse, quarantineNameOf(stored))
    const table = (await openIfExists(ctx.session, root, ctx.clock)) ?? (await createFor(ctx.session, root, relation, { stored: quarantineNameOf(stored) }, ctx.clock))
    const result = await table.write({ sourceSql: `SELECT * FROM ${sqlIdent(relation)}`, mode: overwrite ? 'overwrite' : 'append', txn: { appId, version: batchId }, operation: 'STREAMING UPDATE' })
    return result.skipped ? null : result.version
  } finally {
    await ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(relation)}`)
  }
}

/**
 * Makes a materialized view's quarantine hold exactly the rows its latest recompute dropped (`dropped` may be null:
 * none). Commits only when that set changed (ignoring _quarantined_at). Returns the committed version or null.
 */
export async function replaceQuarantine(ctx: RunContext, stored: string, dropped: string | null, at: number): Promise<number | null> {
  const root = await tableRootOf(ctx.lakehouse, quarantineNameOf(stored))
  const existing = await openIfExists(ctx.session, root, ctx.clock)
  if (!dropped) {
    if (!existing || (await existing.snapshot()).files.length === 0) return null
    return (await existing.delete()).version
  }
  const relation = await quarantineRows(ctx, dropped, null, at)
  try {
    if (!existing) return (await (await createFor(ctx.session, root, relation, { stored: quarantineNameOf(stored) }, ctx.clock, true)).snapshot()).version
    const snapshot = await existing.snapshot()
    if (!sameSchema(snapshot.schema, await relationSchema(ctx.session, relation))) {
      return (await (await replaceTable(ctx.session, root, relation, { stored: quarantineNameOf(stored) }, ctx.clock)).snapshot()).version
    }
    if (await sameContent(ctx.session, snapshot, relation, ['_quarantined_at'])) return null
    return (await existing.write({ sourceSql: `SELECT * FROM ${sqlIdent(relation)}`, mode: 'overwrite' })).version
  } finally {
    await ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(relation)}`)
  }
}
