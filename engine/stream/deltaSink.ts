// The streaming sink: a Delta table (created from the first batch's columns) written once per batch with txn(queryId, batchId).
import path from 'node:path'
import { DeltaTable } from '../delta/deltaTable'
import { isDeltaError } from '../delta/errors'
import { sqlIdent } from '../delta/parquetPort'
import type { StructType } from '../delta/schema'
import { deltaTypeOf, field } from '../delta/typeMapping'
import type { DuckdbSession } from '../sql/duckdbSession'
import { StreamError } from './streamError'

/** commitInfo.operation of a streaming write, as Spark's Delta sink records it. */
export const STREAMING_OPERATION = 'STREAMING UPDATE'

/** Folder of `schema.name` under the lakehouse (lower-case, as new tables are created). */
export function tableRootOf(lakehouseRoot: string, table: string): string {
  const parts = table.split('.')
  if (parts.length !== 2 || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    throw new StreamError('INVALID_ARGUMENT', `sink table '${table}' must be schema.name (letters, digits, underscores)`, { table })
  }
  return path.join(lakehouseRoot, 'tables', parts[0]!.toLowerCase(), parts[1]!.toLowerCase())
}

async function relationSchema(port: DuckdbSession, relation: string): Promise<StructType> {
  const described = await port.query(`DESCRIBE ${sqlIdent(relation)}`)
  return { type: 'struct', fields: described.map((r) => field(String(r.column_name), deltaTypeOf(String(r.column_type)))) }
}

/** One sink table of one streaming query. */
export class DeltaSink {
  readonly root: string

  constructor(readonly lakehouseRoot: string, readonly table: string, private readonly port: DuckdbSession, private readonly clock: { now(): number }) {
    this.root = tableRootOf(lakehouseRoot, table)
  }

  /**
   * True when the table has a streaming commit of a query named `queryName` (any query id): the sign that a checkpoint
   * was deleted while its output remains.
   * @throws DeltaError when the log cannot be read.
   */
  async hasCommitsOf(queryName: string): Promise<boolean> {
    if (!(await DeltaTable.exists(this.root))) return false
    const table = await DeltaTable.open(this.root, this.port, { clock: this.clock })
    return (await table.history()).some((h) => h.operation === STREAMING_OPERATION && h.operationParameters.queryName === queryName)
  }

  /** The newest batch id of query `queryId` in the table (its txn version), or null. */
  async committedBatch(queryId: string): Promise<number | null> {
    if (!(await DeltaTable.exists(this.root))) return null
    const table = await DeltaTable.open(this.root, this.port, { clock: this.clock })
    return (await table.snapshot()).txns.get(queryId)?.version ?? null
  }

  /**
   * Appends `relation` with txn {appId: queryId, version: batchId}; a batch whose txn the table already has is skipped
   * (a re-run after a crash between this commit and commits/N). The table is created from the relation's columns when missing.
   * @returns the table version written, or null when skipped.
   * @throws DeltaError SCHEMA_MISMATCH when the batch's columns do not fit the table, CONCURRENT_TRANSACTION when a
   *   concurrent writer committed the same txn, other conflict codes.
   */
  async write(relation: string, query: { id: string; name: string; batchId: number }): Promise<number | null> {
    let table: DeltaTable
    if (await DeltaTable.exists(this.root)) table = await DeltaTable.open(this.root, this.port, { clock: this.clock })
    else {
      const [, name] = this.table.split('.')
      try {
        table = await DeltaTable.create(this.root, this.port, { schema: await relationSchema(this.port, relation), name: name!.toLowerCase() }, { clock: this.clock })
      } catch (e) {
        if (!isDeltaError(e, 'TABLE_ALREADY_EXISTS')) throw e
        table = await DeltaTable.open(this.root, this.port, { clock: this.clock })
      }
    }
    const result = await table.write({
      mode: 'append',
      sourceSql: `SELECT * FROM ${sqlIdent(relation)}`,
      txn: { appId: query.id, version: query.batchId },
      operation: STREAMING_OPERATION,
      operationParameters: { outputMode: 'Append', queryId: query.id, queryName: query.name, epochId: String(query.batchId) }
    })
    return result.skipped ? null : result.version
  }
}
