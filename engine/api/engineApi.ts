// EngineApi: the whole contract between the engine and its hosts/UI, one domain per property.
import type { EngineEventListener, Unsubscribe } from './events'
import type { LakehouseApi } from './lakehouseApi'
import type { PipelineApi } from './pipelineApi'
import type { QualityApi } from './qualityApi'
import type { QueriesApi } from './queriesApi'
import type { SqlApi } from './sqlApi'
import type { StreamApi } from './streamApi'
import type { TablesApi } from './tablesApi'

/**
 * Every method takes at most one argument and returns plain data (Uint8Array for Arrow bytes), so each one can cross
 * a process boundary unchanged. Failures reject with EngineError.
 */
export interface EngineApi {
  lakehouse: LakehouseApi
  tables: TablesApi
  sql: SqlApi
  pipeline: PipelineApi
  queries: QueriesApi
  quality: QualityApi
  stream: StreamApi
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: EngineEventListener): Unsubscribe
}

/** The names of EngineApi's domains (every property except onEvent). */
export type EngineDomain = Exclude<keyof EngineApi, 'onEvent'>
