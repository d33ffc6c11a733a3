// The Spark function layer of a DuckDB session: every family's macros and JS functions, the session's ANSI/legacy mode.
import type { DuckdbSession } from '../../duckdbSession'
import { aggregateFamily } from './aggregate'
import type { SparkMode } from './callSyntax'
import { castFamily } from './cast'
import { collectionFamily } from './collection'
import { conditionalFamily } from './conditional'
import { datetimeFamily } from './datetime'
import type { CallRewrite, FunctionFamily, FunctionNote } from './family'
import { hashMiscFamily } from './hashMisc'
import { jsonFamily } from './json'
import { mathFamily } from './math'
import { stringFamily } from './string'

/** Every family, in the order their macros are created. */
export const FUNCTION_FAMILIES: readonly FunctionFamily[] = [
  castFamily, conditionalFamily, datetimeFamily, jsonFamily, stringFamily, collectionFamily, mathFamily, hashMiscFamily, aggregateFamily
]

/** Rewrites of all families keyed by upper-case Spark function name. */
export const CALL_REWRITES: Readonly<Record<string, CallRewrite>> = Object.assign({}, ...FUNCTION_FAMILIES.map((f) => f.rewrites))

/** Compatibility notes of all families, with the family each belongs to. */
export const FUNCTION_NOTES: readonly (FunctionNote & { family: string })[] = FUNCTION_FAMILIES.flatMap((f) => f.notes.map((n) => ({ ...n, family: f.family })))

/** How the Spark dialect behaves in one session. */
export interface SparkSessionSettings {
  mode: SparkMode
  /** Relations (views/tables, lower-case) whose rows carry the reserved `__input_file_name` column. */
  inputFileSources: Set<string>
}

const settings = new WeakMap<DuckdbSession, SparkSessionSettings>()
const installed = new WeakSet<DuckdbSession>()
/** The mode whose macros a session holds now: re-creating them on every SqlEngine.open would cost each open. */
const macrosInstalled = new WeakMap<DuckdbSession, SparkMode>()

/** The session's Spark settings (ANSI and no file sources until changed). */
export function sparkSettingsOf(session: DuckdbSession): SparkSessionSettings {
  let s = settings.get(session)
  if (!s) {
    s = { mode: 'ansi', inputFileSources: new Set() }
    settings.set(session, s)
  }
  return s
}

/**
 * The `CREATE OR REPLACE TEMP MACRO` statements for a mode. Definitions sharing a name become one macro with
 * overloads by argument count.
 */
export function sparkMacroSql(mode: SparkMode): string {
  const byName = new Map<string, string[]>()
  for (const family of FUNCTION_FAMILIES) {
    for (const definition of family.macros(mode)) {
      const open = definition.indexOf('(')
      const name = definition.slice(0, open)
      byName.set(name, [...(byName.get(name) ?? []), definition.slice(open)])
    }
  }
  return [...byName].map(([name, overloads]) => `CREATE OR REPLACE TEMP MACRO ${name}${overloads.join(',\n  ')};`).join('\n')
}

/**
 * Switches a session between Spark's ANSI and legacy rules: later statements rewrite and evaluate accordingly.
 * @throws the DuckDB error when the macros cannot be created (a bug, not a user error).
 */
export async function setSparkMode(session: DuckdbSession, mode: SparkMode): Promise<void> {
  sparkSettingsOf(session).mode = mode
  if (macrosInstalled.get(session) === mode) return
  await session.exec(sparkMacroSql(mode))
  macrosInstalled.set(session, mode)
}

/**
 * Names relations whose rows carry the reserved `__input_file_name` column (the pipeline runner's read_files views),
 * so input_file_name() in a statement reading one of them returns the file; elsewhere it returns '' as in Spark.
 */
export function setInputFileSources(session: DuckdbSession, relations: Iterable<string>): void {
  sparkSettingsOf(session).inputFileSources = new Set([...relations].map((r) => r.toLowerCase()))
}

/**
 * Registers the JS functions (once per session) and the macros for a mode, and sets Spark's NULL sort order
 * (first when ascending). ANSI is the default, as in Spark 4.
 * @throws the DuckDB error when registration fails.
 */
export async function installSparkFunctions(session: DuckdbSession, options: { ansi?: boolean } = {}): Promise<void> {
  if (!installed.has(session)) {
    installed.add(session)
    await session.serialize(async () => {
      for (const family of FUNCTION_FAMILIES) for (const fn of family.udfs?.() ?? []) session.connection.registerScalarFunction(fn)
    })
  }
  // Spark sorts NULLs first in ascending order and last in descending order (DuckDB: last in both).
  await session.exec("SET default_null_order = 'nulls_first_on_asc_last_on_desc'")
  await setSparkMode(session, options.ansi === false ? 'legacy' : 'ansi')
}
