// What every stateful pipeline flow (windows, sessions, stream-stream joins) keeps the same way: its state folders, state
// saved before commits/N, late rows under the batch's txn, Spark's no-data batches, and its temp tables.
import path from 'node:path'
import { sqlIdent } from '../../delta/parquetPort'
import type { Flow } from '../model'
import type { BatchOffset, FlowCheckpoint } from '../run/checkpoints'
import type { InputRelations } from '../run/flowQuery'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { eventTimeFailure, noDataOffset, writeLateRows, writeStateJson, type StatefulBatchStats, type StatefulFlow } from './flowState'

export abstract class StatefulFlowBase implements StatefulFlow {
  /** Batch whose end state is in memory; null = fresh (no batch yet, or a full refresh). */
  protected stateBatch: number | null = null
  /** The watermark the batch in memory ran with (Spark: computed at the end of the batch before it). */
  protected watermarkUsedMs: number | null = null
  protected stateRows = 0
  protected late: { relation: string; rows: number } | null = null
  protected stats: StatefulBatchStats | null = null
  protected readonly temps: string[] = []

  constructor(protected readonly ctx: RunContext, protected readonly planned: PlannedDataset, protected readonly flow: Flow,
    protected readonly checkpoint: FlowCheckpoint) {}

  abstract begin(offset: BatchOffset): Promise<void>
  abstract process(relations: InputRelations, offset: BatchOffset): Promise<string>
  /** Where the flow's watermark is declared, for messages: `Flow 'x' (file:line:column)`. */
  protected abstract where(): string
  /** The watermark the next batch would run with. */
  protected abstract nextWatermark(): number | null
  /** Saves the operator's own tables into state/<N>/ (`dir`). */
  protected abstract saveOperator(dir: string): Promise<void>
  /** What state/<N>/watermark.json holds after batch `batchId`. */
  protected abstract savedState(batchId: number): unknown
  protected abstract closeOperator(): Promise<void>

  lastBatch(): StatefulBatchStats | null {
    return this.stats
  }

  protected failure(e: unknown): Error {
    return eventTimeFailure(e, this.where(), this.flow.name, this.planned.stored!)
  }

  protected stateDir(batchId: number): string {
    return path.join(this.checkpoint.dir, 'state', String(batchId))
  }

  /** Appends this batch's late rows to `<table>_late` with the batch's txn (see writeLateRows). */
  writeLate(offset: BatchOffset, appId: string): Promise<number> {
    return writeLateRows(this.ctx, this.planned, this.late, offset, appId)
  }

  /**
   * Writes the operator's tables and then state/<N>/watermark.json (tmp + fsync + rename), before the caller writes
   * commits/N: a batch is only marked done once the state it leaves is on disk.
   */
  async saveState(batchId: number): Promise<void> {
    const dir = this.stateDir(batchId)
    try {
      await this.saveOperator(dir)
    } catch (e) {
      throw this.failure(e)
    }
    await writeStateJson(path.join(dir, 'watermark.json'), this.savedState(batchId))
    this.stateBatch = batchId
  }

  /**
   * Spark's no-data micro-batch (`spark.sql.streaming.noDataMicroBatches.enabled`): when the watermark moved past the one
   * the last batch used and state is held, a batch without new input emits what the watermark closed (windows, the
   * unmatched rows of a LEFT OUTER JOIN) and evicts the rest. Its offset repeats the last committed batch's source
   * positions with no files; null when no such batch is due.
   */
  async noDataBatch(): Promise<BatchOffset | null> {
    const state = await this.checkpoint.state()
    const last = state.lastCommitted
    if (!last || state.pending) return null
    if (this.stateBatch !== last.batchId) await this.begin({ ...last, fullRefresh: false })
    const next = this.nextWatermark()
    if (next === null || (this.watermarkUsedMs !== null && next <= this.watermarkUsedMs) || this.stateRows === 0) return null
    return noDataOffset(state, last, this.ctx)
  }

  /** Drops the operator's and this flow's temp tables. */
  async close(): Promise<void> {
    await this.closeOperator().catch(() => undefined)
    for (const t of this.temps.splice(0)) await this.ctx.session.exec(`DROP TABLE IF EXISTS ${sqlIdent(t)}`).catch(() => undefined)
  }
}
