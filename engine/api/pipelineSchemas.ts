// zod schemas of the pipeline domain's arguments, results and events.
import { z } from 'zod'
import type { PipelineApi, PipelineDescription, PipelineDiagnosticInfo, PipelineFlowProgress, PipelineRunRecord, PipelineSummary } from './pipelineApi'

/** A pipeline folder name: one path segment. */
const pipelineName = z.string().min(1).max(200).regex(/^[^/\\\0]+$/, 'must be a pipeline folder name').refine((s) => s !== '.' && s !== '..', 'must be a pipeline folder name')
const tableName = z.string().min(1).max(400)

export const pipelineDiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int()
}) satisfies z.ZodType<PipelineDiagnosticInfo>

export const pipelineSummarySchema = z.object({
  name: z.string(),
  target: z.string(),
  datasets: z.array(z.object({
    name: z.string(),
    table: z.string().nullable(),
    kind: z.enum(['streaming_table', 'materialized_view', 'temporary_view']),
    dependsOn: z.array(z.string())
  })),
  diagnostics: z.array(pipelineDiagnosticSchema)
}) satisfies z.ZodType<PipelineSummary>

export const pipelineFlowProgressSchema = z.object({
  flow: z.string(),
  target: z.string(),
  kind: z.enum(['streaming_table', 'materialized_view', 'temporary_view', 'cdc']),
  status: z.enum(['completed', 'no_new_data', 'unchanged', 'failed', 'skipped', 'cancelled']),
  rowsIn: z.number().int().nonnegative(),
  rowsWritten: z.number().int().nonnegative(),
  rowsQuarantined: z.number().int().nonnegative(),
  rowsLate: z.number().int().nonnegative().optional(),
  eventTime: z.object({ watermark: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() }).optional(),
  state: z.object({ rowsTotal: z.number().int().nonnegative(), rowsUpdated: z.number().int().nonnegative(), rowsRemoved: z.number().int().nonnegative() }).optional(),
  expectations: z.array(z.object({ dataset: z.string(), expectation: z.string(), action: z.enum(['warn', 'drop', 'fail']), passed: z.number().int(), failed: z.number().int() })),
  version: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  error: z.string().optional(),
  reason: z.string().optional()
}) satisfies z.ZodType<PipelineFlowProgress>

export const pipelineRunStatusSchema = z.enum(['completed', 'failed', 'cancelled', 'invalid'])

const expectationCountSchema = z.object({ dataset: z.string(), expectation: z.string(), action: z.enum(['warn', 'drop', 'fail']), passed: z.number().int(), failed: z.number().int() })

export const pipelineDescriptionSchema = z.object({
  name: z.string(),
  target: z.string(),
  files: z.array(z.string()),
  datasets: z.array(z.object({
    name: z.string(),
    table: z.string().nullable(),
    kind: z.enum(['streaming_table', 'materialized_view', 'temporary_view']),
    dependsOn: z.array(z.string()),
    streaming: z.boolean(),
    comment: z.string().optional(),
    definitions: z.array(z.object({ file: z.string(), line: z.number().int(), column: z.number().int(), text: z.string() })),
    flows: z.array(z.string()),
    fileSources: z.array(z.object({ function: z.enum(['read_files', 'cloud_files']), path: z.string(), format: z.string(), streaming: z.boolean() })),
    expectations: z.array(z.object({ name: z.string(), expression: z.string(), action: z.enum(['warn', 'drop', 'fail']), line: z.number().int() })),
    quarantineTable: z.string().nullable()
  })),
  diagnostics: z.array(pipelineDiagnosticSchema)
}) satisfies z.ZodType<PipelineDescription>

export const pipelineRunRecordSchema = z.object({
  runId: z.string(),
  pipeline: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled', 'invalid']),
  startedAt: z.number(),
  endedAt: z.number(),
  durationMs: z.number(),
  rowsIn: z.number().int(),
  rowsWritten: z.number().int(),
  rowsQuarantined: z.number().int(),
  error: z.string().nullable(),
  flows: z.array(z.object({
    flow: z.string(),
    status: z.enum(['completed', 'no_new_data', 'unchanged', 'failed', 'skipped', 'cancelled']),
    startedAt: z.number(),
    endedAt: z.number(),
    rowsIn: z.number().int(),
    rowsRead: z.number().int().nullable(),
    rowsWritten: z.number().int(),
    rowsQuarantined: z.number().int(),
    durationMs: z.number(),
    version: z.number().int().nullable(),
    error: z.string().nullable(),
    expectations: z.array(expectationCountSchema)
  }))
}) satisfies z.ZodType<PipelineRunRecord>

export const pipelineArgumentSchemas = {
  name: z.strictObject({ name: pipelineName }),
  run: z.strictObject({
    name: pipelineName,
    fullRefresh: z.union([z.literal(true), z.array(tableName).max(1000)]).optional(),
    select: z.array(tableName).max(1000).optional()
  }),
  runId: z.strictObject({ runId: z.string().min(1).max(100) }),
  runs: z.strictObject({ name: pipelineName, limit: z.number().int().min(1).max(1000).optional() })
} as const

export const pipelineResultSchemas = {
  list: z.array(pipelineSummarySchema),
  validate: z.object({ valid: z.boolean(), diagnostics: z.array(pipelineDiagnosticSchema), order: z.array(z.string()) }),
  run: z.object({ runId: z.string() }),
  describe: pipelineDescriptionSchema,
  runs: z.array(pipelineRunRecordSchema)
} satisfies { [K in 'list' | 'validate' | 'run' | 'describe' | 'runs']: z.ZodType<Awaited<ReturnType<PipelineApi[K]>>> }
