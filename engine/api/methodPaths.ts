// The allow-list of Engine API method paths as plain strings (no schemas), small enough for the preload bundle.
import type { EngineApi } from './engineApi'

/** `domain.method` for every async function of every domain of `Api` (every property but onEvent). */
export type MethodPathOf<Api> = {
  [D in Exclude<keyof Api, 'onEvent'> & string]: {
    [M in keyof Api[D] & string]: Api[D][M] extends (...args: never[]) => Promise<unknown> ? `${D}.${M}` : never
  }[keyof Api[D] & string]
}[Exclude<keyof Api, 'onEvent'> & string]

/** Every EngineApi method path. */
export type MethodPath = MethodPathOf<EngineApi>

/** Type-level equality, exact in both directions. */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** Every callable method. serveRpc rejects any path not listed here; the assertion below keeps it complete. */
export const methodPaths = [
  'lakehouse.info',
  'lakehouse.open',
  'lakehouse.create',
  'lakehouse.recent',
  'tables.listSchemas',
  'tables.listTables',
  'tables.history',
  'tables.versionInfo',
  'tables.preview',
  'tables.diff',
  'tables.restorePreview',
  'tables.restore',
  'tables.optimize',
  'tables.vacuum',
  'tables.detail',
  'tables.profile',
  'tables.cancelProfile',
  'tables.summaries',
  'sql.execute',
  'sql.cancel',
  'sql.exportResult',
  'pipeline.list',
  'pipeline.validate',
  'pipeline.run',
  'pipeline.cancel',
  'pipeline.describe',
  'pipeline.runs',
  'queries.list',
  'queries.read',
  'queries.save',
  'queries.history',
  'quality.overview',
  'quality.quarantine',
  'quality.reconciliation',
  'quality.watermarks',
  'stream.status',
  'stream.configureProducer',
  'stream.controlProducer',
  'stream.start',
  'stream.stop',
  'stream.progress',
  'stream.lateRows',
  'stream.checkpoint'
] as const satisfies readonly MethodPath[]

// A method added to EngineApi but missing above fails to compile here, and so does a listed path EngineApi lacks.
const methodPathsAreExhaustive: Equals<(typeof methodPaths)[number], MethodPath> = true
void methodPathsAreExhaustive

/** True when `path` is an allow-listed method path. */
export function isMethodPath(path: unknown): path is MethodPath {
  return typeof path === 'string' && (methodPaths as readonly string[]).includes(path)
}
