// One micro-batch of a streaming table's append flow: new files / source versions -> query -> expectations -> quarantine + target -> checkpoint.
//
//   checkpoint state ──► pending batch? re-run it as recorded : list new files + source versions (none = no commit)
//        ──► stage inputs ──► offsets/N ──► query ──► expectations ──► quarantine (txn) ──► target (txn) ──► commits/N
import { DeltaError } from '../../delta/errors'
import { DeltaTable } from '../../delta/deltaTable'
import { sqlIdent } from '../../delta/parquetPort'
import { recordBatchStats, type StatefulFlow } from '../eventTime/flowState'
import { openStatefulFlow } from '../eventTime/openStatefulFlow'
import type { Flow } from '../model'
import { FlowCheckpoint, type BatchOffset, type OffsetFile } from './checkpoints'
import { checkExpectations } from './expectations'
import { declaredSchemaOf, listSourceFiles, maxFilesPerTriggerOf, stageFileSource } from './fileSource'
import { collectInputs, dropTempTables, finalizeRows, renderQuery, runIntoTempTable, type InputRelations } from './flowQuery'
import type { PlannedDataset } from './plan'
import { appendQuarantine } from './quarantine'
import { throwIfCancelled, type RunContext } from './runContext'
import { PipelineRunError, type FlowResult } from './runTypes'
import { currentSourceRange, stageSourceRange } from './streamingSource'
import { createFor, openIfExists, tableSpecOf, relationSchema, replaceTable, sameSchema, tableRootOf } from './tableWriter'

/** The Delta txn appId of a flow: one per pipeline and flow, so batches of different flows never shadow each other. */
export function appIdOf(pipeline: string, flow: string): string {
  return `${pipeline}/${flow}`
}

function skipChangeCommits(planned: PlannedDataset, ctx: RunContext): boolean {
  const value = planned.dataset.properties.skipChangeCommits ?? ctx.config.configuration.skipChangeCommits
  return value !== undefined && /^true$/i.test(value)
}

/** Why a flow ran no batch: nothing new, or (with `reason`) an input that does not exist yet. */
interface NoBatch { reason?: string }

/**
 * Plans the next batch, or says why there is none: nothing new arrived (and no full refresh was asked), or a table it
 * streams from does not exist yet (its flow never had input). A streaming table that does not exist yet and has no
 * input gets a first batch without rows when its file sources declare their schema, so it is created empty, as
 * Databricks creates every table of a pipeline: tables reading it then find it.
 */
async function planBatch(ctx: RunContext, planned: PlannedDataset, flow: Flow, checkpoint: FlowCheckpoint, firstFlow: boolean): Promise<BatchOffset | NoBatch> {
  const state = await checkpoint.state()
  const fullRefresh = ctx.fullRefresh.has(planned.dataset.name)
  // A batch that never committed (a crash, a FAIL UPDATE, a query error) re-runs as recorded, unless a full refresh
  // supersedes it: the refresh's batch id is higher, so its overwrite also wins over anything the old batch landed.
  if (state.pending && (!fullRefresh || state.pending.fullRefresh)) return state.pending
  if (flow.once && state.lastCommitted && !fullRefresh) return {}
  const inputs = collectInputs(ctx.plan, flow.query!)
  const files: OffsetFile[] = []
  for (const [key, source] of inputs.fileSources) {
    // maxFilesPerTrigger: the oldest new files by name first, at most that many per batch (the rest wait for the next run).
    const limit = maxFilesPerTriggerOf(source) ?? Infinity
    const fresh = (await listSourceFiles(ctx.lakehouse.root, source)).filter((f) => fullRefresh || !state.processedFiles.has(f.path))
    for (const f of fresh.slice(0, limit)) files.push({ ...f, source: key })
  }
  const sources: BatchOffset['sources'] = {}
  let newVersions = false
  const missing: string[] = []
  for (const table of inputs.streams) {
    const root = await tableRootOf(ctx.lakehouse, table)
    const range = await currentSourceRange(ctx.session, root, fullRefresh ? undefined : state.lastCommitted?.sources[table])
    if (!range) { missing.push(table); continue }
    sources[table] = range
    if (range.toVersion > range.fromVersion) newVersions = true
  }
  if (missing.length > 0) return { reason: `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet (no input has reached ${missing.length === 1 ? 'it' : 'them'}); this flow runs once ${missing.length === 1 ? 'it exists' : 'they exist'}` }
  const batch = (sourceSchemas: BatchOffset['sourceSchemas']): BatchOffset => ({
    batchId: state.nextBatchId, loadTime: ctx.startedAt, fullRefresh, overwrite: fullRefresh && firstFlow, files, sources, sourceSchemas
  })
  const hasNothing = files.length === 0 && !newVersions && inputs.fileSources.size + inputs.streams.size > 0
  if (hasNothing && !fullRefresh) {
    if (state.lastCommitted || (await DeltaTable.exists(await tableRootOf(ctx.lakehouse, planned.stored!)))) return {}
    const declared = [...inputs.fileSources].map(([key, source]) => [key, declaredSchemaOf(source)] as const)
    const inferred = declared.filter(([, columns]) => columns === null).map(([key]) => key)
    if (inferred.length > 0) return { reason: `no files yet in ${inferred.map((k) => k.slice(k.indexOf(':') + 1)).join(', ')}; ${planned.stored} is created by its first batch (its columns are inferred from the files: declare them with schema => '...' to create it empty)` }
    return batch(Object.fromEntries(declared) as BatchOffset['sourceSchemas'])
  }
  if (inputs.fileSources.size + inputs.streams.size === 0 && state.lastCommitted && !fullRefresh) return {}
  return batch(fullRefresh ? {} : { ...(state.lastCommitted?.sourceSchemas ?? {}) })
}

