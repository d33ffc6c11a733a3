// createEngine: the composition root, wiring a Lakehouse, one DuckDB session, the SqlEngine and Delta history into EngineApi.
import type { EngineApi } from './api/engineApi'
import { EngineError, toEngineError } from './api/errors'
import type { EngineEvent, EngineEventListener } from './api/events'
import type { LakehouseCreationStep, LakehouseInfo, LakehouseSampleName } from './api/lakehouseApi'
import type { QueryHistoryEntry } from './api/queriesApi'
import type { StatementResult } from './api/sqlApi'
import type { HistoryEntry } from './api/tablesApi'
import { DeltaTable } from './delta/deltaTable'
import { Lakehouse } from './lakehouse/folder'
import { RecentLakehouses } from './lakehouse/recentLakehouses'
import { PipelineRuns } from './pipeline/pipelineRuns'
import { qualityReader } from './quality/qualityReader'
import { describePipeline } from './pipeline/pipelineDescription'
import { readPipelineRuns } from './pipeline/pipelineRunHistory'
import { appendQueryHistory, searchQueryHistory } from './queries/queryHistory'
import { listSavedQueries, readSavedQuery, saveQuery } from './queries/savedQueries'
import { DuckdbSession } from './sql/duckdbSession'
import { SqlEngine } from './sql/queryRunner'
import { exportQueryResult } from './sql/resultExport'
import { tableBrowserApi } from './tables/tableBrowser'
import { ProfileRunner } from './tables/profileRunner'
import type { StreamClock } from './stream/clock'
import { StreamService, type LiveProducerFactory } from './stream/streamService'
import { type SummaryCache, tableSummaries } from './tables/tableSummaries'

/** An EngineApi that owns resources (DuckDB, open files): close it when the host stops. */
// What every host needs to decide which lakehouse to open at start and to build samples on request, re-exported here
// so the desktop host reaches the engine only through its composition root.
export { chooseStartLakehouse, userDataDir } from './hosts/startChoice'
export { buildSampleLakehouse } from './hosts/sampleBuilder'
export { openLiveSampleProducer } from './hosts/liveProducerFactory'
export type { LiveProducerFactory } from './stream/streamService'

export interface Engine extends EngineApi {
  close(): Promise<void>
}

export interface CreateEngineOptions {
  /** The lakehouse folder to open (it must exist; see lakehouse.create for new ones). */
  lakehouseDir: string
  /** The per-user recents file (lakehouse.recent); without it nothing is remembered and the list is empty. */
  recentsFile?: string
  /** Fills a new lakehouse with a sample (lakehouse.create with `sample`); hosts supply it, as samples/ sits above the engine. */
  buildSample?: SampleBuilder
  /**
   * Opens the live producer of a sample lakehouse for the stream domain (null for other lakehouses); hosts supply it,
   * as samples/ sits above the engine. Without it no lakehouse has a producer.
   */
  liveProducer?: LiveProducerFactory
  /** The clock of the stream domain (producer pacing, triggers); tests inject a ManualClock. Default the system clock. */
  streamClock?: StreamClock
}

/**
 * Builds sample `sample` as a new lakehouse in `dir`, calling `onStep` before each step.
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` already is a lakehouse; Error when its pipeline run fails.
 */
export type SampleBuilder = (dir: string, sample: LakehouseSampleName, onStep: (step: LakehouseCreationStep) => void) => Promise<void>

/** Everything bound to one open lakehouse; replaced as a whole by lakehouse.open/create. */
interface OpenLakehouse {
  lakehouse: Lakehouse
  session: DuckdbSession
  sql: SqlEngine
}

