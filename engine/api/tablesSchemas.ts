// zod schemas for the table-version browser methods of the tables domain (versionInfo, diff, restore, optimize, vacuum, ...).
import { z } from 'zod'
import type { ColumnDescription, ColumnProfile, DataFileInfo, OptimizeResult, RestorePreview, SchemaChange, TableProfile, TableSummary, VacuumResult, VersionDiff, VersionInfo } from './tablesApi'

/** `schema.table`, both parts plain identifiers (optionally backquoted); the same rule as tables.history. */
const qualifiedTableName = z
  .string()
  .regex(/^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\.(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)$/, 'must be schema.table')
const version = z.number().int().nonnegative()
/** Row limits are capped so one call cannot ask the engine to serialise an unbounded result. */
const rowLimit = z.number().int().positive().max(100_000)
const columnName = z.string().min(1).max(1000)

const columnDescriptionSchema = z.object({
  name: z.string(), type: z.string(), nullable: z.boolean(), comment: z.string().optional()
}) satisfies z.ZodType<ColumnDescription>

const schemaChangeSchema = z.object({
  column: z.string(),
  change: z.enum(['added', 'removed', 'typeChanged', 'nullabilityChanged']),
  from: z.string().optional(),
  to: z.string().optional()
}) satisfies z.ZodType<SchemaChange>

const dataFileInfoSchema = z.object({
  path: z.string(),
  sizeBytes: z.number().nonnegative(),
  rows: z.number().nullable(),
  partitionValues: z.record(z.string(), z.string().nullable()),
  minValues: z.record(z.string(), z.unknown()),
  maxValues: z.record(z.string(), z.unknown()),
  nullCount: z.record(z.string(), z.number()),
  deletionVectorRows: z.number().nullable()
}) satisfies z.ZodType<DataFileInfo>

const count = z.number().int().nonnegative()

const columnProfileSchema = z.object({
  name: z.string(), type: z.string(), kind: z.enum(['numeric', 'string', 'temporal', 'boolean', 'nested', 'other']),
  count, nulls: count, nullPercent: z.number().min(0).max(100), distinct: count.nullable(), distinctExact: z.boolean(),
  min: z.string().nullable(), max: z.string().nullable(), mean: z.number().nullable(), stddev: z.number().nullable(),
  quartiles: z.tuple([z.number(), z.number(), z.number()]).nullable(), minLength: count.nullable(), maxLength: count.nullable(),
  topValues: z.array(z.object({ value: z.string(), count })),
  outliers: z.object({ count, lowerFence: z.number(), upperFence: z.number(), examples: z.array(z.string()) }).nullable(),
  histogram: z.object({ scale: z.enum(['number', 'date', 'timestamp']), bins: z.array(z.object({ lower: z.number(), upper: z.number(), count })) }).nullable()
}) satisfies z.ZodType<ColumnProfile>

const tableSummarySchema = z.object({
  schema: z.string(), name: z.string(), rows: count.nullable(), sizeBytes: count.nullable(), numFiles: count.nullable(),
  version: version.nullable(), lastModified: z.number().nullable(), error: z.string().optional()
}) satisfies z.ZodType<TableSummary>

export const tablesResultSchemas = {
  profile: z.object({
    table: z.string(), version, rows: count, columns: z.array(columnProfileSchema), candidateKeys: z.array(z.array(z.string())),
    keySearch: z.object({ pairColumns: z.array(z.string()), pairsChecked: count, exhaustive: z.boolean() }),
    exactDistinctLimit: count, elapsedMs: z.number().nonnegative()
  }) satisfies z.ZodType<TableProfile>,
  summaries: z.array(tableSummarySchema),
  versionInfo: z.object({
    table: z.string(), version, timestamp: z.number(), operation: z.string(),
    schema: z.array(columnDescriptionSchema), schemaChanges: z.array(schemaChangeSchema), partitionColumns: z.array(z.string()),
    numFiles: z.number().int().nonnegative(), sizeBytes: z.number().nonnegative(), numRecords: z.number().nullable(),
    files: z.array(dataFileInfoSchema), filesTruncated: z.boolean(),
    actions: z.array(z.object({ kind: z.string(), json: z.string() })),
    rowsAdded: z.number().nullable(), rowsRemoved: z.number().nullable()
  }) satisfies z.ZodType<VersionInfo>,
  preview: z.object({ rows: z.instanceof(Uint8Array), rowCount: z.number().int().nonnegative() }),
  diff: z.object({
    table: z.string(), from: version, to: version, key: z.array(z.string()), keyInferred: z.boolean(),
    added: z.number().int().nonnegative(), removed: z.number().int().nonnegative(), changed: z.number().int().nonnegative(), unchanged: z.number().int().nonnegative(),
    schemaChanges: z.array(schemaChangeSchema), rows: z.instanceof(Uint8Array), changedColumns: z.record(z.string(), z.number())
  }) satisfies z.ZodType<VersionDiff>,
  restorePreview: z.object({
    table: z.string(), toVersion: version, currentVersion: version, filesToRemove: z.number().int().nonnegative(), filesToAdd: z.number().int().nonnegative(),
    rowsAfter: z.number().nullable(), rowsNow: z.number().nullable()
  }) satisfies z.ZodType<RestorePreview>,
  restore: z.object({ version }),
  optimize: z.object({
    table: z.string(), version: version.nullable(), filesRemoved: z.number().int().nonnegative(), filesAdded: z.number().int().nonnegative(),
    bytesBefore: z.number().nonnegative(), bytesAfter: z.number().nonnegative()
  }) satisfies z.ZodType<OptimizeResult>,
  vacuum: z.object({
    table: z.string(), dryRun: z.boolean(), retentionHours: z.number().nonnegative(), files: z.array(z.string()), bytes: z.number().nonnegative()
  }) satisfies z.ZodType<VacuumResult>,
  detail: z.record(z.string(), z.unknown())
} as const

/** Argument schemas are strict: an unknown key is rejected rather than silently dropped. */
export const tablesArgumentSchemas = {
  tableVersion: z.strictObject({ table: qualifiedTableName, version }),
  preview: z.strictObject({ table: qualifiedTableName, version, limit: rowLimit.optional() }),
  diff: z.strictObject({ table: qualifiedTableName, from: version, to: version, key: z.array(columnName).min(1).max(32).optional(), limit: rowLimit.optional() }),
  optimize: z.strictObject({ table: qualifiedTableName, where: z.string().min(1).max(100_000).optional(), zorderBy: z.array(columnName).max(32).optional() }),
  // A retention in hours: the 168-hour floor is the engine's to enforce (with its explanatory error), not the schema's.
  vacuum: z.strictObject({ table: qualifiedTableName, retentionHours: z.number().nonnegative().max(1_000_000).optional(), dryRun: z.boolean() }),
  table: z.strictObject({ table: qualifiedTableName }),
  profile: z.strictObject({ table: qualifiedTableName, version: version.optional() })
} as const