/**
 * Runs one batch of an append flow into its streaming table. Exactly-once: the batch's inputs are recorded before it
 * runs, both the quarantine and the target writes carry txn {appId: `<pipeline>/<flow>`, version: batchId}, and the
 * batch is marked committed last, so a crash at any point re-runs the same batch and the txn skips writes that landed.
 * @throws PipelineRunError (EXPECTATION_VIOLATION, QUERY_FAILED, ROW_COUNT_MISMATCH, DELTA_SOURCE_TABLE_IGNORE_CHANGES,
 *   CANCELLED...) and DeltaError from the writes; the target then stays at its previous version.
 */
export async function runAppendFlow(ctx: RunContext, planned: PlannedDataset, flow: Flow, result: FlowResult, firstFlow = true): Promise<void> {
  const checkpoint = new FlowCheckpoint(ctx.lakehouse.root, ctx.config.name, flow.name)
  // A watermarked windowed aggregation or stream-stream join runs through the event-time operators; it may also need
  // batches without new input.
  const eventTime = openStatefulFlow(ctx, planned, flow, checkpoint)
  try {
    const next = await planBatch(ctx, planned, flow, checkpoint, firstFlow)
    let offset = 'batchId' in next ? next : next.reason === undefined ? ((await eventTime?.noDataBatch()) ?? null) : null
    if (!offset) {
      result.status = 'no_new_data'
      if (!('batchId' in next) && next.reason !== undefined) result.reason = next.reason
      return
    }
    while (offset) {
      await runBatch(ctx, planned, flow, result, checkpoint, offset, eventTime)
      offset = (await eventTime?.noDataBatch()) ?? null
    }
  } finally {
    await eventTime?.close()
  }
}

/** One planned batch of an append flow, from staging its inputs to commits/N (see runAppendFlow). */
async function runBatch(ctx: RunContext, planned: PlannedDataset, flow: Flow, result: FlowResult, checkpoint: FlowCheckpoint, offset: BatchOffset, eventTime: StatefulFlow | null): Promise<void> {
  const stored = planned.stored!
  const appId = appIdOf(ctx.config.name, flow.name)
  const temps: (string | null)[] = []
  try {
    await eventTime?.begin(offset)
    const inputs = collectInputs(ctx.plan, flow.query!)
    const relations: InputRelations = { files: new Map(), streams: new Map() }
    let rowsRead = 0
    for (const [key, source] of inputs.fileSources) {
      const files = offset.files.filter((f) => f.source === key)
      if (files.length === 0) {
        const empty = await stageEmpty(ctx, source.format === 'parquet' ? undefined : offset.sourceSchemas[key])
        relations.files.set(key, empty)
        temps.push(empty)
        continue
      }
      const staged = await stageFileSource(ctx.session, ctx.lakehouse.root, source, files, offset.sourceSchemas[key])
      if (source.format !== 'parquet') offset.sourceSchemas[key] = staged.schema
      relations.files.set(key, staged.relation)
      temps.push(staged.relation)
      rowsRead += staged.rowCount
    }
    for (const [table, range] of Object.entries(offset.sources)) {
      const staged = await stageSourceRange(ctx.session, await tableRootOf(ctx.lakehouse, table), table, range, skipChangeCommits(planned, ctx))
      relations.streams.set(table, staged.relation)
      temps.push(staged.relation)
      rowsRead += staged.rowCount
    }
    // A flow without incremental sources (INSERT INTO ONCE of literals) reads nothing; it has no rows-read count.
    if (inputs.fileSources.size + inputs.streams.size > 0) result.rowsRead = (result.rowsRead ?? 0) + rowsRead
    await checkpoint.writeOffset(offset)
    ctx.onStage?.('offset_written', flow.name)
    await ctx.onBatchStart?.(stored)
    throwIfCancelled(ctx, `before flow ${flow.name} ran`)

    const out = eventTime ? await eventTime.process(relations, offset) : await runIntoTempTable(ctx, renderQuery(ctx.plan, flow.query!, relations), flow.name, flow.query!)
    temps.push(out)
    const single = offset.files.length === 1 ? offset.files[0]!.path : undefined
    // Windows aggregate many files and batches: they get no per-file bronze columns.
    const bronze = inputs.fileSources.size > 0 && !eventTime ? { loadTime: offset.loadTime, batchId: offset.batchId, ...(single ? { singleFile: single } : {}) } : null
    const rows = await finalizeRows(ctx, out, planned.dataset.columns, bronze)
    temps.push(rows)
    const checked = await checkExpectations(ctx.session, ctx.sql, rows, stored, planned.dataset.expectations)
    temps.push(checked.valid === rows ? null : checked.valid, checked.dropped)
    result.rowsIn += checked.rowsIn
    result.expectations.push(...checked.counts)
    throwIfCancelled(ctx, `before flow ${flow.name} committed`)

    if (checked.dropped) {
      await appendQuarantine(ctx, stored, checked.dropped, appId, offset.batchId, offset.loadTime, offset.overwrite ?? offset.fullRefresh)
      ctx.onStage?.('quarantine_committed', flow.name)
    }
    if (eventTime) {
      result.rowsLate = (result.rowsLate ?? 0) + (await eventTime.writeLate(offset, appId))
      const stats = eventTime.lastBatch()
      if (stats) recordBatchStats(result, stats)
    }
    const version = await writeBatch(ctx, planned, stored, checked.valid, checked.rowsValid, offset, appId)
    ctx.onStage?.('target_committed', flow.name)
    if (checked.rowsIn !== checked.rowsValid + checked.rowsDropped) {
      throw new PipelineRunError('ROW_COUNT_MISMATCH', `Flow '${flow.name}': ${checked.rowsIn} row(s) in but ${checked.rowsValid} written + ${checked.rowsDropped} quarantined`, { flow: flow.name })
    }
    result.rowsWritten += checked.rowsValid
    result.rowsQuarantined += checked.rowsDropped
    if (version !== null) result.version = version
    await eventTime?.saveState(offset.batchId)
    await checkpoint.writeCommit({ batchId: offset.batchId, version, committedAt: ctx.clock.now() })
    ctx.onStage?.('batch_committed', flow.name)
    result.status = 'completed'
  } finally {
    await dropTempTables(ctx, temps)
  }
}