/**
 * Opens the lakehouse at `lakehouseDir` and returns the Engine API over it. All methods reject with EngineError
 * (codes from the SQL, Delta and lakehouse layers pass through, with their file/line/column/table/version detail).
 * @throws EngineError NOT_A_LAKEHOUSE / CORRUPT_LAKEHOUSE when the folder cannot be opened.
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const listeners = new Set<EngineEventListener>()
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event)
  }
  let current = await guard(() => openLakehouse(Lakehouse.open(options.lakehouseDir)))
  const recents = options.recentsFile === undefined ? undefined : new RecentLakehouses(options.recentsFile)
  // The list is a convenience: failing to write it must never fail the open that succeeded.
  const remember = (info: LakehouseInfo) => recents?.record(info.root, info.name).catch(() => undefined)
  await remember(infoOf(current.lakehouse))
  // Pipeline runs use their own DuckDB session, so a long run never queues the user's SQL behind it.
  const runs = new PipelineRuns(emit)
  const pipelineApi = runs.api(() => current.lakehouse)
  const browser = tableBrowserApi(() => ({ lakehouse: current.lakehouse, session: current.session }))
  // Opened tables per lakehouse, so the explorer's summaries replay only new commits on each refresh.
  const summaryCaches = new WeakMap<Lakehouse, SummaryCache>()
  // Profiles scan whole tables: their own DuckDB session keeps the user's SQL from queueing behind them.
  const profiles = new ProfileRunner()
  const quality = qualityReader(() => ({ lakehouse: current.lakehouse, session: current.session }))
  // The live producer and the streaming query follow the current lakehouse: both stop when it changes.
  const streams = new StreamService({ emit, ...(options.liveProducer ? { liveProducer: options.liveProducer } : {}), ...(options.streamClock ? { clock: options.streamClock } : {}) })
  await streams.bind(current.lakehouse, current.session)
  const streamApi = streams.api()
  /** Runs a table-changing browser method and tells listeners, naming it as the equivalent SQL statement. */
  const changing = async <T>(statement: string, work: () => Promise<T>): Promise<T> => {
    const result = await work()
    emit({ type: 'tables.changed', statements: [statement] })
    return result
  }

  /** Makes `next` current; the previous lakehouse is closed only once the new one opened, so a failure changes nothing. */
  const switchTo = async (opening: Promise<Lakehouse>): Promise<LakehouseInfo> => {
    const next = await openLakehouse(opening)
    const previous = current
    current = next
    await streams.bind(next.lakehouse, next.session)
    closeLakehouse(previous)
    await remember(infoOf(next.lakehouse))
    emit({ type: 'lakehouse.opened', info: infoOf(next.lakehouse) })
    return infoOf(next.lakehouse)
  }
  /** A new lakehouse: empty, or built from a sample with its progress reported as events. */
  const createLakehouse = async (arg: { dir: string; name?: string; sample?: LakehouseSampleName }): Promise<Lakehouse> => {
    if (arg.sample === undefined) return Lakehouse.create(arg.dir, arg.name === undefined ? {} : { name: arg.name })
    if (!options.buildSample) throw new EngineError('SAMPLES_UNAVAILABLE', `This host cannot build the ${arg.sample} sample; create an empty lakehouse instead`, { dir: arg.dir })
    await options.buildSample(arg.dir, arg.sample, (step) => emit({ type: 'lakehouse.progress', dir: arg.dir, step }))
    return Lakehouse.open(arg.dir)
  }

  return {
    lakehouse: {
      info: async () => infoOf(current.lakehouse),
      open: (arg) => guard(() => switchTo(Lakehouse.open(arg.dir))),
      create: (arg) => guard(() => switchTo(createLakehouse(arg))),
      recent: () => guard(async () => (recents ? recents.list() : []))
    },
    tables: {
      listSchemas: () => guard(() => current.lakehouse.listSchemas()),
      listTables: (arg) => guard(() => current.lakehouse.listTables(arg?.schema)),
      history: (arg) => guard(() => tableHistory(current, arg.table, arg.limit)),
      versionInfo: (arg) => guard(() => browser.versionInfo(arg)),
      preview: (arg) => guard(() => browser.preview(arg)),
      diff: (arg) => guard(() => browser.diff(arg)),
      restorePreview: (arg) => guard(() => browser.restorePreview(arg)),
      restore: (arg) => guard(() => changing(`RESTORE TABLE ${arg.table} TO VERSION AS OF ${arg.version}`, () => browser.restore(arg))),
      optimize: (arg) => guard(() => changing(`OPTIMIZE ${arg.table}`, () => browser.optimize(arg))),
      vacuum: (arg) => guard(() => (arg.dryRun ? browser.vacuum(arg) : changing(`VACUUM ${arg.table}`, () => browser.vacuum(arg)))),
      detail: (arg) => guard(() => browser.detail(arg)),
      profile: (arg) => guard(() => profiles.profile(current.lakehouse, arg.table, arg.version)),
      cancelProfile: () => guard(() => profiles.cancel()),
      summaries: () =>
        guard(() => {
          const { lakehouse, session } = current
          const cache = summaryCaches.get(lakehouse) ?? new Map()
          summaryCaches.set(lakehouse, cache)
          return tableSummaries(lakehouse, session, cache)
        })
    },
    sql: {
      execute: (arg) =>
        guard(async () => {
          const root = current.lakehouse.root
          const time = Date.now()
          const started = performance.now()
          try {
            const results = await executeAndReport(current.sql, arg.sql, emit)
            const rows = results.reduce((sum, r) => sum + (r.kind === 'rows' ? r.rowCount : 0), 0)
            await recordRun(root, { statement: arg.sql, time, durationMs: performance.now() - started, rows, status: 'ok' })
            return results.map(toApiResult)
          } catch (error) {
            const failure = toEngineError(error)
            const status = failure.code === 'CANCELLED' ? 'cancelled' : 'error'
            await recordRun(root, { statement: arg.sql, time, durationMs: performance.now() - started, rows: 0, status, error: failure.message })
            throw failure
          }
        }),
      cancel: async () => current.sql.cancel(),
      exportResult: (arg) => guard(() => exportQueryResult(current.sql, current.session, arg.sql, arg.format))
    },
    pipeline: {
      list: () => guard(() => pipelineApi.list()),
      validate: (arg) => guard(() => pipelineApi.validate(arg)),
      run: (arg) => guard(() => pipelineApi.run(arg)),
      cancel: (arg) => guard(() => pipelineApi.cancel(arg)),
      describe: (arg) => guard(() => describePipeline(current.lakehouse, arg.name)),
      runs: (arg) => guard(() => readPipelineRuns(current.lakehouse, current.session, arg.name, arg.limit))
    },
    queries: {
      list: () => guard(() => listSavedQueries(current.lakehouse.root)),
      read: (arg) => guard(() => readSavedQuery(current.lakehouse.root, arg.name)),
      save: (arg) => guard(() => saveQuery(current.lakehouse.root, arg.name, arg.text)),
      history: (arg) => guard(() => searchQueryHistory(current.lakehouse.root, arg ?? {}))
    },
    quality: {
      overview: () => guard(() => quality.overview()),
      quarantine: (arg) => guard(() => quality.quarantine(arg)),
      reconciliation: (arg) => guard(() => quality.reconciliation(arg)),
      watermarks: () => guard(() => quality.watermarks())
    },
    stream: {
      status: () => guard(() => streamApi.status()),
      configureProducer: (arg) => guard(() => streamApi.configureProducer(arg)),
      controlProducer: (arg) => guard(() => streamApi.controlProducer(arg)),
      start: (arg) => guard(() => streamApi.start(arg)),
      stop: (arg) => guard(() => streamApi.stop(arg)),
      progress: (arg) => guard(() => streamApi.progress(arg)),
      lateRows: (arg) => guard(() => streamApi.lateRows(arg)),
      checkpoint: (arg) => guard(() => streamApi.checkpoint(arg))
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      await streams.close()
      await runs.stopAll()
      await profiles.close()
      listeners.clear()
      closeLakehouse(current)
    }
  }
}

