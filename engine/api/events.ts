// EngineEvent: everything the engine reports without being asked, pushed to every connected UI.
import type { LakehouseCreationStep, LakehouseInfo } from './lakehouseApi'
import type { PipelineFlowProgress, PipelineRunStatus } from './pipelineApi'
import type { StreamBatchInfo, StreamStatus } from './streamApi'

export type EngineEvent =
  /** A lakehouse was opened or created and is now the current one. */
  | { type: 'lakehouse.opened'; info: LakehouseInfo }
  /** lakehouse.create with a sample moved on to its next step (`dir` names the lakehouse being created). */
  | { type: 'lakehouse.progress'; dir: string; step: LakehouseCreationStep }
  /** A statement changed the catalog or table contents, so lists and histories may be stale. */
  | { type: 'tables.changed'; statements: string[] }
  /** A flow of a pipeline run started (`flow.status` is then absent) or finished. */
  | { type: 'pipeline.progress'; runId: string; pipeline: string; flow: string; finished?: PipelineFlowProgress }
  /** A pipeline run ended; `error` names the failing flow (and expectation). */
  | { type: 'pipeline.finished'; runId: string; pipeline: string; status: PipelineRunStatus; flows: PipelineFlowProgress[]; error?: string }
  /** A micro-batch of a streaming query finished and its progress row is committed in system.stream_progress. */
  | { type: 'stream.progress'; pipeline: string; runId: string; batch: StreamBatchInfo }
  /** The live producer or the streaming query changed state (and at most once a second while the producer writes files). */
  | { type: 'stream.status'; status: StreamStatus }

export type EngineEventListener = (event: EngineEvent) => void

/** Stops a listener; calling it twice is harmless. */
export type Unsubscribe = () => void
