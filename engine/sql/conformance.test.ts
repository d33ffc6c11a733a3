// SQL over tables written by Spark, Databricks and delta-rs (../shared/delta-conformance, read only): every version, history, detail, types.
import { existsSync, promises as fs, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { SqlEngine } from './queryRunner'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = path.resolve(repoRoot, '../shared/delta-conformance')
const available = existsSync(path.join(corpus, 'MANIFEST.json'))

interface TableCase {
  name: string
  versions: { latest: number; reconstructableFrom: number }
  partitionColumns: string[]
  schema: string[]
  expected: { byLogReplay: { perVersion: { version: number; rows: number; liveFiles: number }[] } }
}
const tables: TableCase[] = available ? (JSON.parse(readFileSync(path.join(corpus, 'MANIFEST.json'), 'utf8')) as { tables: TableCase[] }).tables : []

describe.skipIf(!available)('SQL over the Delta conformance corpus', () => {
  let dir: string
  let engine: SqlEngine
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sql-conformance-'))
    engine = await SqlEngine.open(await Lakehouse.create(dir))
  })
  afterAll(async () => {
    engine?.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const results = await engine.execute(sql)
    return arrowRows(results[results.length - 1]!.arrow)
  }

  it.each(tables.map((t) => [t.name, t] as const))('%s: rows at every version, history, detail and column names', async (_, table) => {
    const name = `delta.\`${path.join(corpus, 'tables', table.name)}\``
    for (const v of table.expected.byLogReplay.perVersion.filter((p) => p.version >= table.versions.reconstructableFrom)) {
      expect(await rows(`SELECT count(*) AS n FROM ${name} VERSION AS OF ${v.version}`), `${table.name}@v${v.version}`).toEqual([{ n: v.rows }])
    }
    const latest = table.expected.byLogReplay.perVersion.find((p) => p.version === table.versions.latest)!
    // Every value of every column must encode to Arrow and decode to JSON.
    expect(await rows(`SELECT * FROM ${name}`)).toHaveLength(latest.rows)
    const [detail] = await rows(`DESCRIBE DETAIL ${name}`)
    expect(detail).toMatchObject({ format: 'delta', version: table.versions.latest, numFiles: latest.liveFiles, partitionColumns: table.partitionColumns })
    const history = await rows(`DESCRIBE HISTORY ${name} LIMIT 1`)
    expect(history.map((h) => h.version)).toEqual([table.versions.latest])
    expect(typeof history[0]!.operation).toBe('string')
    // Logical names (column mapping tables show them, not the physical col-<uuid> names).
    const columns = (await rows(`SHOW COLUMNS IN ${name}`)).map((r) => r.col_name)
    expect(columns).toEqual(table.schema.map((s) => s.slice(0, s.indexOf(':'))))
  })
})