/** A zero-row stand-in for a file source with no new files in a batch that other sources drive. */
async function stageEmpty(ctx: RunContext, schema: { name: string; type: string }[] | undefined): Promise<string> {
  const name = `__lbp_nofiles_${Math.random().toString(36).slice(2)}`
  const cols = (schema ?? []).map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`)
  await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS SELECT ${[...cols, 'CAST(NULL AS VARCHAR) AS _rescued_data', "{'file_path': NULL::VARCHAR, 'file_name': NULL::VARCHAR, 'file_size': NULL::BIGINT, 'file_modification_time': NULL::TIMESTAMPTZ} AS _metadata"].join(', ')} LIMIT 0`)
  return name
}

/**
 * Writes a batch's valid rows: creates the table on its first batch, appends (or overwrites, for a full refresh)
 * with the batch's txn. A full refresh whose rows changed shape replaces the table. Returns the committed version,
 * or null when nothing was committed (no rows, or the txn shows the batch already landed).
 */
async function writeBatch(ctx: RunContext, planned: PlannedDataset, stored: string, relation: string, rows: number, offset: BatchOffset, appId: string): Promise<number | null> {
  const root = await tableRootOf(ctx.lakehouse, stored)
  const spec = tableSpecOf(planned.dataset, stored)
  let table = await openIfExists(ctx.session, root, ctx.clock)
  if (!table) {
    table = await createFor(ctx.session, root, relation, spec, ctx.clock)
    // A first batch without rows still creates the (empty) table, as Databricks does: readers downstream must find it.
    if (rows === 0) return (await table.snapshot()).version
  } else if (offset.overwrite ?? offset.fullRefresh) {
    const snapshot = await table.snapshot()
    const seen = snapshot.txns.get(appId)
    if ((!seen || seen.version < offset.batchId) && !sameSchema(snapshot.schema, await relationSchema(ctx.session, relation, spec.notNull))) {
      // The new shape starts empty; the overwrite below then carries the batch's txn like any other batch.
      const empty = `${relation}_shape`
      await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(empty)} AS SELECT * FROM ${sqlIdent(relation)} LIMIT 0`)
      try {
        table = await replaceTable(ctx.session, root, empty, spec, ctx.clock)
      } finally {
        await ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(empty)}`)
      }
    }
  } else if (rows === 0) return null
  try {
    const written = await table.write({
      sourceSql: `SELECT * FROM ${sqlIdent(relation)}`,
      mode: (offset.overwrite ?? offset.fullRefresh) ? 'overwrite' : 'append',
      txn: { appId, version: offset.batchId },
      operation: 'STREAMING UPDATE'
    })
    return written.skipped ? null : written.version
  } catch (e) {
    if (!(e instanceof DeltaError) || e.code !== 'SCHEMA_MISMATCH') throw e
    // The query's columns changed since the table was created (an edited SELECT): say which table and how to move on.
    const at = planned.dataset.location
    throw new PipelineRunError('SCHEMA_CHANGED',
      `${stored} no longer matches its query (${at.file}:${at.line}:${at.column}): ${e.message}. ` +
      `Streaming tables keep the columns of their first batch; recreate it with \`lakebench run --full-refresh ${stored}\` (tables streaming from it need a full refresh too).`,
      { table: stored, ...e.detail })
  }
}
