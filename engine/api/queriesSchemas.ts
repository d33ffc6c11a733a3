// zod schemas for the queries domain (saved query files and query history).
import { z } from 'zod'
import type { QueryHistoryEntry, SavedQuery } from './queriesApi'

/**
 * A file name directly inside queries/: ends in `.sql`, no path separators, no leading dot, no `..`, so no argument can
 * name a file elsewhere (the engine checks the resolved path too).
 */
export const queryFileName = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9 _.()-]*\.sql$/, 'must be a file name ending in .sql, without folders')
  .refine((name) => !name.includes('..'), 'must not contain ..')

const savedQuerySchema = z.object({ name: z.string(), sizeBytes: z.number().nonnegative(), modified: z.number() }) satisfies z.ZodType<SavedQuery>

const historyEntrySchema = z.object({
  statement: z.string(),
  time: z.number(),
  durationMs: z.number().nonnegative(),
  rows: z.number().int().nonnegative(),
  status: z.enum(['ok', 'error', 'cancelled']),
  error: z.string().optional()
}) satisfies z.ZodType<QueryHistoryEntry>

export const queriesArgumentSchemas = {
  name: z.strictObject({ name: queryFileName }),
  // 10 MB, like sql.execute: far beyond a query a person writes.
  save: z.strictObject({ name: queryFileName, text: z.string().max(10_000_000) }),
  history: z.strictObject({ search: z.string().max(1000).optional(), limit: z.number().int().positive().max(10_000).optional() }).optional()
} as const

export const queriesResultSchemas = {
  list: z.array(savedQuerySchema),
  read: z.object({ name: z.string(), text: z.string() }),
  save: savedQuerySchema,
  history: z.array(historyEntrySchema)
} as const
