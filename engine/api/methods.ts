// The method table: every EngineApi method path with the schemas of its argument and result (checked at compile time).
import { z } from 'zod'
import type { EngineApi } from './engineApi'
import { type Equals, type MethodPath, methodPaths } from './methodPaths'
import {
  argumentSchemas,
  historyEntrySchema,
  lakehouseInfoSchema,
  recentLakehouseSchema,
  statementResultSchema,
  tableRefSchema
} from './schemas'
import { pipelineArgumentSchemas, pipelineResultSchemas } from './pipelineSchemas'
import { queriesArgumentSchemas, queriesResultSchemas } from './queriesSchemas'
import { qualityArgumentSchemas, qualityResultSchemas } from './qualitySchemas'
import { tablesArgumentSchemas, tablesResultSchemas } from './tablesSchemas'
import { streamArgumentSchemas, streamResultSchemas } from './streamSchemas'

type MethodOf<P extends MethodPath> = P extends `${infer D extends keyof EngineApi}.${infer M}`
  ? M extends keyof EngineApi[D]
    ? EngineApi[D][M]
    : never
  : never

/** The argument type of a method (`undefined` for methods without one). */
export type MethodArg<P extends MethodPath> = MethodOf<P> extends (...args: infer A) => unknown
  ? A extends []
    ? undefined
    : A[0]
  : never
/** The resolved result type of a method. */
export type MethodResult<P extends MethodPath> = MethodOf<P> extends (...args: never[]) => Promise<infer R> ? R : never

export interface MethodSpec<P extends MethodPath> {
  arg: z.ZodType<MethodArg<P>>
  result: z.ZodType<MethodResult<P>>
}

/**
 * The allow-list with schemas. `satisfies` makes each schema agree with EngineApi's types, and the mapped type makes
 * every path required and every unknown key an error.
 */
export const engineMethods = {
  'lakehouse.info': { arg: argumentSchemas.none, result: lakehouseInfoSchema },
  'lakehouse.open': { arg: argumentSchemas.dir, result: lakehouseInfoSchema },
  'lakehouse.create': { arg: argumentSchemas.createLakehouse, result: lakehouseInfoSchema },
  'lakehouse.recent': { arg: argumentSchemas.none, result: z.array(recentLakehouseSchema) },
  'tables.listSchemas': { arg: argumentSchemas.none, result: z.array(z.string()) },
  'tables.listTables': { arg: argumentSchemas.listTables, result: z.array(tableRefSchema) },
  'tables.history': { arg: argumentSchemas.history, result: z.array(historyEntrySchema) },
  'tables.versionInfo': { arg: tablesArgumentSchemas.tableVersion, result: tablesResultSchemas.versionInfo },
  'tables.preview': { arg: tablesArgumentSchemas.preview, result: tablesResultSchemas.preview },
  'tables.diff': { arg: tablesArgumentSchemas.diff, result: tablesResultSchemas.diff },
  'tables.restorePreview': { arg: tablesArgumentSchemas.tableVersion, result: tablesResultSchemas.restorePreview },
  'tables.restore': { arg: tablesArgumentSchemas.tableVersion, result: tablesResultSchemas.restore },
  'tables.optimize': { arg: tablesArgumentSchemas.optimize, result: tablesResultSchemas.optimize },
  'tables.vacuum': { arg: tablesArgumentSchemas.vacuum, result: tablesResultSchemas.vacuum },
  'tables.detail': { arg: tablesArgumentSchemas.table, result: tablesResultSchemas.detail },
  'tables.profile': { arg: tablesArgumentSchemas.profile, result: tablesResultSchemas.profile },
  'tables.cancelProfile': { arg: argumentSchemas.none, result: z.undefined() },
  'tables.summaries': { arg: argumentSchemas.none, result: tablesResultSchemas.summaries },
  'sql.execute': { arg: argumentSchemas.sql, result: z.array(statementResultSchema) },
  'sql.cancel': { arg: argumentSchemas.none, result: z.undefined() },
  'sql.exportResult': { arg: argumentSchemas.exportResult, result: z.instanceof(Uint8Array) },
  'pipeline.list': { arg: argumentSchemas.none, result: pipelineResultSchemas.list },
  'pipeline.validate': { arg: pipelineArgumentSchemas.name, result: pipelineResultSchemas.validate },
  'pipeline.run': { arg: pipelineArgumentSchemas.run, result: pipelineResultSchemas.run },
  'pipeline.cancel': { arg: pipelineArgumentSchemas.runId, result: z.undefined() },
  'pipeline.describe': { arg: pipelineArgumentSchemas.name, result: pipelineResultSchemas.describe },
  'pipeline.runs': { arg: pipelineArgumentSchemas.runs, result: pipelineResultSchemas.runs },
  'queries.list': { arg: argumentSchemas.none, result: queriesResultSchemas.list },
  'queries.read': { arg: queriesArgumentSchemas.name, result: queriesResultSchemas.read },
  'queries.save': { arg: queriesArgumentSchemas.save, result: queriesResultSchemas.save },
  'queries.history': { arg: queriesArgumentSchemas.history, result: queriesResultSchemas.history },
  'quality.overview': { arg: argumentSchemas.none, result: qualityResultSchemas.overview },
  'quality.quarantine': { arg: qualityArgumentSchemas.quarantine, result: qualityResultSchemas.quarantine },
  'quality.reconciliation': { arg: qualityArgumentSchemas.reconciliation, result: qualityResultSchemas.reconciliation },
  'quality.watermarks': { arg: argumentSchemas.none, result: qualityResultSchemas.watermarks },
  'stream.status': { arg: argumentSchemas.none, result: streamResultSchemas.status },
  'stream.configureProducer': { arg: streamArgumentSchemas.configureProducer, result: streamResultSchemas.configureProducer },
  'stream.controlProducer': { arg: streamArgumentSchemas.controlProducer, result: streamResultSchemas.controlProducer },
  'stream.start': { arg: streamArgumentSchemas.start, result: streamResultSchemas.start },
  'stream.stop': { arg: streamArgumentSchemas.stop, result: streamResultSchemas.stop },
  'stream.progress': { arg: streamArgumentSchemas.pipelineLimit, result: streamResultSchemas.progress },
  'stream.lateRows': { arg: streamArgumentSchemas.pipelineLimit, result: streamResultSchemas.lateRows },
  'stream.checkpoint': { arg: streamArgumentSchemas.pipelineLimit, result: streamResultSchemas.checkpoint }
} satisfies { [P in MethodPath]: MethodSpec<P> }

// The table and the plain list in methodPaths.ts must name the same methods.
const tableMatchesList: Equals<keyof typeof engineMethods, (typeof methodPaths)[number]> = true
void tableMatchesList

/** The spec of an allow-listed path, or undefined for anything else (own keys only: `__proto__` is not a method). */
export function methodSpec(path: string): MethodSpec<MethodPath> | undefined {
  if (!Object.prototype.hasOwnProperty.call(engineMethods, path)) return undefined
  return engineMethods[path as MethodPath] as unknown as MethodSpec<MethodPath>
}

export { methodPaths, type MethodPath }
