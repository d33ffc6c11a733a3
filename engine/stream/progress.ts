// Progress of one micro-batch (the shape of Spark's StreamingQueryProgress, trimmed) and its rows in system.stream_progress.
import path from 'node:path'
import { DeltaTable } from '../delta/deltaTable'
import { isDeltaError } from '../delta/errors'
import { sqlString } from '../delta/parquetPort'
import { parseSchemaString } from '../delta/schema'
import type { StreamBatchInfo } from '../api/streamApi'
import type { DuckdbSession } from '../sql/duckdbSession'

/** One stateful operator's part of a batch's progress (Spark's StateOperatorProgress, trimmed). */
export type StateOperatorProgress = StreamBatchInfo['stateOperators'][number]

/**
 * Progress of one micro-batch: the Engine API's StreamBatchInfo is this very shape, so what a query reports, what
 * system.stream_progress stores and what the workbench charts never drift apart. `status`/`error` are set for
 * continuous pipelines (the outcome of the pipeline run behind the batch).
 */
export type BatchProgress = StreamBatchInfo

/** The progress table, schema.name. */
export const PROGRESS_TABLE = 'system.stream_progress'

const PROGRESS_COLUMNS: [name: string, sqlType: string, deltaType: string][] = [
  ['id', 'VARCHAR', 'string'], ['run_id', 'VARCHAR', 'string'], ['name', 'VARCHAR', 'string'], ['batch_id', 'BIGINT', 'long'],
  ['timestamp', 'TIMESTAMPTZ', 'timestamp'], ['num_input_rows', 'BIGINT', 'long'], ['input_rows_per_second', 'DOUBLE', 'double'],
  ['processed_rows_per_second', 'DOUBLE', 'double'], ['trigger_execution_ms', 'BIGINT', 'long'], ['watermark', 'TIMESTAMPTZ', 'timestamp'],
  ['num_rows_late', 'BIGINT', 'long'], ['num_output_rows', 'BIGINT', 'long'], ['progress_json', 'VARCHAR', 'string']
]

const msTimestamp = (ms: number | null | undefined): string => (ms === null || ms === undefined ? 'NULL' : `make_timestamptz(${Math.trunc(ms)}::BIGINT * 1000)`)
const num = (n: number): string => (Number.isFinite(n) ? String(n) : '0')

function progressRowSql(p: BatchProgress): string {
  const values = [
    sqlString(p.id), sqlString(p.runId), sqlString(p.name), String(p.batchId), msTimestamp(p.timestamp), String(p.numInputRows),
    num(p.inputRowsPerSecond), num(p.processedRowsPerSecond), String(Math.round(p.durationMs.triggerExecution)),
    msTimestamp(p.eventTime?.watermark), String(p.numRowsLate), String(p.sink.numOutputRows), sqlString(JSON.stringify(p))
  ]
  return `SELECT ${values.map((v, i) => `CAST(${v} AS ${PROGRESS_COLUMNS[i]![1]}) AS "${PROGRESS_COLUMNS[i]![0]}"`).join(', ')}`
}

/** Folder of system.stream_progress in a lakehouse. */
export function progressTableRoot(lakehouseRoot: string): string {
  return path.join(lakehouseRoot, 'tables', 'system', 'stream_progress')
}

/**
 * Appends one progress row (columns above, the whole progress as JSON in progress_json), creating the table when
 * missing. Idempotent per (query id, batch id) through txn appId `stream_progress:<id>`, so a re-run batch adds no second row.
 * @throws DeltaError from the write (e.g. SCHEMA_MISMATCH when someone changed the table).
 */
export async function appendProgress(lakehouseRoot: string, port: DuckdbSession, progress: BatchProgress, clock: { now(): number }): Promise<void> {
  const root = progressTableRoot(lakehouseRoot)
  let table: DeltaTable
  if (await DeltaTable.exists(root)) table = await DeltaTable.open(root, port, { clock })
  else {
    const schema = parseSchemaString(JSON.stringify({ type: 'struct', fields: PROGRESS_COLUMNS.map(([name, , type]) => ({ name, type, nullable: true, metadata: {} })) }))
    try {
      table = await DeltaTable.create(root, port, { schema, name: 'stream_progress', description: 'One row per streaming micro-batch' }, { clock })
    } catch (e) {
      if (!isDeltaError(e, 'TABLE_ALREADY_EXISTS')) throw e
      table = await DeltaTable.open(root, port, { clock })
    }
  }
  await table.write({ mode: 'append', sourceSql: progressRowSql(progress), txn: { appId: `stream_progress:${progress.id}`, version: progress.batchId } })
}
