// tableSummaries: every table's rows, size, files, version and last change, read from the Delta logs (no data file is opened).
import type { TableSummary } from '../api/tablesApi'
import { DeltaTable } from '../delta/deltaTable'
import type { ParquetPort } from '../delta/parquetPort'
import type { Lakehouse } from '../lakehouse/folder'
import { rowsOfFiles } from './versionInfo'

/** Opened tables by folder; DeltaTable caches its latest snapshot, so a refresh replays only the commits since. */
export type SummaryCache = Map<string, DeltaTable>

/**
 * One summary per table of `lakehouse`, in listTables order. A table whose log cannot be read is reported with
 * `error` (the message names the table folder) and null facts instead of failing the whole list.
 * @throws LakehouseError when the lakehouse's schemas cannot be listed.
 */
export async function tableSummaries(lakehouse: Lakehouse, port: ParquetPort, cache: SummaryCache = new Map()): Promise<TableSummary[]> {
  const tables = await lakehouse.listTables()
  const live = new Set(tables.map((t) => t.path))
  for (const path of cache.keys()) if (!live.has(path)) cache.delete(path)
  return Promise.all(
    tables.map(async ({ schema, name, path }): Promise<TableSummary> => {
      try {
        let table = cache.get(path)
        if (!table) {
          table = await DeltaTable.open(path, port)
          cache.set(path, table)
        }
        const snapshot = await table.snapshot()
        return {
          schema,
          name,
          rows: rowsOfFiles(snapshot.files),
          sizeBytes: snapshot.files.reduce((sum, f) => sum + f.size, 0),
          numFiles: snapshot.files.length,
          version: snapshot.version,
          lastModified: snapshot.timestamp
        }
      } catch (error) {
        cache.delete(path)
        const message = error instanceof Error ? error.message : String(error)
        return { schema, name, rows: null, sizeBytes: null, numFiles: null, version: null, lastModified: null, error: message }
      }
    })
  )
}
