// Tests result export: parquet and CSV bytes of a lakehouse query that read back in DuckDB with the same rows.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlString } from '../delta/parquetPort'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { DuckdbSession } from './duckdbSession'
import { SqlEngine } from './queryRunner'
import { exportQueryResult } from './resultExport'

describe('exportQueryResult', () => {
  let dir: string
  let session: DuckdbSession
  let engine: SqlEngine
  let reader: DuckdbSession

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-export-'))
    session = await DuckdbSession.create()
    reader = await DuckdbSession.create()
    engine = await SqlEngine.open(await Lakehouse.create(dir), { session })
    await engine.execute(`CREATE TABLE silver.orders (id BIGINT, city STRING, amount DECIMAL(8,2), day DATE) USING DELTA;
      INSERT INTO silver.orders SELECT range, CASE WHEN range % 3 = 0 THEN NULL ELSE 'c' || (range % 4) END, range * 1.25, DATE '2024-01-01' + CAST(range % 30 AS INT) FROM range(5000);
      INSERT INTO silver.orders VALUES (99999, 'comma, "quoted"', 1.00, DATE '2024-02-01')`)
  })

  afterAll(async () => {
    engine.close()
    session.close()
    reader.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const writeOut = async (bytes: Uint8Array, name: string): Promise<string> => {
    const file = path.join(dir, name)
    await fs.writeFile(file, bytes)
    return file
  }

  it('parquet bytes read back with the same rows, types and values as the query', async () => {
    const query = 'SELECT id, city, amount, day FROM silver.orders WHERE id % 2 = 0'
    const bytes = await exportQueryResult(engine, session, query, 'parquet')
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1')
    const file = await writeOut(bytes, 'even.parquet')
    const [count] = await reader.query(`SELECT count(*)::INT AS n, sum(id)::BIGINT AS ids, count(city)::INT AS cities FROM read_parquet(${sqlString(file)})`)
    expect(count).toEqual({ n: 2500, ids: 2500n * 4998n / 2n, cities: 2500 - 834 })
    const types = await reader.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}))`)
    expect(types.map((t) => t.column_type)).toEqual(['BIGINT', 'VARCHAR', 'DECIMAL(8,2)', 'DATE'])
    // Row for row: the exported file and the engine's own answer agree.
    const diff = await reader.query(`SELECT count(*)::INT AS n FROM read_parquet(${sqlString(file)}) WHERE amount <> id * 1.25`)
    expect(diff[0]!.n).toBe(0)
  })

  it('time travel works in an export (version 1 has no quoted row)', async () => {
    const file = await writeOut(await exportQueryResult(engine, session, 'SELECT * FROM silver.orders VERSION AS OF 1', 'parquet'), 'v1.parquet')
    expect((await reader.query(`SELECT count(*)::INT AS n FROM read_parquet(${sqlString(file)})`))[0]!.n).toBe(5000)
  })

  it('CSV has a header and quotes awkward fields', async () => {
    const bytes = await exportQueryResult(engine, session, "SELECT id, city FROM silver.orders WHERE id IN (1, 3, 99999) ORDER BY id;", 'csv')
    const text = Buffer.from(bytes).toString('utf8')
    expect(text.split('\n')[0]).toBe('id,city')
    expect(text).toContain('99999,"comma, ""quoted"""')
    const file = await writeOut(bytes, 'rows.csv')
    const rows = await reader.query(`SELECT id::BIGINT AS id, city FROM read_csv(${sqlString(file)}, header = true) ORDER BY id`)
    expect(rows).toEqual([{ id: 1n, city: 'c1' }, { id: 3n, city: null }, { id: 99999n, city: 'comma, "quoted"' }])
  })

  it('refuses commands and scripts, and leaves no temp folder behind', async () => {
    const before = (await fs.readdir(os.tmpdir())).filter((f) => f.startsWith('lakebench-export-')).length
    await expect(exportQueryResult(engine, session, 'DELETE FROM silver.orders', 'parquet')).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(exportQueryResult(engine, session, 'SELECT 1; SELECT 2', 'csv')).rejects.toThrow(/exactly one query; the text has 2/)
    await expect(exportQueryResult(engine, session, 'SHOW TABLES', 'csv')).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(exportQueryResult(engine, session, 'SELECT * FROM silver.missing', 'parquet')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
    await expect(exportQueryResult(engine, session, 'SELECT nope FROM silver.orders', 'parquet')).rejects.toMatchObject({ code: 'DUCKDB_ERROR' })
    const after = (await fs.readdir(os.tmpdir())).filter((f) => f.startsWith('lakebench-export-')).length
    expect(after).toBeLessThanOrEqual(before)
    // The table is untouched by the refused DELETE.
    const [count] = arrowCount(await engine.execute('SELECT count(*) AS n FROM silver.orders'))
    expect(Number(count)).toBe(5001)
  })

  it('is interrupted by cancel and reports CANCELLED', async () => {
    const pending = exportQueryResult(engine, session, 'SELECT count(*) FROM range(100000000) a, range(100000) b', 'parquet')
    // Cancel until it lands: a cancel before the COPY starts would be reset by the export itself.
    const timer = setInterval(() => engine.cancel(), 50)
    await expect(pending.finally(() => clearInterval(timer))).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})

function arrowCount(results: { arrow: Uint8Array }[]): bigint[] {
  return results.map((r) => arrowRows(r.arrow)[0]!.n as bigint)
}
