// A flow's query made runnable: what it streams from, the spliced Spark SQL (temporary views inlined), its rows in a temp table, bronze columns added.
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import { withoutWatermarkClauses, withWatermarkColumn } from '../eventTime/watermarkSql'
import type { ColumnDefinition, FileSource, Query } from '../model'
import { fileSourceKey } from './fileSource'
import type { RunPlan } from './plan'
import { aliasOf, spliceQuery, type SpanReplacement } from './querySplicer'
import type { RunContext } from './runContext'
import { PipelineRunError } from './runTypes'
import { parseDdlColumns } from './sparkDdl'

/** What a query reads incrementally: file sources and STREAM(...) tables (by stored or external name). */
export interface QueryInputs {
  fileSources: Map<string, FileSource>
  streams: Set<string>
}

/** Walks `query` and the temporary views it reads (inlined when run) for its file sources and streamed tables. */
export function collectInputs(plan: RunPlan, query: Query, inputs: QueryInputs = { fileSources: new Map(), streams: new Set() }, visiting = new Set<string>()): QueryInputs {
  for (const source of query.fileSources) inputs.fileSources.set(fileSourceKey(source), source)
  for (const ref of query.references) {
    const resolved = plan.resolve(ref.name)
    if (resolved.kind === 'dataset' && resolved.dataset.stored === null) {
      const view = resolved.dataset.dataset
      if (view.query && !visiting.has(view.name)) collectInputs(plan, view.query, inputs, new Set([...visiting, view.name]))
    } else if (ref.streaming) {
      if (resolved.kind === 'dataset') inputs.streams.add(resolved.dataset.stored!)
      else if (resolved.kind === 'external') inputs.streams.add(resolved.table)
      // A lakehouse table that does not exist yet (another pipeline has not created it): the flow waits for it.
      else if (ref.name.split('.').length === 2) inputs.streams.add(ref.name)
    }
  }
  return inputs
}

/** Relations standing in for the inputs of one batch (or of a full recompute). */
export interface InputRelations {
  /** fileSourceKey -> temp table. */
  files: Map<string, string>
  /** stored/external table -> temp table of the rows to stream; absent = read the table as a batch. */
  streams: Map<string, string>
}

/**
 * The query as Spark SQL over lakehouse names and temp tables: stored datasets become `schema.table` (bound by the SQL
 * engine to their latest version), streamed tables and file sources the batch's temp tables, temporary views their
 * own spliced query in parentheses; `input_file_name()` reads the file source's `_metadata.file_path`.
 * @throws PipelineRunError UNKNOWN_DATASET for a reference to nothing, CYCLE for views that read themselves.
 */
export function renderQuery(plan: RunPlan, written: Query, relations: InputRelations, visiting = new Set<string>()): string {
  // WATERMARK clauses are for the event-time operators; the SQL itself runs without them.
  const query = withoutWatermarkClauses(written)
  const reference = (ref: Query['references'][number]): SpanReplacement => {
    const resolved = plan.resolve(ref.name)
    if (resolved.kind === 'unresolved') {
      throw new PipelineRunError('UNKNOWN_DATASET', `${ref.written} (${ref.location.file}:${ref.location.line}:${ref.location.column}) is neither a pipeline dataset nor a lakehouse table`, { location: ref.location })
    }
    if (resolved.kind === 'dataset' && resolved.dataset.stored === null) {
      const view = resolved.dataset.dataset
      if (!view.query) throw new PipelineRunError('UNKNOWN_DATASET', `temporary view ${view.displayName} has no query`, { location: view.location })
      if (visiting.has(view.name)) throw new PipelineRunError('CYCLE', `temporary view ${view.displayName} reads itself`, { location: ref.location })
      return { text: `(${renderQuery(plan, view.query, relations, new Set([...visiting, view.name]))})`, alias: aliasOf(ref.name) }
    }
    const table = resolved.kind === 'dataset' ? resolved.dataset.stored! : resolved.table
    const streamed = ref.streaming ? relations.streams.get(table) : undefined
    if (streamed !== undefined) return { text: withWatermarkColumn(sqlIdent(streamed), ref.watermark), alias: aliasOf(ref.name) }
    return ref.watermark?.expression === undefined ? { text: table } : { text: withWatermarkColumn(table, ref.watermark), alias: aliasOf(ref.name) }
  }
  const file = (source: FileSource): SpanReplacement => {
    const relation = relations.files.get(fileSourceKey(source))
    if (relation === undefined) throw new PipelineRunError('INTERNAL', `file source ${source.path} was not staged`)
    return { text: withWatermarkColumn(sqlIdent(relation), source.watermark) }
  }
  const spliced = spliceQuery(query, reference, file)
  return query.fileSources.length > 0 || relations.files.size > 0 ? spliced.replace(/\binput_file_name\s*\(\s*\)/gi, '_metadata.file_path') : spliced
}

