// `lakebench run`, spawned as a user runs it: progress lines, exit codes naming the failing flow, validate, select.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestLakehouse, removeTestLakehouses, shopLakehouse, tableVersion, writeFiles } from '../pipeline/run/testPipelineLakehouse'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lakebench')

function lakebench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }))
  })
}

afterAll(removeTestLakehouses)

describe('lakebench run', () => {
  it('runs the only pipeline with a line per flow, then commits nothing on a second run', async () => {
    const lakehouse = await shopLakehouse()
    const first = await lakebench(['run', '--lakehouse', lakehouse.root])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const lines = first.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^bronze\.users {2}completed {2}4 in, 4 written, 0 quarantined {2}-> v1/)
    expect(lines[2]).toMatch(/^silver\.users {2}completed {2}4 in, 3 written, 1 quarantined .*has_name \(drop\) failed 1/)
    expect(lines.at(-1)).toMatch(/^Pipeline shop completed: 5 flow\(s\), 5 commit\(s\)/)
    const second = await lakebench(['run', '-l', lakehouse.root, 'shop'])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Pipeline shop completed: 5 flow\(s\), 0 commit\(s\)/)
  }, 60_000)

  it('validates without writing, selects upstream only, and exits 1 naming the failing flow and expectation', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/orders/o1.csv': 'order_id,qty\n1,2\n2,-3\n',
      'pipelines/orders/orders.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.orders AS SELECT * FROM STREAM read_files('landing/orders', format => 'csv', header => true);
CREATE OR REFRESH STREAMING TABLE silver.orders (CONSTRAINT positive_qty EXPECT (qty > 0) ON VIOLATION FAIL UPDATE)
AS SELECT order_id, qty FROM STREAM(bronze.orders);
`
    })
    const validate = await lakebench(['run', '-l', lakehouse.root, '--validate'])
    expect(validate.code).toBe(0)
    expect(validate.stdout).toMatch(/Pipeline orders is valid: 2 dataset\(s\)/)
    expect(await lakehouse.listTables()).toEqual([])

    const select = await lakebench(['run', '-l', lakehouse.root, 'orders', '--select', 'bronze.orders'])
    expect(select.code).toBe(0)
    expect(await tableVersion(lakehouse, 'bronze.orders')).toBe(1)
    expect(await tableVersion(lakehouse, 'silver.orders')).toBeNull()

    const failed = await lakebench(['run', '-l', lakehouse.root, 'orders'])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/^silver\.orders {2}failed/m)
    expect(failed.stderr).toMatch(/^error PIPELINE_FAILED: Flow 'silver\.orders' \(silver\.orders\) failed: .*positive_qty.*"order_id":2/)

    await writeFiles(lakehouse, { 'pipelines/orders/bad.sql': 'CREATE MATERIALIZED VIEW gold.x AS SELECT * FROM LIVE.nothing_here;\n' })
    const invalid = await lakebench(['run', '-l', lakehouse.root, 'orders'])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/bad\.sql:1:\d+: error UNKNOWN_DATASET/)
  }, 60_000)

  it('asks for a pipeline name when there are several, and names unknown ones', async () => {
    const lakehouse = await createTestLakehouse({
      'pipelines/a/a.sql': 'CREATE MATERIALIZED VIEW gold.a AS SELECT 1 AS x;\n',
      'pipelines/b/b.sql': 'CREATE MATERIALIZED VIEW gold.b AS SELECT 2 AS x;\n'
    })
    const several = await lakebench(['run', '-l', lakehouse.root])
    expect(several.code).toBe(1)
    expect(several.stderr).toMatch(/error PIPELINE_REQUIRED: .* has 2 pipelines \(a, b\)/)
    const unknown = await lakebench(['run', '-l', lakehouse.root, 'c'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/error PIPELINE_NOT_FOUND: No pipeline 'c'.*\(pipelines: a, b\)/)
  }, 60_000)
})
