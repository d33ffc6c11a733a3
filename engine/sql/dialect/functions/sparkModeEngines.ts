// Test support: one SqlEngine per Spark mode (ANSI and legacy) over a temp lakehouse, rows printed as Spark prints them.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { Lakehouse } from '../../../lakehouse/folder'
import { DuckdbSession } from '../../duckdbSession'
import { SqlEngine } from '../../queryRunner'
import { printSparkResult } from './compat/sparkPrinter'

/** The session zone Spark's golden outputs assume. */
export const SPARK_TEST_ZONE = 'America/Los_Angeles'

/**
 * Registers beforeAll/afterAll hooks in the calling describe block that open an ANSI and a legacy engine, and returns
 * `rows(sql, mode)`: the last statement's rows as Spark's printer renders them.
 */
export function useSparkModeEngines(): (sql: string, mode?: 'ansi' | 'legacy') => Promise<string[][]> {
  let dir = ''
  const sessions: DuckdbSession[] = []
  const engines = {} as Record<'ansi' | 'legacy', SqlEngine>

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-spark-modes-'))
    const lakehouse = await Lakehouse.create(dir)
    for (const mode of ['ansi', 'legacy'] as const) {
      const session = await DuckdbSession.create({ threads: 1 })
      sessions.push(session)
      await session.exec(`SET TimeZone = '${SPARK_TEST_ZONE}'`)
      engines[mode] = await SqlEngine.open(lakehouse, { session, ansi: mode === 'ansi' })
    }
  })

  afterAll(async () => {
    for (const e of Object.values(engines)) e.close()
    for (const s of sessions) s.close()
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  })

  return async (sql, mode = 'ansi') => {
    const results = await engines[mode].execute(sql)
    return printSparkResult(results[results.length - 1]!.arrow, SPARK_TEST_ZONE).rows
  }
}
