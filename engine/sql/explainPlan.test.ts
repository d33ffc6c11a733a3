// Tests EXPLAIN / EXPLAIN ANALYZE end to end: Spark forms recognised, DuckDB's real JSON plans parsed into a tree.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlanOperator } from '../api/sqlApi'
import { Lakehouse } from '../lakehouse/folder'
import { arrowRows } from './arrow'
import { tokenize } from './dialect/tokenizer'
import { DuckdbSession } from './duckdbSession'
import { explainRequest, parseExplainOutput } from './explainPlan'
import { SqlEngine } from './queryRunner'
import { SqlError } from './sqlError'

const flatten = (ops: PlanOperator[]): PlanOperator[] => ops.flatMap((op) => [op, ...flatten(op.children)])

describe('explainRequest', () => {
  it('recognises EXPLAIN, EXPLAIN ANALYZE and the Spark modes, leaving DuckDB option lists alone', () => {
    expect(explainRequest(tokenize('EXPLAIN SELECT 1'))?.analyze).toBe(false)
    expect(explainRequest(tokenize('explain analyze select 1'))?.analyze).toBe(true)
    expect(explainRequest(tokenize('EXPLAIN FORMATTED SELECT 1'))?.analyze).toBe(false)
    expect(explainRequest(tokenize('EXPLAIN (FORMAT json) SELECT 1'))).toBeNull()
    expect(explainRequest(tokenize('SELECT 1'))).toBeNull()
    const query = explainRequest(tokenize('EXPLAIN  ANALYZE  SELECT a FROM t'))!.query
    expect(query.map((t) => t.text).join('')).toBe('SELECT a FROM t')
  })

  it('refuses to explain a write, naming where the statement starts', () => {
    const e = (() => {
      try {
        explainRequest(tokenize('EXPLAIN\n  INSERT INTO bronze.t VALUES (1)'))
      } catch (error) {
        return error
      }
    })() as SqlError
    expect(e).toBeInstanceOf(SqlError)
    expect(e.code).toBe('UNSUPPORTED')
    expect(e.message).toContain('line 2, column 3')
  })
})

describe('EXPLAIN through SqlEngine on real DuckDB output', () => {
  let dir: string
  let session: DuckdbSession
  let engine: SqlEngine

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-explain-'))
    session = await DuckdbSession.create()
    engine = await SqlEngine.open(await Lakehouse.create(dir), { session })
    await engine.execute(`CREATE TABLE bronze.events (id BIGINT, kind STRING) USING DELTA;
      INSERT INTO bronze.events SELECT range, 'k' || (range % 7) FROM range(20000)`)
  })

  afterAll(async () => {
    engine.close()
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('EXPLAIN returns the estimated plan as a tree and as flat rows, without running the query', async () => {
    const [result] = await engine.execute('EXPLAIN SELECT kind, count(*) AS n FROM bronze.events WHERE id > 100 GROUP BY kind')
    const plan = result!.plan!
    expect(plan.analyzed).toBe(false)
    expect(plan.totalMs).toBeUndefined()
    const ops = flatten(plan.operators)
    const names = ops.map((o) => o.name)
    expect(names).toContain('HASH_GROUP_BY')
    expect(names.some((n) => /SCAN|READ_PARQUET/.test(n))).toBe(true)
    expect(ops.every((o) => o.actualRows === undefined && o.timeMs === undefined)).toBe(true)
    const group = ops.find((o) => o.name === 'HASH_GROUP_BY')!
    expect(group.details.find((d) => d.key === 'Aggregates')?.value).toContain('count_star')
    expect(ops.some((o) => (o.estimatedRows ?? 0) > 0)).toBe(true)
    // The rows list the same operators depth-first, children indented.
    const rows = arrowRows(result!.arrow)
    expect(result!.columns.map((c) => c.name)).toEqual(['operator', 'depth', 'estimated_rows', 'actual_rows', 'time_ms', 'details'])
    expect(rows.map((r) => String(r.operator).trim())).toEqual(names)
    expect(rows.map((r) => r.depth)).toEqual(ops.map((o) => depthOf(plan.operators, o)))
  })

  it('EXPLAIN ANALYZE runs the query: actual rows per operator, timings and the total, without the profiler wrapper', async () => {
    const [result] = await engine.execute('EXPLAIN ANALYZE SELECT kind, count(*) AS n FROM bronze.events GROUP BY kind')
    const plan = result!.plan!
    expect(plan.analyzed).toBe(true)
    expect(plan.totalMs).toBeGreaterThan(0)
    const ops = flatten(plan.operators)
    expect(ops.map((o) => o.name)).not.toContain('EXPLAIN_ANALYZE')
    expect(ops.find((o) => o.name === 'HASH_GROUP_BY')?.actualRows).toBe(7)
    const scan = ops.find((o) => /SCAN|READ_PARQUET/.test(o.name))!
    expect(scan.actualRows).toBe(20000)
    expect(ops.every((o) => typeof o.timeMs === 'number' && o.timeMs >= 0)).toBe(true)
    const rows = arrowRows(result!.arrow)
    expect(rows.find((r) => String(r.operator).trim() === 'HASH_GROUP_BY')?.actual_rows).toBe(7)
  })

  it('keeps DuckDB\'s own EXPLAIN (options) text output as it was', async () => {
    const [result] = await engine.execute('EXPLAIN (FORMAT json) SELECT 1')
    expect(result!.plan).toBeUndefined()
    expect(result!.columns.map((c) => c.name)).toEqual(['explain_key', 'explain_value'])
  })

  it('names the missing table of an explained query', async () => {
    await expect(engine.execute('EXPLAIN SELECT * FROM silver.nope')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' })
  })
})

describe('parseExplainOutput', () => {
  it('rejects output that is not a JSON plan with a message quoting its start', () => {
    expect(() => parseExplainOutput([{ explain_value: '┌───┐' }], false)).toThrow(/not JSON.*┌/)
    expect(() => parseExplainOutput([], true)).toThrow(/no plan text/)
  })
})

function depthOf(roots: PlanOperator[], target: PlanOperator, depth = 0): number {
  for (const op of roots) {
    if (op === target) return depth
    const inner = depthOf(op.children, target, depth + 1)
    if (inner >= 0) return inner
  }
  return -1
}
