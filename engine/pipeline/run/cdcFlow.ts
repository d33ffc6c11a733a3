// One micro-batch of an AUTO CDC / APPLY CHANGES flow: the source rows added since the last batch, applied by applyCdc with the batch's txn.
import { sqlIdent } from '../../delta/parquetPort'
import { renderWithEdits } from '../../sql/dialect/textEdits'
import { sparkSyntaxEdits } from '../../sql/dialect/sparkSyntax'
import { tokenize } from '../../sql/dialect/tokenizer'
import { applyCdc, resetCdcState } from '../cdc'
import type { Flow } from '../model'
import { FlowCheckpoint, type BatchOffset } from './checkpoints'
import { appIdOf } from './flowExecution'
import { dropTempTables } from './flowQuery'
import type { PlannedDataset } from './plan'
import { throwIfCancelled, type RunContext } from './runContext'
import { PipelineRunError, type FlowResult } from './runTypes'
import { currentSourceRange, stageSourceRange } from './streamingSource'
import { openIfExists, tableRootOf } from './tableWriter'

/** Spark expression text as DuckDB text (the SQL engine's Spark spellings), synchronously, for CDC's SEQUENCE BY / WHEN. */
function translateExpression(sparkSql: string): string {
  const tokens = tokenize(sparkSql)
  return renderWithEdits(tokens, sparkSyntaxEdits(tokens))
}

/**
 * Applies the change rows the CDC source gained since the flow's last batch. A full refresh truncates the target and
 * resets its CDC state, then replays the whole source. Exactly-once as for append flows (offsets before, commits
 * after, txn on the target commit).
 * @throws PipelineRunError (UNKNOWN_DATASET, DELTA_SOURCE_TABLE_IGNORE_CHANGES, CANCELLED), DeltaError from applyCdc.
 */
export async function runCdcFlow(ctx: RunContext, planned: PlannedDataset, flow: Flow, result: FlowResult): Promise<void> {
  const spec = flow.cdc!
  const resolved = ctx.plan.resolve(spec.source.name)
  const sourceTable = resolved.kind === 'dataset' ? resolved.dataset.stored : resolved.kind === 'external' ? resolved.table : null
  if (!sourceTable) throw new PipelineRunError('UNKNOWN_DATASET', `CDC flow ${flow.name} reads ${spec.source.written}, which is not a stored table`, { flow: flow.name })
  const checkpoint = new FlowCheckpoint(ctx.lakehouse.root, ctx.config.name, flow.name)
  const state = await checkpoint.state()
  const fullRefresh = ctx.fullRefresh.has(planned.dataset.name)
  // As for append flows: a full refresh supersedes a batch that never committed.
  let offset: BatchOffset | null = state.pending && (!fullRefresh || state.pending.fullRefresh) ? state.pending : null
  if (!offset) {
    const range = await currentSourceRange(ctx.session, await tableRootOf(ctx.lakehouse, sourceTable), fullRefresh ? undefined : state.lastCommitted?.sources[sourceTable])
    if (!range || (range.toVersion <= range.fromVersion && !fullRefresh)) {
      result.status = 'no_new_data'
      if (!range) result.reason = `${sourceTable} does not exist yet (no input has reached it); this flow runs once it exists`
      return
    }
    offset = { batchId: state.nextBatchId, loadTime: ctx.startedAt, fullRefresh, files: [], sources: { [sourceTable]: range }, sourceSchemas: {} }
  }
  const targetRoot = await tableRootOf(ctx.lakehouse, planned.stored!)
  const appId = appIdOf(ctx.config.name, flow.name)
  const temps: string[] = []
  try {
    const staged = await stageSourceRange(ctx.session, await tableRootOf(ctx.lakehouse, sourceTable), sourceTable, offset.sources[sourceTable]!, false)
    temps.push(staged.relation)
    result.rowsRead = staged.rowCount
    await checkpoint.writeOffset(offset)
    ctx.onStage?.('offset_written', flow.name)
    await ctx.onBatchStart?.(planned.stored!)
    throwIfCancelled(ctx, `before flow ${flow.name} ran`)
    if (offset.fullRefresh) {
      const target = await openIfExists(ctx.session, targetRoot, ctx.clock)
      const seen = target ? (await target.snapshot()).txns.get(appId) : undefined
      // Truncate once per full-refresh batch: a re-run after the apply landed must not wipe it.
      if (target && (!seen || seen.version < offset.batchId)) {
        await resetCdcState(targetRoot)
        if ((await target.snapshot()).files.length > 0) await target.delete()
      }
    }
    const where = spec.where ? ` WHERE ${translateExpression(spec.where)}` : ''
    const metrics = await applyCdc({ port: ctx.session, clock: ctx.clock, translateExpression }, targetRoot, `SELECT * FROM ${sqlIdent(staged.relation)}${where}`, spec, {
      txn: { appId, version: offset.batchId },
      targetSpec: { partitionColumns: planned.dataset.partitionColumns, properties: Object.fromEntries(Object.entries(planned.dataset.properties).filter(([k]) => !k.startsWith('delta.'))) }
    })
    result.rowsIn = metrics.rowsIn
    result.rowsWritten = metrics.rowsIn
    result.version = metrics.version
    ctx.onStage?.('target_committed', flow.name)
    await checkpoint.writeCommit({ batchId: offset.batchId, version: metrics.version, committedAt: ctx.clock.now() })
    ctx.onStage?.('batch_committed', flow.name)
    result.status = 'completed'
  } finally {
    await dropTempTables(ctx, temps)
  }
}