let counter = 0

/**
 * Runs rendered Spark SQL through the SQL engine (binding and translation) into a new temp table.
 * @throws PipelineRunError QUERY_FAILED naming the flow and where its query starts.
 */
export async function runIntoTempTable(ctx: RunContext, sparkSql: string, flow: string, query: Query): Promise<string> {
  const relation = `__lbp_out_${++counter}`
  let prepared: Awaited<ReturnType<RunContext['sql']['prepareQuery']>> | undefined
  try {
    prepared = await ctx.sql.prepareQuery(sparkSql)
    await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relation)} AS ${prepared.sql}`)
  } catch (e) {
    // DuckDB's `LINE 1: ...` excerpt quotes the translated SQL over temp tables, which the user never wrote: the
    // location of their query replaces it.
    const message = (e instanceof Error ? e.message : String(e)).split(/\n\s*LINE \d+:/)[0]!.trim()
    throw new PipelineRunError('QUERY_FAILED', `Flow '${flow}' (${query.location.file}:${query.location.line}:${query.location.column}) failed: ${message}`, { flow, location: query.location })
  } finally {
    await prepared?.release()
  }
  return relation
}

export interface BronzeColumns {
  loadTime: number
  batchId: number | null
  /** The one file a batch read, for rows whose query dropped `_metadata`. */
  singleFile?: string
}

/**
 * Final shape of a flow's rows: `_metadata` removed (it is never stored), `_source_file` / `_load_time` / `_batch_id`
 * added for file-sourced rows (`bronze`) unless the query already returns them, declared column types applied.
 * Returns a new temp table.
 */
export async function finalizeRows(ctx: RunContext, relation: string, declared: readonly ColumnDefinition[], bronze: BronzeColumns | null): Promise<string> {
  const described = await ctx.session.query(`DESCRIBE ${sqlIdent(relation)}`)
  const names = new Set(described.map((r) => String(r.column_name).toLowerCase()))
  const hasMetadata = names.has('_metadata')
  const extra: string[] = []
  if (bronze) {
    if (!names.has('_source_file')) {
      extra.push(hasMetadata ? '_metadata.file_path AS _source_file' : `CAST(${bronze.singleFile === undefined ? 'NULL' : sqlString(bronze.singleFile)} AS VARCHAR) AS _source_file`)
    }
    if (!names.has('_load_time')) extra.push(`make_timestamptz(${Math.trunc(bronze.loadTime)}::BIGINT * 1000) AS _load_time`)
    if (!names.has('_batch_id')) extra.push(`CAST(${bronze.batchId ?? 'NULL'} AS BIGINT) AS _batch_id`)
  }
  const typed = declared.filter((c) => c.type !== undefined && names.has(c.name.toLowerCase()))
  const casts = new Map(typed.map((c) => [c.name.toLowerCase(), parseDdlColumns(`\`${c.name.replace(/`/g, '``')}\` ${c.type}`, `column ${c.name}`)[0]!.type]))
  if (!hasMetadata && extra.length === 0 && casts.size === 0) return relation
  const select = [
    ...described.map((r) => String(r.column_name)).filter((n) => n !== '_metadata').map((n) => {
      const cast = casts.get(n.toLowerCase())
      return cast === undefined ? sqlIdent(n) : `CAST(${sqlIdent(n)} AS ${cast}) AS ${sqlIdent(n)}`
    }),
    ...extra
  ]
  const out = `__lbp_final_${++counter}`
  await ctx.session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(out)} AS SELECT ${select.join(', ')} FROM ${sqlIdent(relation)}`)
  return out
}

/** Drops the temp tables a flow created. */
export async function dropTempTables(ctx: RunContext, names: Iterable<string | null | undefined>): Promise<void> {
  for (const name of new Set(names)) if (name) await ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(name)}`).catch(() => undefined)
}
