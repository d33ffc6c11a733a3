// Builds the compatibility document in memory: runs every oracle case and counts the function modules' own tests.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { countOwnTests, renderCompatTable } from './compatTable'
import { loadOracleCases, runOracleCases, type OracleOutcome } from './oracleRunner'

/** Where the generated table lives, relative to the repository root. */
export const COMPAT_DOCUMENT = 'docs/spark-functions.md'

/** The repository root (this file sits in engine/sql/dialect/functions/compat). */
export const REPOSITORY_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../..')

/**
 * Runs all oracle cases and renders docs/spark-functions.md. Returns the text and the outcomes behind it.
 * @throws when the oracle or the test files cannot be read.
 */
export async function buildCompatDocument(): Promise<{ text: string; outcomes: OracleOutcome[] }> {
  const outcomes = await runOracleCases(await loadOracleCases())
  const ownTests = await countOwnTests(path.join(REPOSITORY_ROOT, 'engine/sql/dialect/functions'))
  return { text: renderCompatTable(outcomes, ownTests), outcomes }
}