async function openLakehouse(opening: Promise<Lakehouse>): Promise<OpenLakehouse> {
  const lakehouse = await opening
  // One session serves SQL and the history reader, so the engine holds a single DuckDB instance.
  const session = await DuckdbSession.create()
  const sql = await SqlEngine.open(lakehouse, { session })
  return { lakehouse, session, sql }
}

function closeLakehouse(open: OpenLakehouse): void {
  open.sql.close()
  open.session.close()
}

function infoOf(lakehouse: Lakehouse): LakehouseInfo {
  const { root, name, formatVersion } = lakehouse.info
  return { root, name, formatVersion }
}

/** Runs a script; tells listeners when statements that change tables (the `ok` kind) ran, even if a later one failed. */
async function executeAndReport(sql: SqlEngine, script: string, emit: (event: EngineEvent) => void): Promise<Awaited<ReturnType<SqlEngine['execute']>>> {
  try {
    const results = await sql.execute(script)
    // RESTORE / OPTIMIZE / VACUUM return Spark's result rows but change the table too.
    const changing = results.filter((r) => r.kind === 'ok' || /^\s*(RESTORE|OPTIMIZE|VACUUM)\s/i.test(r.statement)).map((r) => r.statement)
    if (changing.length > 0) emit({ type: 'tables.changed', statements: changing })
    return results
  } catch (error) {
    const failedAt = (error as { statementIndex?: unknown }).statementIndex
    // Statements before the failing one ran and may have written; the error does not say which, so report "something".
    if (typeof failedAt === 'number' && failedAt > 0) emit({ type: 'tables.changed', statements: [] })
    throw error
  }
}

function toApiResult(result: Awaited<ReturnType<SqlEngine['execute']>>[number]): StatementResult {
  const { statement, kind, columns, rowCount, arrow, message, elapsedMs, plan } = result
  const api: StatementResult = message === undefined ? { statement, kind, columns, rowCount, arrow, elapsedMs } : { statement, kind, columns, rowCount, arrow, message, elapsedMs }
  if (plan) api.plan = plan
  return api
}

/** History of `schema.table`, newest first. @throws EngineError TABLE_NOT_FOUND naming the table. */
async function tableHistory(open: OpenLakehouse, qualified: string, limit: number | undefined): Promise<HistoryEntry[]> {
  const [schema, name] = qualified.split('.').map((part) => part.replace(/^`|`$/g, '')) as [string, string]
  const table = await open.lakehouse.resolveTable(schema, name)
  if (!table) throw new EngineError('TABLE_NOT_FOUND', `Table ${qualified} does not exist in ${open.lakehouse.root}`, { table: qualified })
  const delta = await DeltaTable.open(table.path, open.session)
  return delta.history(limit)
}

/** Adds a run to the query history; a history that cannot be written must not fail the query that ran. */
async function recordRun(root: string, entry: QueryHistoryEntry): Promise<void> {
  await appendQueryHistory(root, entry).catch(() => undefined)
}

/** Runs engine work, converting whatever it throws into EngineError. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw toEngineError(error)
  }
}
