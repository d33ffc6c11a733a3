// A pipeline run before any input landed: declared-schema streaming tables are created empty, the rest wait with a reason, nothing fails.
import { afterAll, describe, expect, it } from 'vitest'
import { runPipeline } from './runner'
import { createTestLakehouse, fixedClock, queryRows, removeTestLakehouses, tableVersion, writeFiles } from './run/testPipelineLakehouse'

afterAll(removeTestLakehouses)

const PIPELINE = {
  'pipelines/fresh/pipeline.json': JSON.stringify({ target: 'silver' }),
  'pipelines/fresh/01.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.users
AS SELECT * FROM STREAM read_files('landing/users', format => 'csv', header => true, schema => 'id INT, name STRING');

CREATE OR REFRESH STREAMING TABLE bronze.events
AS SELECT * FROM STREAM read_files('landing/events', format => 'json');

CREATE OR REFRESH STREAMING TABLE silver.users AS SELECT id, upper(name) AS name FROM STREAM(bronze.users);
CREATE OR REFRESH STREAMING TABLE silver.events AS SELECT * FROM STREAM(bronze.events);
CREATE OR REFRESH STREAMING TABLE silver.remote AS SELECT * FROM STREAM(other.feed);

CREATE OR REFRESH MATERIALIZED VIEW gold.user_count AS SELECT count(*) AS n FROM silver.users;
CREATE OR REFRESH MATERIALIZED VIEW gold.event_count AS SELECT count(*) AS n FROM silver.events;
`
}

describe('a pipeline run on an empty lakehouse', () => {
  it('creates what it can empty, reports the rest as waiting with a reason, and picks everything up once input lands', async () => {
    const lakehouse = await createTestLakehouse(PIPELINE)
    const first = await runPipeline(lakehouse, 'fresh', { clock: fixedClock })
    expect(first.status, first.error).toBe('completed')
    expect(first.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'UNKNOWN_TABLE', message: expect.stringContaining('other.feed') }))
    const byTarget = Object.fromEntries(first.flows.map((f) => [f.target, { status: f.status, reason: f.reason ?? '' }]))
    expect(byTarget['bronze.users']!.status).toBe('completed')
    expect(byTarget['silver.users']!.status).toBe('completed')
    expect(byTarget['gold.user_count']!.status).toBe('completed')
    expect(byTarget['bronze.events']).toEqual({ status: 'no_new_data', reason: expect.stringContaining("no files yet in landing/events; bronze.events is created by its first batch") })
    expect(byTarget['silver.events']).toEqual({ status: 'no_new_data', reason: expect.stringContaining('bronze.events does not exist yet') })
    expect(byTarget['silver.remote']).toEqual({ status: 'no_new_data', reason: expect.stringContaining('other.feed does not exist yet') })
    expect(byTarget['gold.event_count']).toEqual({ status: 'skipped', reason: expect.stringContaining('silver.events does not exist yet') })
    // The declared-schema chain exists, empty, with the columns its first real batch will have.
    expect(await queryRows(lakehouse, 'SELECT * FROM silver.users')).toEqual([])
    expect((await queryRows(lakehouse, 'DESCRIBE bronze.users')).map((r) => r.col_name)).toEqual(['id', 'name', '_rescued_data', '_source_file', '_load_time', '_batch_id'])
    expect(await queryRows(lakehouse, 'SELECT n FROM gold.user_count')).toEqual([{ n: 0 }])
    expect(await tableVersion(lakehouse, 'bronze.events')).toBeNull()

    // A second run without input commits nothing new.
    const idle = await runPipeline(lakehouse, 'fresh', { clock: fixedClock })
    expect(idle.flows.filter((f) => f.version !== null).map((f) => f.target)).toEqual([])

    await writeFiles(lakehouse, { 'landing/users/u.csv': 'id,name\n1,ann\n2,bob\n', 'landing/events/e.json': '{"kind":"login"}\n{"kind":"logout"}\n{"kind":"login"}\n' })
    const second = await runPipeline(lakehouse, 'fresh', { clock: fixedClock })
    expect(second.status, second.error).toBe('completed')
    expect(second.flows.filter((f) => f.target !== 'silver.remote').map((f) => [f.target, f.status])).toEqual(second.flows.filter((f) => f.target !== 'silver.remote').map((f) => [f.target, 'completed']))
    expect(await queryRows(lakehouse, 'SELECT id, name FROM silver.users ORDER BY id')).toEqual([{ id: 1, name: 'ANN' }, { id: 2, name: 'BOB' }])
    expect(await queryRows(lakehouse, 'SELECT n FROM gold.event_count')).toEqual([{ n: 3 }])
  }, 60_000)
})
