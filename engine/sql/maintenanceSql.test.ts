// Tests RESTORE / OPTIMIZE / VACUUM through SqlEngine on a real temp lakehouse, with Spark's result columns.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyStatement } from './dialect/statements'
import { tokenize } from './dialect/tokenizer'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { DuckdbSession } from './duckdbSession'
import { SqlEngine } from './queryRunner'
import { SqlError } from './sqlError'

const HOUR = 3_600_000

describe('Delta maintenance statements', () => {
  let dir: string
  let engine: SqlEngine
  let session: DuckdbSession
  const clock = { t: Date.now(), now() { return this.t } }
  const rows = async (sql: string) => {
    const results = await engine.execute(sql)
    return { result: results[results.length - 1]!, rows: arrowRows(results[results.length - 1]!.arrow) }
  }
  const failure = async (sql: string): Promise<SqlError> => {
    const e = await engine.execute(sql).then(() => null, (err: unknown) => err)
    expect(e).toBeInstanceOf(SqlError)
    return e as SqlError
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-maint-sql-'))
    session = await DuckdbSession.create()
    engine = await SqlEngine.open(await Lakehouse.create(dir), { clock, session })
    await engine.execute(`
      CREATE TABLE silver.events (id BIGINT, kind STRING, day STRING) USING DELTA PARTITIONED BY (day);
      INSERT INTO silver.events VALUES (1, 'a', 'd1'), (2, 'b', 'd1');
      INSERT INTO silver.events VALUES (3, 'c', 'd1');
      INSERT INTO silver.events VALUES (4, 'd', 'd2');
      DELETE FROM silver.events WHERE id = 1`)
  })
  afterAll(async () => {
    await engine.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('parses the three forms and leaves DuckDB\'s own VACUUM alone', () => {
    expect(classifyStatement(tokenize("RESTORE TABLE s.t TO TIMESTAMP AS OF '2024-01-01'"))).toMatchObject({ kind: 'restore', timestamp: '2024-01-01' })
    expect(classifyStatement(tokenize('RESTORE s.t VERSION AS OF 3'))).toMatchObject({ kind: 'restore', version: 3 })
    expect(classifyStatement(tokenize("OPTIMIZE s.t WHERE day = 'x' AND (1 = 1) ZORDER BY (a, b)"))).toMatchObject({ kind: 'optimize', zorderBy: ['a', 'b'] })
    expect(classifyStatement(tokenize('VACUUM s.t RETAIN 200 HOURS DRY RUN'))).toMatchObject({ kind: 'vacuum', retentionHours: 200, dryRun: true })
    expect(classifyStatement(tokenize('VACUUM'))).toEqual({ kind: 'query' })
    expect(classifyStatement(tokenize('VACUUM ANALYZE'))).toEqual({ kind: 'query' })
    expect(() => classifyStatement(tokenize('RESTORE s.t TO 3'))).toThrow(/VERSION AS OF/)
  })

  it('RESTORE returns Spark\'s six columns and the table reads as the old version', async () => {
    const old = (await rows('SELECT * FROM silver.events VERSION AS OF 2 ORDER BY id')).rows
    const { result, rows: out } = await rows('RESTORE TABLE silver.events TO VERSION AS OF 2')
    expect(result.columns.map((c) => c.name)).toEqual(['table_size_after_restore', 'num_of_files_after_restore', 'num_removed_files', 'num_restored_files', 'removed_files_size', 'restored_files_size'])
    expect(Number(out[0]!.num_of_files_after_restore)).toBe(2)
    expect((await rows('SELECT * FROM silver.events ORDER BY id')).rows).toEqual(old)
    expect((await rows('DESCRIBE HISTORY silver.events LIMIT 1')).rows[0]!.operation).toBe('RESTORE')
  })

  it('OPTIMIZE returns path and metrics and keeps the rows', async () => {
    await engine.execute("INSERT INTO silver.events VALUES (5, 'e', 'd1')")
    const before = (await rows('SELECT * FROM silver.events ORDER BY id')).rows
    const { result, rows: out } = await rows("OPTIMIZE silver.events WHERE day = 'd1' ZORDER BY (id)")
    expect(result.columns.map((c) => c.name)).toEqual(['path', 'metrics'])
    expect(out[0]!.path).toBe(path.join(dir, 'tables', 'silver', 'events'))
    const metrics = out[0]!.metrics as Record<string, unknown>
    expect([Number(metrics.numFilesAdded), Number(metrics.numFilesRemoved)]).toEqual([1, 3])
    expect((await rows('SELECT * FROM silver.events ORDER BY id')).rows).toEqual(before)
    expect((await failure('OPTIMIZE silver.events WHERE id > 1')).code).toBe('INVALID_ARGUMENT')
  })

  it('VACUUM refuses RETAIN under 168 hours, and DRY RUN lists the files a later VACUUM deletes', async () => {
    const refused = await failure('VACUUM silver.events RETAIN 1 HOURS')
    expect(refused.code).toBe('VACUUM_RETENTION_TOO_SHORT')
    expect(refused.message).toMatch(/168 hours/)
    clock.t += 200 * HOUR
    const dry = await rows('VACUUM silver.events DRY RUN')
    expect(dry.result.columns.map((c) => c.name)).toEqual(['path'])
    expect(dry.rows.length).toBeGreaterThan(0)
    for (const r of dry.rows) await expect(fs.access(String(r.path))).resolves.toBeUndefined()
    const real = await rows('VACUUM silver.events RETAIN 168 HOURS')
    expect(real.rows).toEqual([{ path: path.join(dir, 'tables', 'silver', 'events') }])
    for (const r of dry.rows) await expect(fs.access(String(r.path))).rejects.toThrow()
    expect(Number((await rows('SELECT count(*) AS n FROM silver.events')).rows[0]!.n)).toBe(4)
  })
})
