// tableHistoryApi: the Engine API types the table page uses, re-exported from the tables contract, and the domain accessor.
import type { EngineApi } from '../../../engine/api/engineApi'
import type { TablesApi } from '../../../engine/api/tablesApi'

export type {
  ColumnDescription,
  DataFileInfo,
  HistoryEntry,
  OptimizeResult,
  RestorePreview,
  SchemaChange,
  VacuumResult,
  VersionDiff,
  VersionInfo
} from '../../../engine/api/tablesApi'

/** The tables-domain methods the table page calls. */
export type TableHistoryApi = TablesApi

/** The engine's tables domain (one place to change should the page ever reach it differently). */
export function tableHistoryApi(engine: EngineApi): TableHistoryApi {
  return engine.tables
}
