// STREAM(table) over a Delta table: the rows added by the commits after the last processed version (append-only sources).
import { DeltaTable } from '../../delta/deltaTable'
import { LogStore } from '../../delta/logStore'
import { readCommit } from '../../delta/logReplay'
import { sqlIdent } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { OffsetSourceRange } from './checkpoints'
import { PipelineRunError } from './runTypes'

/** The range a batch would read now: (last processed version, latest version]; null when the table does not exist. */
export async function currentSourceRange(session: DuckdbSession, tableRoot: string, previous: OffsetSourceRange | undefined): Promise<OffsetSourceRange | null> {
  if (!(await DeltaTable.exists(tableRoot))) return null
  const snapshot = await (await DeltaTable.open(tableRoot, session)).snapshot()
  // A table recreated under the same name (new id) is a new stream: read it from the start.
  const from = previous && previous.tableId === snapshot.metadata.id ? previous.toVersion : -1
  return { tableId: snapshot.metadata.id, fromVersion: from, toVersion: snapshot.version }
}

let counter = 0

/**
 * Stages the rows the range adds into a temp table. fromVersion -1 reads the whole snapshot at toVersion. A commit in
 * the range that removes data (an overwrite, DELETE, UPDATE) fails like Spark's Delta source unless
 * `skipChangeCommits`, which skips such commits entirely.
 * @throws PipelineRunError DELTA_SOURCE_TABLE_IGNORE_CHANGES naming the table, version and operation.
 */
export async function stageSourceRange(session: DuckdbSession, tableRoot: string, tableName: string, range: OffsetSourceRange, skipChangeCommits: boolean): Promise<{ relation: string; rowCount: number }> {
  const table = await DeltaTable.open(tableRoot, session)
  const snapshot = await table.snapshot({ version: range.toVersion })
  let files = snapshot.files
  if (range.fromVersion >= 0) {
    const store = new LogStore(tableRoot)
    const added = new Set<string>()
    for (let v = range.fromVersion + 1; v <= range.toVersion; v++) {
      const actions = await readCommit(store, v)
      const removes = actions.some((a) => 'remove' in a && a.remove.dataChange)
      if (removes) {
        if (skipChangeCommits) continue
        const info = actions.find((a) => 'commitInfo' in a) as { commitInfo: { operation?: string; operationParameters?: Record<string, unknown> } } | undefined
        const operation = info ? `${info.commitInfo.operation ?? 'UNKNOWN'} (${JSON.stringify(info.commitInfo.operationParameters ?? {})})` : 'a data change'
        throw new PipelineRunError('DELTA_SOURCE_TABLE_IGNORE_CHANGES',
          `[DELTA_SOURCE_TABLE_IGNORE_CHANGES] Detected a data update (for example ${operation}) in the source table ${tableName} at version ${v}. ` +
          "This is currently not supported. If this is going to happen regularly and you are okay to skip changes, set the option 'skipChangeCommits' to 'true'. " +
          `If you would like the data update to be reflected, please do a full refresh of the tables reading it. The source table can be found at path ${tableRoot}.`,
          { table: tableName, version: v })
      }
      for (const a of actions) if ('add' in a && a.add.dataChange) added.add(a.add.path)
    }
    files = snapshot.files.filter((f) => added.has(f.path))
  }
  const relation = `__lbp_stream_${++counter}`
  await session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relation)} AS ${await scanSql(snapshot, session, { files })}`)
  const count = await session.query(`SELECT count(*)::BIGINT AS n FROM ${sqlIdent(relation)}`)
  return { relation, rowCount: Number(count[0]!.n) }
}
