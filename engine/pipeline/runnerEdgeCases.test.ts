import { afterAll, describe, expect, it } from 'vitest'
import { runPipeline } from './runner'
import { DeltaTable } from '../delta/deltaTable'
import { DuckdbSession } from '../sql/duckdbSession'
import { formatFlowLine } from './run/runReport'
import { PIPELINE_EVENTS_SCHEMA } from './run/systemTables'
import { createTestLakehouse, fixedClock, queryRows, removeTestLakehouses, tableVersion, writeFiles } from './run/testPipelineLakehouse'

afterAll(removeTestLakehouses)

describe('runPipeline: edge cases a real pipeline hits', () => {
  it('creates a streaming table whose first batch has no rows, so the views reading it run', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/users/u1.csv': 'id,name\n',
      'pipelines/p/p.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.users AS SELECT * FROM STREAM read_files('landing/users', format => 'csv', header => true, schema => 'id INT, name STRING');
CREATE OR REFRESH MATERIALIZED VIEW gold.user_count AS SELECT count(*) AS n FROM bronze.users;
`
    })
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(result.flows.map((f) => [f.flow, f.status, f.version])).toEqual([['bronze.users', 'completed', 0], ['gold.user_count', 'completed', 0]])
    expect(await queryRows(lakehouse, 'SELECT n FROM gold.user_count')).toEqual([{ n: 0 }])
    expect(await queryRows(lakehouse, 'SELECT id, name, _rescued_data FROM bronze.users')).toEqual([])
    const again = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(again.flows.map((f) => f.status)).toEqual(['no_new_data', 'unchanged'])
    expect(await tableVersion(lakehouse, 'bronze.users')).toBe(0)
  })

  it('counts an explode: rows read from the source, rows in from the query, and rows in = written + quarantined', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/events/e1.json': '{"id": 1, "tags": ["x", "y"]}\n{"id": 2, "tags": []}\n{"id": 3, "tags": ["bad", "w"]}\n',
      'pipelines/p/p.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.events AS SELECT * FROM STREAM read_files('landing/events', format => 'json');
CREATE OR REFRESH STREAMING TABLE silver.event_tags (CONSTRAINT good_tag EXPECT (tag <> 'bad') ON VIOLATION DROP ROW)
AS SELECT id, explode(tags) AS tag FROM STREAM bronze.events;
`
    })
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(result.flows.map((f) => [f.flow, f.rowsRead, f.rowsIn, f.rowsWritten, f.rowsQuarantined])).toEqual([['bronze.events', 3, 3, 3, 0], ['silver.event_tags', 3, 4, 3, 1]])
    expect(await queryRows(lakehouse, `SELECT flow, rows_read, rows_in, rows_written, rows_quarantined FROM system.pipeline_events WHERE event_type = 'flow_progress' ORDER BY flow`)).toEqual([
      { flow: 'bronze.events', rows_read: 3, rows_in: 3, rows_written: 3, rows_quarantined: 0 },
      { flow: 'silver.event_tags', rows_read: 3, rows_in: 4, rows_written: 3, rows_quarantined: 1 }
    ])
    expect(formatFlowLine(result.flows[1]!)).toContain('3 read, 4 in, 3 written, 1 quarantined')
  })

  it('names the table, its definition and the full refresh that fixes it when an edited query adds a column', async () => {
    const sql = (select: string): string => `CREATE OR REFRESH STREAMING TABLE bronze.events AS SELECT ${select} FROM STREAM read_files('landing/events', format => 'json');\n`
    const lakehouse = await createTestLakehouse({ 'landing/events/e1.json': '{"id": 1}\n', 'pipelines/p/p.sql': sql('id') })
    expect((await runPipeline(lakehouse, 'p', { clock: fixedClock })).error).toBeUndefined()
    await writeFiles(lakehouse, { 'landing/events/e2.json': '{"id": 2}\n', 'pipelines/p/p.sql': sql('id, id * 10 AS tenfold') })
    const edited = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(edited.status).toBe('failed')
    expect(edited.error).toMatch(/bronze\.events no longer matches its query \(.*p\.sql:1:\d+\): column 'tenfold'.*--full-refresh bronze\.events/)
    const refreshed = await runPipeline(lakehouse, 'p', { clock: fixedClock, fullRefresh: ['bronze.events'] })
    expect(refreshed.error).toBeUndefined()
    expect(await queryRows(lakehouse, 'SELECT id, tenfold FROM bronze.events ORDER BY id')).toEqual([{ id: 1, tenfold: 10 }, { id: 2, tenfold: 20 }])
  })

  it('gives a flow without incremental sources no rows-read count', async () => {
    const lakehouse = await createTestLakehouse({ 'pipelines/p/p.sql': 'CREATE STREAMING TABLE bronze.seed;\nCREATE FLOW backfill AS INSERT INTO ONCE bronze.seed BY NAME SELECT 42 AS answer;\n' })
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.flows.map((f) => [f.flow, f.status, f.rowsRead, f.rowsIn])).toEqual([['backfill', 'completed', undefined, 1]])
    expect(formatFlowLine(result.flows[0]!)).toContain(' 1 in, 1 written')
    expect(formatFlowLine(result.flows[0]!)).not.toContain('read')
  })

  it('reports a query that fails at run time by its file:line:column and the value, without the translated SQL', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/events/e1.json': '{"id": 1, "payload": "{\\"a\\": {\\"b\\": \\"nine\\"}}"}\n',
      'pipelines/p/p.sql': `CREATE OR REFRESH STREAMING TABLE bronze.events AS SELECT * FROM STREAM read_files('landing/events', format => 'json');
CREATE OR REFRESH MATERIALIZED VIEW silver.paths AS
  SELECT id, payload:a.b::int AS b FROM bronze.events;
`
    })
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.status).toBe('failed')
    const failed = result.flows.find((f) => f.flow === 'silver.paths')!
    expect(failed.error).toMatch(/^Flow 'silver\.paths' \(.*p\.sql:3:3\) failed: .*'nine'/)
    expect(failed.error).not.toMatch(/__lb|LINE 1/)
  })

  it('keeps appending to a system.pipeline_events created before rows_read existed', async () => {
    const lakehouse = await createTestLakehouse({ 'landing/a/a.json': '{"id": 1}\n', 'pipelines/p/p.sql': "CREATE STREAMING TABLE bronze.a AS SELECT * FROM STREAM read_files('landing/a', format => 'json');\n" })
    const session = await DuckdbSession.create({ threads: 1 })
    try {
      const oldSchema = { type: 'struct' as const, fields: PIPELINE_EVENTS_SCHEMA.fields.filter((f) => f.name !== 'rows_read') }
      await lakehouse.createSchema('system')
      await DeltaTable.create(lakehouse.tablePath('system', 'pipeline_events'), session, { schema: oldSchema, name: 'pipeline_events' })
    } finally {
      session.close()
    }
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(await queryRows(lakehouse, "SELECT flow, rows_in FROM system.pipeline_events WHERE event_type = 'flow_progress'")).toEqual([{ flow: 'bronze.a', rows_in: 1 }])
  })

  it('records the counts of a FAIL UPDATE that fired in system.quality_results', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/pay/p1.csv': 'id,amount\n1,10\n2,-5\n3,7\n',
      'pipelines/p/p.sql': `CREATE OR REFRESH STREAMING TABLE silver.pay (
  CONSTRAINT \`amount must be positive\` EXPECT (amount > 0) ON VIOLATION FAIL UPDATE,
  CONSTRAINT has_id EXPECT (id IS NOT NULL)
) AS SELECT * FROM STREAM read_files('landing/pay', format => 'csv', header => true);
`
    })
    const result = await runPipeline(lakehouse, 'p', { clock: fixedClock })
    expect(result.status).toBe('failed')
    expect(result.error).toContain("'amount must be positive'")
    expect(result.error).toContain('"amount":-5')
    expect(await queryRows(lakehouse, `SELECT expectation, action, passed, failed FROM system.quality_results WHERE run_id = '${result.runId}' ORDER BY expectation`)).toEqual([
      { expectation: 'amount must be positive', action: 'fail', passed: 2, failed: 1 },
      { expectation: 'has_id', action: 'warn', passed: 3, failed: 0 }
    ])
    expect(await tableVersion(lakehouse, 'silver.pay')).toBeNull()
  })
})
