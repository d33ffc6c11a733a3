// The table-version browser's methods of TablesApi (versionInfo, preview, diff, restore, optimize, vacuum, detail) over one lakehouse.
import { EngineError } from '../api/errors'
import type { OptimizeResult, RestorePreview, TablesApi, VacuumResult } from '../api/tablesApi'
import { DeltaTable } from '../delta/deltaTable'
import { scanSql } from '../delta/scan'
import type { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from '../sql/arrow'
import { describeDetailSql } from '../sql/dialect/metadataStatements'
import type { DuckdbSession } from '../sql/duckdbSession'
import { queryArrow } from './arrowQuery'
import { diffVersions } from './versionDiff'
import { rowsOfFiles, versionInfo } from './versionInfo'

/** Rows a preview returns when the caller gives no limit. */
export const DEFAULT_PREVIEW_LIMIT = 100

export type TableBrowserApi = Pick<TablesApi, 'versionInfo' | 'preview' | 'diff' | 'restorePreview' | 'restore' | 'optimize' | 'vacuum' | 'detail'>

export interface TableBrowserContext {
  lakehouse: Lakehouse
  session: DuckdbSession
  /** Commit clock (tests inject one to age files for VACUUM); default Date.now. */
  clock?: { now(): number }
}

/**
 * Opens `schema.name` in the lakehouse.
 * @throws EngineError TABLE_NOT_FOUND naming the table and the lakehouse.
 */
export async function openTable(ctx: TableBrowserContext, qualified: string): Promise<DeltaTable> {
  const [schema, name] = qualified.split('.').map((part) => part.replace(/^`|`$/g, '')) as [string, string]
  const table = await ctx.lakehouse.resolveTable(schema, name)
  if (!table) throw new EngineError('TABLE_NOT_FOUND', `Table ${qualified} does not exist in ${ctx.lakehouse.root}`, { table: qualified })
  return DeltaTable.open(table.path, ctx.session, ctx.clock ? { clock: ctx.clock } : {})
}

/**
 * The browser methods over the lakehouse `context()` returns at call time (so lakehouse.open switches them too).
 * Errors: TABLE_NOT_FOUND, Delta codes (VERSION_NOT_FOUND, DATA_FILE_MISSING, VACUUM_RETENTION_TOO_SHORT,
 * INVALID_ARGUMENT, ...), and the diff codes of diffVersions; callers convert them with toEngineError.
 */
export function tableBrowserApi(context: () => TableBrowserContext): TableBrowserApi {
  return {
    async versionInfo(arg) {
      return versionInfo(await openTable(context(), arg.table), arg.table, arg.version)
    },
    async preview(arg) {
      const ctx = context()
      const snapshot = await (await openTable(ctx, arg.table)).snapshot({ version: arg.version })
      const limit = arg.limit ?? DEFAULT_PREVIEW_LIMIT
      return queryArrow(ctx.session, `SELECT * FROM (${await scanSql(snapshot, ctx.session)}) AS preview LIMIT ${Math.floor(limit)}`)
    },
    async diff(arg) {
      const ctx = context()
      return diffVersions(await openTable(ctx, arg.table), ctx.session, arg.table, arg)
    },
    async restorePreview(arg): Promise<RestorePreview> {
      const { current, target, plan } = await (await openTable(context(), arg.table)).restorePlan(arg.version)
      return {
        table: arg.table, toVersion: target.version, currentVersion: current.version, filesToRemove: plan.toRemove.length, filesToAdd: plan.toAdd.length,
        rowsAfter: rowsOfFiles(target.files), rowsNow: rowsOfFiles(current.files)
      }
    },
    async restore(arg) {
      const result = await (await openTable(context(), arg.table)).restore({ version: arg.version })
      return { version: result.version }
    },
    async optimize(arg): Promise<OptimizeResult> {
      const result = await (await openTable(context(), arg.table)).optimize({ where: arg.where, zorderBy: arg.zorderBy })
      const m = result.metrics
      return {
        table: arg.table, version: result.skipped ? null : result.version, filesRemoved: m.numRemovedFiles ?? 0, filesAdded: m.numAddedFiles ?? 0,
        bytesBefore: m.numRemovedBytes ?? 0, bytesAfter: m.numAddedBytes ?? 0
      }
    },
    async vacuum(arg): Promise<VacuumResult> {
      const out = await (await openTable(context(), arg.table)).vacuum({ retentionHours: arg.retentionHours, dryRun: arg.dryRun })
      return { table: arg.table, dryRun: out.dryRun, retentionHours: out.retentionHours, files: out.files, bytes: out.bytes }
    },
    async detail(arg) {
      const ctx = context()
      const snapshot = await (await openTable(ctx, arg.table)).snapshot()
      const { rows } = await queryArrow(ctx.session, describeDetailSql(snapshot, arg.table, snapshot.timestamp))
      return arrowRows(rows)[0] ?? {}
    }
  }
}
