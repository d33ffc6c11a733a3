import { afterAll, describe, expect, it } from 'vitest'
import { runPipeline } from './runner'
import { createTestLakehouse, FIXED_NOW, fixedClock, queryRows, removeTestLakehouses, tableVersion, writeFiles } from './run/testPipelineLakehouse'

afterAll(removeTestLakehouses)

describe('runPipeline: flow kinds', () => {
  it('applies CDC changes incrementally (SCD1 with deletes and out-of-order sequences)', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/customers/c1.csv': 'id,name,op,seq\n1,ann,U,1\n2,bob,U,1\n1,anne,U,3\n1,ann-old,U,2\n',
      'pipelines/crm/crm.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.customer_changes
AS SELECT id, name, op, seq FROM STREAM read_files('landing/customers', format => 'csv', header => true, schema => 'id INT, name STRING, op STRING, seq INT');

CREATE OR REFRESH STREAMING TABLE silver.customers;

APPLY CHANGES INTO silver.customers FROM STREAM(bronze.customer_changes)
KEYS (id) APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op, seq) STORED AS SCD TYPE 1;
`
    })
    const first = await runPipeline(lakehouse, 'crm', { clock: fixedClock })
    expect(first.error).toBeUndefined()
    expect(await queryRows(lakehouse, 'SELECT id, name FROM silver.customers ORDER BY id')).toEqual([{ id: 1, name: 'anne' }, { id: 2, name: 'bob' }])
    const version = await tableVersion(lakehouse, 'silver.customers')
    const again = await runPipeline(lakehouse, 'crm', { clock: fixedClock })
    expect(again.flows.map((f) => f.status)).toEqual(['no_new_data', 'no_new_data'])
    expect(await tableVersion(lakehouse, 'silver.customers')).toBe(version)

    await writeFiles(lakehouse, { 'landing/customers/c2.csv': 'id,name,op,seq\n2,bob,D,2\n3,cat,U,1\n' })
    const third = await runPipeline(lakehouse, 'crm', { clock: fixedClock })
    expect(third.flows.map((f) => [f.kind, f.status, f.rowsIn])).toEqual([['streaming_table', 'completed', 2], ['cdc', 'completed', 2]])
    expect(await queryRows(lakehouse, 'SELECT id, name FROM silver.customers ORDER BY id')).toEqual([{ id: 1, name: 'anne' }, { id: 3, name: 'cat' }])
  })

  it('inlines temporary views, runs CREATE FLOW append flows into one table, and reads parquet and multi-line JSON', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/eu/orders.json': '[\n {"order_id": 1, "amount": 10.5},\n {"order_id": 2, "amount": 4}\n]\n',
      'pipelines/sales/sales.sql': `
CREATE TEMPORARY VIEW eu_raw AS SELECT order_id, amount, 'eu' AS region FROM STREAM read_files('landing/eu', format => 'json', multiLine => true);
CREATE OR REFRESH STREAMING TABLE bronze.orders;
CREATE FLOW eu_orders AS INSERT INTO bronze.orders BY NAME SELECT * FROM STREAM(LIVE.eu_raw);
CREATE FLOW us_orders AS INSERT INTO bronze.orders BY NAME SELECT order_id, amount, 'us' AS region FROM STREAM read_files('landing/us', format => 'parquet');
CREATE OR REFRESH MATERIALIZED VIEW gold.sales_by_region AS SELECT region, count(*) AS orders, sum(amount) AS amount FROM bronze.orders GROUP BY region;
`
    })
    await writeFiles(lakehouse, { 'landing/us/.keep': '' })
    const { DuckdbSession } = await import('../sql/duckdbSession')
    const session = await DuckdbSession.create({ threads: 1 })
    await session.exec(`COPY (SELECT 7 AS order_id, 2.5::DOUBLE AS amount) TO '${lakehouse.root}/landing/us/part-0.parquet' (FORMAT parquet)`)
    session.close()
    const result = await runPipeline(lakehouse, 'sales', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(result.flows.map((f) => [f.flow, f.status, f.rowsIn])).toEqual([['eu_orders', 'completed', 2], ['us_orders', 'completed', 1], ['gold.sales_by_region', 'completed', 2]])
    expect(await queryRows(lakehouse, 'SELECT region, orders, CAST(amount AS DOUBLE) AS amount FROM gold.sales_by_region ORDER BY region')).toEqual([
      { region: 'eu', orders: 2, amount: 14.5 }, { region: 'us', orders: 1, amount: 2.5 }
    ])
    expect(await queryRows(lakehouse, "SELECT DISTINCT _source_file FROM bronze.orders WHERE region = 'us'")).toEqual([{ _source_file: 'landing/us/part-0.parquet' }])
    const again = await runPipeline(lakehouse, 'sales', { clock: fixedClock })
    expect(again.flows.map((f) => f.status)).toEqual(['no_new_data', 'no_new_data', 'unchanged'])
  })

  it('fails a stream whose source table had data removed, unless skipChangeCommits is set', async () => {
    const lakehouse = await createTestLakehouse({
      'pipelines/mirror/mirror.sql': 'CREATE OR REFRESH STREAMING TABLE silver.copy AS SELECT * FROM STREAM(bronze.src);\n'
    })
    const { SqlEngine } = await import('../sql/queryRunner')
    const sql = await SqlEngine.open(lakehouse)
    await sql.execute('CREATE TABLE bronze.src (id INT) USING DELTA; INSERT INTO bronze.src VALUES (1), (2)')
    expect((await runPipeline(lakehouse, 'mirror', { clock: fixedClock })).status).toBe('completed')
    await sql.execute('DELETE FROM bronze.src WHERE id = 1; INSERT INTO bronze.src VALUES (3)')
    sql.close()
    const failed = await runPipeline(lakehouse, 'mirror', { clock: fixedClock })
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/DELTA_SOURCE_TABLE_IGNORE_CHANGES.*bronze\.src at version 2/)
    await writeFiles(lakehouse, { 'pipelines/mirror/pipeline.json': JSON.stringify({ configuration: { skipChangeCommits: 'true' } }) })
    const skipped = await runPipeline(lakehouse, 'mirror', { clock: fixedClock })
    expect(skipped.error).toBeUndefined()
    expect(await queryRows(lakehouse, 'SELECT id FROM silver.copy ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
  })

  it('advances watermark control after the commit and logs reconciliation per pipeline.json', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/tx/t1.csv': 'transaction_id,amount,transaction_ts\n1,10.00,2024-03-01 10:00:00\n2,5.50,2024-03-02 11:00:00\n2,5.50,2024-03-02 11:00:00\n',
      'pipelines/retail/pipeline.json': JSON.stringify({
        watermarkControl: [{ sourceSystem: 'retail_pos', table: 'bronze.transactions', watermarkColumn: 'transaction_ts' }],
        reconciliation: [{ source: 'bronze.transactions', target: 'silver.transactions', keyColumns: ['transaction_id'], sumColumns: ['amount'], warnThreshold: 0, failThreshold: 0.5 }]
      }),
      'pipelines/retail/retail.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.transactions
AS SELECT * FROM STREAM read_files('landing/tx', format => 'csv', header => true, schema => 'transaction_id INT, amount DECIMAL(10,2), transaction_ts TIMESTAMP');
CREATE OR REFRESH MATERIALIZED VIEW silver.transactions AS SELECT DISTINCT transaction_id, amount, transaction_ts FROM bronze.transactions;
`
    })
    const result = await runPipeline(lakehouse, 'retail', { clock: fixedClock })
    expect(result.error).toBeUndefined()
    expect(await queryRows(lakehouse, "SELECT table_name, status, epoch_ms(last_processed_timestamp) AS ms FROM system.watermark_control WHERE source_system = 'retail_pos'")).toEqual([
      { table_name: 'bronze.transactions', status: 'SUCCESS', ms: Date.UTC(2024, 2, 2, 11) }
    ])
    expect(result.reconciliations).toEqual([{ source: 'bronze.transactions', target: 'silver.transactions', status: 'WARN', remarks: expect.stringMatching(/count/) }])
    const log = await queryRows(lakehouse, 'SELECT batch_id, source_count, target_count, status FROM system.reconciliation_log')
    expect(log).toEqual([{ batch_id: result.runId, source_count: 3, target_count: 2, status: 'WARN' }])

    // An idle run touches neither control table; a run with new data advances the watermark after its commit.
    const controlVersions = [await tableVersion(lakehouse, 'system.watermark_control'), await tableVersion(lakehouse, 'system.reconciliation_log')]
    expect((await runPipeline(lakehouse, 'retail', { clock: fixedClock })).flows.map((f) => f.status)).toEqual(['no_new_data', 'unchanged'])
    expect([await tableVersion(lakehouse, 'system.watermark_control'), await tableVersion(lakehouse, 'system.reconciliation_log')]).toEqual(controlVersions)
    await writeFiles(lakehouse, { 'landing/tx/t2.csv': 'transaction_id,amount,transaction_ts\n3,1.00,2024-03-05 08:30:00\n' })
    const later = await runPipeline(lakehouse, 'retail', { clock: { now: () => FIXED_NOW + 3_600_000 } })
    expect(later.reconciliations?.map((r) => r.status)).toEqual(['WARN'])
    expect(await queryRows(lakehouse, "SELECT status, epoch_ms(last_processed_timestamp) AS ms, epoch_ms(updated_at) AS updated FROM system.watermark_control")).toEqual([
      { status: 'SUCCESS', ms: Date.UTC(2024, 2, 5, 8, 30), updated: FIXED_NOW + 3_600_000 }
    ])
  })
})
