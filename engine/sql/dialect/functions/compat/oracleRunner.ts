// Runs Spark's golden cases (shared/spark-sql-oracle) through SqlEngine in their mode and compares as Spark prints.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Lakehouse } from '../../../../lakehouse/folder'
import { DuckdbSession } from '../../../duckdbSession'
import { SqlEngine } from '../../../queryRunner'
import { printSparkResult } from './sparkPrinter'

/** One record of cases.jsonl (see the oracle's README). */
export interface OracleCase {
  id: string
  function: string
  query: string
  schema: string | null
  output: string[][]
  error: string | null
  mode: 'ansi' | 'legacy'
}

export interface OracleOutcome {
  id: string
  function: string
  mode: 'ansi' | 'legacy'
  passed: boolean
  /** Why it failed: the expected and actual rows, or the unexpected error / missing error. */
  detail: string
}

/** The session time zone Spark's golden files assume. */
export const ORACLE_TIME_ZONE = 'America/Los_Angeles'

/** Default location of the oracle, relative to the repository root. */
export const ORACLE_CASES_PATH = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../../shared/spark-sql-oracle/cases.jsonl')

/** Reads cases.jsonl. @throws when the file is missing or a line is not JSON. */
export async function loadOracleCases(file = ORACLE_CASES_PATH): Promise<OracleCase[]> {
  const text = await fs.readFile(file, 'utf8')
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as OracleCase)
}

/** Rows as the oracle compares them: tab-joined, trailing blanks trimmed, sorted. */
function canonicalRows(rows: readonly string[][]): string[] {
  return rows.map((r) => r.join('\t').replace(/\s+$/, '').replace(/\r\n/g, '\n')).sort()
}

/** Runs one case on an engine set to the case's mode. */
async function runCase(engine: SqlEngine, c: OracleCase): Promise<OracleOutcome> {
  const base = { id: c.id, function: c.function, mode: c.mode }
  let printed: string[][]
  try {
    const results = await engine.execute(c.query)
    printed = printSparkResult(results[results.length - 1]!.arrow, ORACLE_TIME_ZONE).rows
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!
    return { ...base, passed: c.error !== null, detail: c.error !== null ? `failed as expected (${c.error}): ${message}` : `unexpected error: ${message}` }
  }
  if (c.error !== null) return { ...base, passed: false, detail: `expected ${c.error}, got rows ${JSON.stringify(printed)}` }
  const expected = canonicalRows(c.output)
  const actual = canonicalRows(printed)
  const passed = JSON.stringify(expected) === JSON.stringify(actual)
  return { ...base, passed, detail: passed ? 'rows match' : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` }
}

/**
 * Runs every case in its mode on a fresh lakehouse and DuckDB session (time zone America/Los_Angeles), in order.
 * Nothing is written outside a temp folder, which is removed afterwards.
 */
export async function runOracleCases(cases: readonly OracleCase[]): Promise<OracleOutcome[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-spark-oracle-'))
  const sessions: DuckdbSession[] = []
  try {
    const lakehouse = await Lakehouse.create(dir)
    const engines: Record<'ansi' | 'legacy', SqlEngine> = {} as never
    for (const mode of ['ansi', 'legacy'] as const) {
      const session = await DuckdbSession.create({ threads: 1 })
      sessions.push(session)
      await session.exec(`SET TimeZone = '${ORACLE_TIME_ZONE}'`)
      engines[mode] = await SqlEngine.open(lakehouse, { session, ansi: mode === 'ansi' })
    }
    const outcomes: OracleOutcome[] = []
    for (const c of cases) outcomes.push(await runCase(engines[c.mode], c))
    return outcomes
  } finally {
    for (const s of sessions) s.close()
    await fs.rm(dir, { recursive: true, force: true })
  }
}
