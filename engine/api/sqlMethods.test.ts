// Tests the SQL method schemas at the RPC boundary: exportResult's arguments and StatementResult's plan tree.
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../testing/fakeEngine'
import { methodSpec } from './methods'
import { statementResultSchema } from './schemas'

const accepts = (path: string, arg: unknown) => methodSpec(path)!.arg.safeParse(arg).success

describe('sql method schemas', () => {
  it('exportResult takes SQL and parquet or csv, nothing else', () => {
    expect(accepts('sql.exportResult', { sql: 'SELECT 1', format: 'parquet' })).toBe(true)
    expect(accepts('sql.exportResult', { sql: 'SELECT 1', format: 'csv' })).toBe(true)
    expect(accepts('sql.exportResult', { sql: 'SELECT 1', format: 'xlsx' })).toBe(false)
    expect(accepts('sql.exportResult', { sql: '', format: 'csv' })).toBe(false)
    expect(accepts('sql.exportResult', { sql: 'SELECT 1', format: 'csv', path: '/tmp/x' })).toBe(false)
  })

  it('a statement result may carry a nested plan; malformed operators are rejected', () => {
    const base = { statement: 'EXPLAIN SELECT 1', kind: 'rows', columns: [], rowCount: 1, arrow: new Uint8Array(), elapsedMs: 1 }
    const leaf = { name: 'DUMMY_SCAN', details: [], children: [] }
    const plan = { analyzed: true, totalMs: 2, operators: [{ name: 'PROJECTION', details: [{ key: 'Projections', value: '1' }], actualRows: 1, timeMs: 0.1, children: [leaf] }] }
    expect(statementResultSchema.safeParse({ ...base, plan }).success).toBe(true)
    expect(statementResultSchema.safeParse({ ...base, plan: { ...plan, operators: [{ ...leaf, timeMs: -1 }] } }).success).toBe(false)
    expect(statementResultSchema.safeParse({ ...base, plan: { analyzed: true, operators: [{ name: 'X', children: [] }] } }).success).toBe(false)
  })

  it('the fake engine\'s export satisfies the result schema', async () => {
    const bytes = await createFakeEngine().sql.exportResult({ sql: 'SELECT * FROM silver.users', format: 'parquet' })
    expect(methodSpec('sql.exportResult')!.result.safeParse(bytes).success).toBe(true)
    expect(bytes.byteLength).toBeGreaterThan(0)
  })
})
