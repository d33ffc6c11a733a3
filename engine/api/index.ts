// The Engine API's public surface: types, method table, schemas and errors.
export type { EngineApi, EngineDomain } from './engineApi'
export type { LakehouseApi, LakehouseInfo } from './lakehouseApi'
export type { TablesApi, TableRef, HistoryEntry, ColumnDescription, SchemaChange, DataFileInfo, VersionInfo, VersionDiff, RestorePreview, VacuumResult, OptimizeResult } from './tablesApi'
export type { SqlApi, StatementResult, ColumnInfo } from './sqlApi'
export type { PipelineApi, PipelineSummary, PipelineDatasetInfo, PipelineDiagnosticInfo, PipelineFlowProgress, PipelineRunArg, PipelineRunStatus } from './pipelineApi'
export type { QueriesApi, SavedQuery, QueryHistoryEntry } from './queriesApi'
export type { QualityApi, QualityOverview, QuarantineTableInfo, QuarantineExpectation, QuarantineRows, QuarantineRowsArg, ExpectationPassRate, ReconciliationEntry, WatermarkEntry } from './qualityApi'
export type {
  StreamApi, StreamTrigger, ProducerSettings, ProducerStatusName, ProducerInfo, StreamQueryStatusName, StreamQueryInfo, StreamStatus, StreamBatchInfo,
  LateRowInfo, CheckpointBatchInfo, CheckpointFlowInfo
} from './streamApi'
export type { EngineEvent, EngineEventListener, Unsubscribe } from './events'
export { EngineError, boundaryErrorCodes, toEngineError, invalidPayloadError, describeEngineError, type EngineErrorPayload, type EngineErrorDetail } from './errors'
export { engineMethods, methodSpec, methodPaths, type MethodPath, type MethodArg, type MethodResult, type MethodSpec } from './methods'
export { isMethodPath } from './methodPaths'
export { engineEventSchema, engineErrorPayloadSchema } from './schemas'
