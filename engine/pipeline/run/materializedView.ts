// A materialized view's refresh: recompute its query over the latest versions, commit (overwrite) only when the content changed.
import { sqlIdent } from '../../delta/parquetPort'
import { checkExpectations } from './expectations'
import { listSourceFiles, stageFileSource } from './fileSource'
import { collectInputs, dropTempTables, finalizeRows, renderQuery, runIntoTempTable, type InputRelations } from './flowQuery'
import type { PlannedDataset } from './plan'
import { missingDatasetTables } from './missingInputs'
import { replaceQuarantine } from './quarantine'
import { throwIfCancelled, type RunContext } from './runContext'
import type { FlowResult } from './runTypes'
import { createFor, openIfExists, tableSpecOf, relationSchema, replaceTable, sameContent, sameSchema, tableRootOf } from './tableWriter'

/**
 * Recomputes the view from every input as of now (streams read as batches, file sources read whole), applies its
 * expectations, and overwrites the table only when the rows differ from the current version (EXCEPT ALL both ways);
 * a changed column set replaces the table. Its quarantine holds the rows the latest recompute dropped. A view reading a
 * pipeline table that does not exist yet (no input has reached it) is `skipped` with the reason, not failed.
 * @throws PipelineRunError EXPECTATION_VIOLATION / QUERY_FAILED / CANCELLED, DeltaError from the write; the view then
 *   stays at its previous version.
 */
export async function refreshMaterializedView(ctx: RunContext, planned: PlannedDataset, result: FlowResult): Promise<void> {
  const query = planned.dataset.query!
  const stored = planned.stored!
  const temps: (string | null)[] = []
  const missing = await missingDatasetTables(ctx, query)
  if (missing.length > 0) {
    // Databricks would show the upstream tables empty; here they appear with their first input, and so does this view.
    result.status = 'skipped'
    result.reason = `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet (no input has reached ${missing.length === 1 ? 'it' : 'them'}); ${stored} is computed once ${missing.length === 1 ? 'it exists' : 'they exist'}`
    return
  }
  try {
    const inputs = collectInputs(ctx.plan, query)
    const relations: InputRelations = { files: new Map(), streams: new Map() }
    for (const [key, source] of inputs.fileSources) {
      const files = await listSourceFiles(ctx.lakehouse.root, source)
      if (files.length === 0) throw new Error(`${source.function}('${source.path}') found no files under ${ctx.lakehouse.root}`)
      const staged = await stageFileSource(ctx.session, ctx.lakehouse.root, source, files)
      relations.files.set(key, staged.relation)
      temps.push(staged.relation)
    }
    const out = await runIntoTempTable(ctx, renderQuery(ctx.plan, query, relations), planned.dataset.name, query)
    temps.push(out)
    const rows = await finalizeRows(ctx, out, planned.dataset.columns, null)
    temps.push(rows)
    const checked = await checkExpectations(ctx.session, ctx.sql, rows, stored, planned.dataset.expectations)
    temps.push(checked.valid === rows ? null : checked.valid, checked.dropped)
    result.rowsIn = checked.rowsIn
    result.expectations.push(...checked.counts)
    throwIfCancelled(ctx, `before ${stored} committed`)

    if ((await replaceQuarantine(ctx, stored, checked.dropped, ctx.startedAt)) !== null) ctx.onStage?.('quarantine_committed', planned.dataset.name)
    const spec = tableSpecOf(planned.dataset, stored)
    const root = await tableRootOf(ctx.lakehouse, stored)
    const table = await openIfExists(ctx.session, root, ctx.clock)
    result.rowsWritten = checked.rowsValid
    result.rowsQuarantined = checked.rowsDropped
    if (!table) {
      await ctx.onBatchStart?.(stored)
      result.version = (await (await createFor(ctx.session, root, checked.valid, spec, ctx.clock, true)).snapshot()).version
      ctx.onStage?.('target_committed', planned.dataset.name)
      result.status = 'completed'
      return
    }
    const snapshot = await table.snapshot()
    if (!sameSchema(snapshot.schema, await relationSchema(ctx.session, checked.valid, spec.notNull))) {
      await ctx.onBatchStart?.(stored)
      result.version = (await (await replaceTable(ctx.session, root, checked.valid, spec, ctx.clock)).snapshot()).version
      ctx.onStage?.('target_committed', planned.dataset.name)
      result.status = 'completed'
      return
    }
    if (!ctx.fullRefresh.has(planned.dataset.name) && (await sameContent(ctx.session, snapshot, checked.valid))) {
      result.status = 'unchanged'
      return
    }
    await ctx.onBatchStart?.(stored)
    result.version = (await table.write({ sourceSql: `SELECT * FROM ${sqlIdent(checked.valid)}`, mode: 'overwrite', operation: 'CREATE OR REFRESH MATERIALIZED VIEW' })).version
    ctx.onStage?.('target_committed', planned.dataset.name)
    result.status = 'completed'
  } finally {
    await dropTempTables(ctx, temps)
  }
}
