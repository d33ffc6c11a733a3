// Runs a DuckDB SELECT on the shared session and returns its rows as Arrow IPC (the Engine API's row format).
import { arrowIpc, streamToArrow } from '../sql/arrow'
import type { DuckdbSession } from '../sql/duckdbSession'

/** Rows of `sql` as Arrow IPC plus the row count; runs with exclusive use of the session's connection. */
export async function queryArrow(session: DuckdbSession, sql: string): Promise<{ rows: Uint8Array; rowCount: number }> {
  return session.serialize(async () => {
    const result = await session.connection.run(sql)
    const arrow = await streamToArrow(result)
    return { rows: arrowIpc(arrow.table), rowCount: arrow.rowCount }
  })
}
