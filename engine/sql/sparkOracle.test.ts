// Spark's own golden results (shared/spark-sql-oracle) on SqlEngine: required functions must match, the table must be current.
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildCompatDocument, COMPAT_DOCUMENT, REPOSITORY_ROOT } from './dialect/functions/compat/compatDocument'
import { isRequiredOracleCase, REQUIRED_FUNCTIONS } from './dialect/functions/compat/compatTable'
import { KNOWN_FAILURES } from './dialect/functions/compat/knownFailures'
import { ORACLE_CASES_PATH, type OracleOutcome } from './dialect/functions/compat/oracleRunner'
import { FUNCTION_NOTES } from './dialect/functions/sparkFunctions'

const oracleAvailable = existsSync(ORACLE_CASES_PATH)
if (!oracleAvailable) console.warn(`Spark SQL oracle not found at ${ORACLE_CASES_PATH} (../shared beside the checkout): skipping the oracle suite`)

describe.skipIf(!oracleAvailable)('Spark SQL oracle', () => {
  let outcomes: OracleOutcome[]
  let text: string

  beforeAll(async () => {
    ({ outcomes, text } = await buildCompatDocument())
  }, 300_000)

  it('ran every oracle case in both modes', () => {
    expect(outcomes.length).toBe(266)
    expect(new Set(outcomes.map((o) => o.mode))).toEqual(new Set(['ansi', 'legacy']))
  })

  it('matches Spark on every case of a required function, except the documented differences', () => {
    const unexpected = outcomes.filter((o) => isRequiredOracleCase(o.function) && !o.passed && !(o.id in KNOWN_FAILURES))
    expect(unexpected.map((o) => `${o.id} (${o.function}, ${o.mode}): ${o.detail}`)).toEqual([])
  })

  it('still differs on each documented difference (the list cannot go stale)', () => {
    const fixed = Object.keys(KNOWN_FAILURES).filter((id) => outcomes.find((o) => o.id === id)?.passed !== false)
    expect(fixed).toEqual([])
  })

  it('lists every required function with notes in the compatibility table', () => {
    const noted = new Set(FUNCTION_NOTES.map((n) => n.name))
    expect(REQUIRED_FUNCTIONS.filter((f) => !noted.has(f))).toEqual([])
    for (const f of REQUIRED_FUNCTIONS) expect(text).toContain(`| ${f.replace(/\|/g, '\\|')} |`)
  })

  it(`keeps ${COMPAT_DOCUMENT} up to date (regenerate with npx tsx scripts/spark-compat.ts)`, async () => {
    const onDisk = await fs.readFile(path.join(REPOSITORY_ROOT, COMPAT_DOCUMENT), 'utf8').catch(() => '')
    expect(onDisk).toBe(text)
  })
})
