// zod schemas of the quality domain's arguments and results.
import { z } from 'zod'
import type { ExpectationPassRate, QualityApi, QuarantineTableInfo, ReconciliationEntry, WatermarkEntry } from './qualityApi'

/** `schema.table`, both parts plain identifiers (optionally backquoted); the same rule as the tables domain. */
const qualifiedTableName = z
  .string()
  .regex(/^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\.(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)$/, 'must be schema.table')
/** Capped so one call cannot ask the engine to serialise an unbounded result. */
const rowLimit = z.number().int().positive().max(100_000)
const count = z.number().int().nonnegative()
const epochMs = z.number()

const quarantineTableSchema = z.object({
  table: z.string(),
  guards: z.string(),
  rowCount: count,
  expectations: z.array(z.object({ name: z.string(), condition: z.string().nullable(), failedRows: count })),
  lastQuarantinedAt: epochMs.nullable()
}) satisfies z.ZodType<QuarantineTableInfo>

const passRateSchema = z.object({
  pipeline: z.string(),
  dataset: z.string(),
  expectation: z.string(),
  action: z.string(),
  passed: count,
  failed: count,
  evaluatedAt: epochMs,
  runId: z.string(),
  totalPassed: count,
  totalFailed: count
}) satisfies z.ZodType<ExpectationPassRate>

const reconciliationEntrySchema = z.object({
  batchId: z.string(),
  sourceTable: z.string(),
  targetTable: z.string(),
  sourceCount: count,
  targetCount: count,
  variance: z.number().nullable(),
  sourceSums: z.record(z.string(), z.string()).nullable(),
  targetSums: z.record(z.string(), z.string()).nullable(),
  sourceDistinctKeys: count.nullable(),
  targetDistinctKeys: count.nullable(),
  status: z.string(),
  remarks: z.string(),
  processedAt: epochMs
}) satisfies z.ZodType<ReconciliationEntry>

const watermarkEntrySchema = z.object({
  sourceSystem: z.string(),
  tableName: z.string(),
  watermarkColumn: z.string().nullable(),
  lastProcessedTimestamp: epochMs.nullable(),
  processDate: z.string().nullable(),
  status: z.string(),
  createdAt: epochMs.nullable(),
  updatedAt: epochMs.nullable()
}) satisfies z.ZodType<WatermarkEntry>

export const qualityArgumentSchemas = {
  quarantine: z.strictObject({
    table: qualifiedTableName,
    expectation: z.string().min(1).max(1000).optional(),
    limit: rowLimit.optional(),
    offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional()
  }),
  reconciliation: z.strictObject({ limit: rowLimit.optional() }).optional()
} as const

export const qualityResultSchemas = {
  overview: z.object({ quarantineTables: z.array(quarantineTableSchema), expectations: z.array(passRateSchema) }),
  quarantine: z.object({
    table: z.string(),
    expectation: z.string().nullable(),
    rows: z.instanceof(Uint8Array),
    rowCount: count,
    totalCount: count,
    offset: count
  }),
  reconciliation: z.array(reconciliationEntrySchema),
  watermarks: z.array(watermarkEntrySchema)
} satisfies { [K in keyof QualityApi]: z.ZodType<Awaited<ReturnType<QualityApi[K]>>> }
