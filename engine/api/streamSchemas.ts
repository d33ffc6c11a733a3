// zod schemas of the stream domain's arguments, results and events.
import { z } from 'zod'
import type {
  CheckpointFlowInfo, LateRowInfo, ProducerInfo, ProducerSettings, StreamApi, StreamBatchInfo, StreamQueryInfo, StreamStatus, StreamTrigger
} from './streamApi'

/** A pipeline folder name: one path segment. */
const pipelineName = z.string().min(1).max(200).regex(/^[^/\\\0]+$/, 'must be a pipeline folder name').refine((s) => s !== '.' && s !== '..', 'must be a pipeline folder name')
const fraction = z.number().min(0).max(1)
const count = z.number().int().nonnegative()
const ms = z.number()

export const streamTriggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('availableNow') }),
  z.strictObject({ kind: z.literal('once') }),
  // A day is far beyond any demo interval; below 100 ms a laptop would do nothing but list folders.
  z.strictObject({ kind: z.literal('processingTime'), intervalMs: z.number().int().min(100).max(86_400_000) })
]) satisfies z.ZodType<StreamTrigger>

export const producerSettingsSchema = z.object({
  filesPerSecond: z.number().positive(),
  recordsPerFile: z.number().int().positive(),
  outOfOrder: fraction,
  late: fraction,
  duplicate: fraction,
  malformed: fraction
}) satisfies z.ZodType<ProducerSettings>

export const producerInfoSchema = z.object({
  description: z.string(),
  status: z.enum(['idle', 'running', 'paused', 'failed']),
  filesProduced: count,
  recordsProduced: count,
  settings: producerSettingsSchema,
  lastEventTime: ms.nullable(),
  error: z.string().optional()
}) satisfies z.ZodType<ProducerInfo>

export const streamQueryInfoSchema = z.object({
  runId: z.string(),
  pipeline: z.string(),
  trigger: streamTriggerSchema,
  status: z.enum(['running', 'stopping', 'stopped', 'failed']),
  batches: count,
  startedAt: ms,
  error: z.string().optional()
}) satisfies z.ZodType<StreamQueryInfo>

export const streamStatusSchema = z.object({
  producer: producerInfoSchema.nullable(),
  query: streamQueryInfoSchema.nullable(),
  pipelines: z.array(z.string())
}) satisfies z.ZodType<StreamStatus>

/** A watermark and an event-time range, ms (null when unknown). */
const eventTimeSchema = z.object({ watermark: ms.nullable(), max: ms.nullable(), min: ms.nullable() })

export const streamBatchInfoSchema = z.object({
  id: z.string(),
  runId: z.string(),
  name: z.string(),
  batchId: count,
  timestamp: ms,
  numInputRows: count,
  inputRowsPerSecond: z.number(),
  processedRowsPerSecond: z.number(),
  durationMs: z.object({ triggerExecution: z.number(), latestOffset: z.number(), getBatch: z.number(), addBatch: z.number(), walCommit: z.number(), commitOffsets: z.number() }),
  eventTime: eventTimeSchema.optional(),
  stateOperators: z.array(z.object({
    operatorName: z.string().optional(), eventTime: eventTimeSchema.optional(),
    numRowsTotal: count, numRowsUpdated: count, numRowsDroppedByWatermark: count, numRowsRemoved: count.optional()
  })),
  sources: z.array(z.object({ description: z.string(), startOffset: z.unknown(), endOffset: z.unknown(), numInputRows: count })),
  sink: z.object({ description: z.string(), numOutputRows: count }),
  numRowsLate: count,
  status: z.enum(['completed', 'failed', 'cancelled', 'invalid']).optional(),
  error: z.string().optional()
}) satisfies z.ZodType<StreamBatchInfo>

export const lateRowInfoSchema = z.object({
  table: z.string(),
  target: z.string(),
  eventTime: ms,
  watermark: ms,
  latenessMs: z.number(),
  batchId: z.number().int().nullable(),
  processedAt: ms.nullable(),
  row: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
}) satisfies z.ZodType<LateRowInfo>

export const checkpointFlowInfoSchema = z.object({
  flow: z.string(),
  target: z.string(),
  path: z.string(),
  batches: z.array(z.object({
    batchId: count,
    committed: z.boolean(),
    files: z.array(z.string()),
    deltaRanges: z.array(z.string()),
    offsets: z.unknown(),
    watermark: ms.nullable(),
    stateRows: count.nullable()
  }))
}) satisfies z.ZodType<CheckpointFlowInfo>

/** Argument schemas are strict: an unknown key is rejected rather than silently dropped. */
export const streamArgumentSchemas = {
  configureProducer: producerSettingsSchema.partial().strict(),
  controlProducer: z.strictObject({ action: z.enum(['start', 'pause', 'resume', 'step']) }),
  start: z.strictObject({ pipeline: pipelineName, trigger: streamTriggerSchema }),
  stop: z.strictObject({ runId: z.string().min(1).max(200) }),
  pipelineLimit: z.strictObject({ pipeline: pipelineName, limit: z.number().int().positive().max(10_000).optional() })
} as const

export const streamResultSchemas = {
  status: streamStatusSchema,
  configureProducer: producerInfoSchema,
  controlProducer: producerInfoSchema,
  start: streamQueryInfoSchema,
  stop: streamQueryInfoSchema,
  progress: z.array(streamBatchInfoSchema),
  lateRows: z.array(lateRowInfoSchema),
  checkpoint: z.array(checkpointFlowInfoSchema)
} satisfies { [K in keyof StreamApi]: z.ZodType<Awaited<ReturnType<StreamApi[K]>>> }

/** The stream domain's events (members of engineEventSchema). */
export const streamEventSchemas = [
  z.object({ type: z.literal('stream.progress'), pipeline: z.string(), runId: z.string(), batch: streamBatchInfoSchema }),
  z.object({ type: z.literal('stream.status'), status: streamStatusSchema })
] as const
