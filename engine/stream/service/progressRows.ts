// Reads a continuous pipeline's micro-batches back from system.stream_progress (the whole progress is in progress_json).
import type { StreamBatchInfo } from '../../api/streamApi'
import { DeltaTable } from '../../delta/deltaTable'
import { sqlString } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { DuckdbSession } from '../../sql/duckdbSession'
import { continuousQueryId } from '../continuousPipeline'
import { progressTableRoot } from '../progress'

/**
 * The newest `limit` batches of pipeline `pipeline`'s query (id `pipeline/<name>`), oldest first; empty when nothing
 * has streamed yet. @throws DeltaError when the table exists but cannot be read; Error naming the batch when a
 * progress_json value is not JSON.
 */
export async function readStreamProgress(lakehouseRoot: string, session: DuckdbSession, pipeline: string, limit: number): Promise<StreamBatchInfo[]> {
  const root = progressTableRoot(lakehouseRoot)
  if (!(await DeltaTable.exists(root))) return []
  const snapshot = await (await DeltaTable.open(root, session)).snapshot()
  const rows = await session.query(`SELECT batch_id, progress_json FROM (${await scanSql(snapshot, session)})
    WHERE id = ${sqlString(continuousQueryId(pipeline))} ORDER BY batch_id DESC LIMIT ${Math.max(0, Math.trunc(limit))}`)
  return rows.reverse().map((row) => {
    try {
      return JSON.parse(String(row.progress_json)) as StreamBatchInfo
    } catch {
      throw new Error(`system.stream_progress: progress_json of batch ${String(row.batch_id)} of pipeline ${pipeline} is not valid JSON`)
    }
  })
}
