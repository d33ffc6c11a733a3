// pipeline.json's control tables during a run: watermark_control (RUNNING at start, advanced after the table committed) and reconciliation_log (after the flows).
import { DeltaTable } from '../../delta/deltaTable'
import { sqlIdent } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { WatermarkControlConfig } from '../pipelineConfig'
import { reconcile, type ReconciliationStatus } from '../reconcile'
import { WatermarkControl } from '../watermarkControl'
import { findDataset } from './plan'
import type { RunContext } from './runContext'
import type { FlowResult } from './runTypes'
import { tableRootOf } from './tableWriter'

/** Default thresholds when pipeline.json gives none: any difference warns, more than 5% fails. */
export const DEFAULT_WARN_THRESHOLD = 0
export const DEFAULT_FAIL_THRESHOLD = 0.05

export interface ReconciliationOutcome {
  source: string
  target: string
  status: ReconciliationStatus | 'ERROR'
  remarks: string
}

/** The stored table a watermark entry names (`schema.table` or a dataset name). */
function storedOf(ctx: RunContext, table: string): string {
  return findDataset(ctx.plan, table)?.stored ?? table.toLowerCase()
}

/**
 * Watermark control for one run: an entry whose table gets new input is marked RUNNING (once) before that table's
 * commit; entries of tables that had nothing new are left untouched, so an idle run commits nothing here.
 */
export class RunWatermarks {
  readonly begun: WatermarkControlConfig[] = []

  constructor(private readonly ctx: RunContext) {}

  /** Marks the entries of `stored` RUNNING the first time it gets a batch in this run. */
  async batchStarting(stored: string): Promise<void> {
    for (const w of this.ctx.config.watermarkControl) {
      if (storedOf(this.ctx, w.table) !== stored || this.begun.includes(w)) continue
      const control = await WatermarkControl.open(this.ctx.lakehouse, this.ctx.session, this.ctx.clock)
      await control.begin(w.sourceSystem, stored, w.watermarkColumn)
      this.begun.push(w)
    }
  }
}

/**
 * Closes watermark control after the flows: an entry whose table's flows failed (or were skipped or cancelled because
 * of a failure) is marked FAILED and keeps its watermark; a begun entry whose flows all succeeded advances to the
 * largest `watermarkColumn` value the table holds at its latest committed version (status SUCCESS).
 */
export async function finishWatermarks(ctx: RunContext, begun: WatermarkControlConfig[], flows: FlowResult[]): Promise<void> {
  let control: WatermarkControl | undefined
  const open = async (): Promise<WatermarkControl> => (control ??= await WatermarkControl.open(ctx.lakehouse, ctx.session, ctx.clock))
  for (const w of ctx.config.watermarkControl) {
    const stored = storedOf(ctx, w.table)
    const mine = flows.filter((f) => f.target === stored)
    if (mine.length === 0) continue
    if (!mine.every((f) => ['completed', 'no_new_data', 'unchanged'].includes(f.status))) {
      await (await open()).markFailed(w.sourceSystem, stored, w.watermarkColumn)
      continue
    }
    if (!begun.includes(w)) continue
    const root = await tableRootOf(ctx.lakehouse, stored)
    if (!(await DeltaTable.exists(root))) continue
    const snapshot = await (await DeltaTable.open(root, ctx.session)).snapshot()
    const rows = await ctx.session.query(`SELECT epoch_ms(CAST(max(${sqlIdent(w.watermarkColumn)}) AS TIMESTAMPTZ))::BIGINT AS ms FROM (${await scanSql(snapshot, ctx.session)}) AS t`)
    const ms = rows[0]?.ms
    // A table without any watermark value yet keeps its previous watermark (there is no later one to record).
    const next = ms === null || ms === undefined ? await (await open()).current(w.sourceSystem, stored) : new Date(Number(ms))
    if (next) await (await open()).advance(w.sourceSystem, stored, w.watermarkColumn, next)
  }
}

/**
 * Runs every reconciliation of pipeline.json whose two tables exist, comparing their latest versions; each appends one
 * row to system.reconciliation_log (batch_id = the run id). A check that cannot run is reported as ERROR.
 */
export async function runReconciliations(ctx: RunContext): Promise<ReconciliationOutcome[]> {
  const outcomes: ReconciliationOutcome[] = []
  for (const r of ctx.config.reconciliation) {
    const source = storedOf(ctx, r.source)
    const target = storedOf(ctx, r.target)
    try {
      const [sourceRoot, targetRoot] = [await tableRootOf(ctx.lakehouse, source), await tableRootOf(ctx.lakehouse, target)]
      if (!(await DeltaTable.exists(sourceRoot)) || !(await DeltaTable.exists(targetRoot))) continue
      const sourceSql = await scanSql(await (await DeltaTable.open(sourceRoot, ctx.session)).snapshot(), ctx.session)
      const targetSql = await scanSql(await (await DeltaTable.open(targetRoot, ctx.session)).snapshot(), ctx.session)
      const warnThreshold = r.warnThreshold ?? DEFAULT_WARN_THRESHOLD
      const result = await reconcile({ port: ctx.session, clock: ctx.clock, lakehouse: ctx.lakehouse }, {
        source, target, warnThreshold, failThreshold: r.failThreshold ?? Math.max(warnThreshold, DEFAULT_FAIL_THRESHOLD),
        ...(r.keyColumns ? { keyColumns: r.keyColumns } : {}), ...(r.sumColumns ? { sumColumns: r.sumColumns } : {}),
        ...(r.sourceFilter ? { sourceFilter: r.sourceFilter } : {}), ...(r.targetFilter ? { targetFilter: r.targetFilter } : {})
      }, { sourceSql, targetSql }, ctx.runId)
      outcomes.push({ source, target, status: result.status, remarks: result.remarks })
    } catch (e) {
      outcomes.push({ source, target, status: 'ERROR', remarks: e instanceof Error ? e.message : String(e) })
    }
  }
  return outcomes
}
