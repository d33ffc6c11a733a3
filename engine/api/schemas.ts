// zod schemas for every value that crosses the engine boundary (arguments, results, events, errors).
import { z } from 'zod'
import type { EngineErrorPayload } from './errors'
import type { EngineEvent } from './events'
import { type LakehouseInfo, type RecentLakehouse, lakehouseSampleNames } from './lakehouseApi'
import type { ColumnInfo, PlanOperator, QueryPlan, StatementResult } from './sqlApi'
import type { HistoryEntry, TableRef } from './tablesApi'
import { pipelineFlowProgressSchema, pipelineRunStatusSchema } from './pipelineSchemas'
import { streamEventSchemas } from './streamSchemas'

/** A filesystem path argument: non-empty, no NUL byte (which would truncate it in native calls). */
const pathString = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'must not contain a NUL byte')
/** `schema.table`, both parts plain identifiers (optionally backquoted). */
const qualifiedTableName = z
  .string()
  .regex(/^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\.(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)$/, 'must be schema.table')

export const lakehouseInfoSchema = z.object({
  root: z.string(),
  name: z.string(),
  formatVersion: z.number().int()
}) satisfies z.ZodType<LakehouseInfo>

export const recentLakehouseSchema = z.object({
  root: z.string(),
  name: z.string(),
  lastOpened: z.number(),
  available: z.boolean()
}) satisfies z.ZodType<RecentLakehouse>

export const tableRefSchema = z.object({
  schema: z.string(),
  name: z.string(),
  path: z.string()
}) satisfies z.ZodType<TableRef>

export const historyEntrySchema = z.object({
  version: z.number().int().nonnegative(),
  timestamp: z.number(),
  operation: z.string(),
  operationParameters: z.record(z.string(), z.unknown()),
  operationMetrics: z.record(z.string(), z.unknown()),
  readVersion: z.number().int().optional(),
  isBlindAppend: z.boolean().optional(),
  engineInfo: z.string().optional(),
  isolationLevel: z.string().optional(),
  userMetadata: z.string().optional()
}) satisfies z.ZodType<HistoryEntry>

export const columnInfoSchema = z.object({ name: z.string(), type: z.string() }) satisfies z.ZodType<ColumnInfo>

const planOperatorSchema: z.ZodType<PlanOperator> = z.object({
  name: z.string(),
  details: z.array(z.object({ key: z.string(), value: z.string() })),
  estimatedRows: z.number().nonnegative().optional(),
  actualRows: z.number().nonnegative().optional(),
  timeMs: z.number().nonnegative().optional(),
  children: z.array(z.lazy(() => planOperatorSchema))
})

export const queryPlanSchema = z.object({
  analyzed: z.boolean(),
  totalMs: z.number().nonnegative().optional(),
  operators: z.array(planOperatorSchema)
}) satisfies z.ZodType<QueryPlan>

export const statementResultSchema = z.object({
  statement: z.string(),
  kind: z.enum(['rows', 'ok']),
  columns: z.array(columnInfoSchema),
  rowCount: z.number().int().nonnegative(),
  arrow: z.instanceof(Uint8Array),
  message: z.string().optional(),
  elapsedMs: z.number().nonnegative(),
  plan: queryPlanSchema.optional()
}) satisfies z.ZodType<StatementResult>

export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lakehouse.opened'), info: lakehouseInfoSchema }),
  z.object({
    type: z.literal('lakehouse.progress'), dir: z.string(),
    step: z.object({ label: z.string(), index: z.number().int().nonnegative(), count: z.number().int().positive() })
  }),
  z.object({ type: z.literal('tables.changed'), statements: z.array(z.string()) }),
  z.object({ type: z.literal('pipeline.progress'), runId: z.string(), pipeline: z.string(), flow: z.string(), finished: pipelineFlowProgressSchema.optional() }),
  z.object({
    type: z.literal('pipeline.finished'), runId: z.string(), pipeline: z.string(), status: pipelineRunStatusSchema,
    flows: z.array(pipelineFlowProgressSchema), error: z.string().optional()
  }),
  ...streamEventSchemas
]) satisfies z.ZodType<EngineEvent>

export const engineErrorPayloadSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  detail: z.record(z.string(), z.unknown())
}) satisfies z.ZodType<EngineErrorPayload>

/** Argument schemas are strict: an unknown key is rejected rather than silently dropped. */
export const argumentSchemas = {
  none: z.undefined(),
  dir: z.strictObject({ dir: pathString }),
  createLakehouse: z.strictObject({ dir: pathString, name: z.string().min(1).max(200).optional(), sample: z.enum(lakehouseSampleNames).optional() }),
  listTables: z.strictObject({ schema: z.string().min(1).max(200).optional() }).optional(),
  history: z.strictObject({ table: qualifiedTableName, limit: z.number().int().positive().max(100_000).optional() }),
  // 10 MB of SQL is far beyond any script a person writes; the cap keeps one message from exhausting memory.
  sql: z.strictObject({ sql: z.string().max(10_000_000) }),
  exportResult: z.strictObject({ sql: z.string().min(1).max(10_000_000), format: z.enum(['parquet', 'csv']) })
} as const
