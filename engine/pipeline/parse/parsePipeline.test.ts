// Table-driven tests of the pipeline SQL parser over the statement forms real pipelines use.
import { describe, expect, it } from 'vitest'
import type { Dataset, Flow, Query, SourceLocation } from '../model'
import { parsePipelineSql, type ParsedPipelineSql } from './parsePipeline'
import { locationAt as locationAtIn, locationOf as locationOfIn, parseClean as parseCleanIn } from './parseTestSupport'

const FILE = 'pipelines/demo/main.sql'

const locationOf = (text: string, needle: string, occurrence = 1): SourceLocation => locationOfIn(FILE, text, needle, occurrence)
const locationAt = (text: string, offset: number): SourceLocation => locationAtIn(FILE, text, offset)
const parseClean = (sql: string, configuration?: Record<string, string>): ParsedPipelineSql => parseCleanIn(FILE, sql, configuration)




/** Every reference / file source span must cut exactly the expected text out of the query, at the expected file position. */
function expectSources(sql: string, query: Query, refs: [text: string, name: string, streaming: boolean][], files: [text: string, path: string, format: string][] = []): void {
  expect(query.references.map((r) => [query.sql.slice(r.span.start, r.span.end), r.name, r.streaming])).toEqual(refs)
  const queryOffset = sql.indexOf(query.sql)
  for (const r of query.references) expect(r.location).toEqual(locationAt(sql, queryOffset + r.span.start))
  expect(query.fileSources.map((f) => [query.sql.slice(f.span.start, f.span.end), f.path, f.format])).toEqual(files)
  for (const f of query.fileSources) expect(f.location).toEqual(locationAt(sql, queryOffset + f.span.start))
  expect(query.location).toEqual(locationOf(sql, query.sql))
}

interface DatasetCase {
  head: string
  sql: string
  dataset: Partial<Dataset>
  refs?: [string, string, boolean][]
  files?: [string, string, string][]
}

const datasetCases: DatasetCase[] = [
  {
    head: 'CREATE OR REFRESH MATERIALIZED VIEW with GROUP BY ALL and :: casts',
    sql: `CREATE OR REFRESH MATERIALIZED VIEW gold.daily_sales
COMMENT "Sales per day"
AS SELECT date_trunc('DAY', ts)::date AS day, sum(amount) AS total
FROM silver.transactions
GROUP BY ALL`,
    dataset: { name: 'gold.daily_sales', displayName: 'gold.daily_sales', kind: 'materialized_view', streaming: false, comment: 'Sales per day' },
    refs: [['silver.transactions', 'silver.transactions', false]]
  },
  {
    head: 'CREATE OR REFRESH STREAMING TABLE over STREAM read_files with named options',
    sql: `CREATE OR REFRESH STREAMING TABLE bronze.registered_users
COMMENT 'Raw user registrations'
TBLPROPERTIES ('quality' = 'bronze')
AS SELECT *, current_timestamp() AS _load_time, _metadata.file_name AS _source_file
FROM STREAM read_files('landing/registered_users/*.csv', format => 'csv', header => true, inferColumnTypes => 'true', schemaHints => 'user_id BIGINT')`,
    dataset: { name: 'bronze.registered_users', kind: 'streaming_table', streaming: true, comment: 'Raw user registrations', properties: { quality: 'bronze' } },
    refs: [],
    files: [[
      "STREAM read_files('landing/registered_users/*.csv', format => 'csv', header => true, inferColumnTypes => 'true', schemaHints => 'user_id BIGINT')",
      'landing/registered_users/*.csv',
      'csv'
    ]]
  },
  {
    head: 'CREATE STREAMING TABLE (OSS form) with STREAM(x)',
    sql: `CREATE STREAMING TABLE silver_orders AS
SELECT o.*, c.name FROM STREAM(bronze_orders) o LEFT JOIN customers c ON o.customer_id = c.id`,
    dataset: { name: 'silver_orders', kind: 'streaming_table', streaming: true },
    refs: [['STREAM(bronze_orders)', 'bronze_orders', true], ['customers', 'customers', false]]
  },
  {
    head: 'CREATE LIVE TABLE (LIVE-era MV) with live. references and a CTE',
    sql: `CREATE LIVE TABLE user_bins
AS WITH ages AS (SELECT user_id, floor(months_between(current_date(), dob) / 12) AS age FROM live.user_profile)
SELECT a.user_id, CASE WHEN age < 18 THEN 'under 18' ELSE '18+' END AS bin, u.gender
FROM ages a JOIN LIVE.users u ON a.user_id = u.user_id`,
    dataset: { name: 'user_bins', kind: 'materialized_view', streaming: false },
    refs: [['live.user_profile', 'user_profile', false], ['LIVE.users', 'users', false]]
  },
  {
    head: 'CREATE MATERIALIZED VIEW (OSS form) with UNION, scalar subquery and window function',
    sql: `CREATE MATERIALIZED VIEW ranked AS
SELECT id, row_number() OVER (PARTITION BY id ORDER BY ts DESC) AS rn, (SELECT max(ts) FROM events) AS latest FROM a
UNION ALL
SELECT id, 1, NULL FROM b`,
    dataset: { name: 'ranked', kind: 'materialized_view' },
    refs: [['events', 'events', false], ['a', 'a', false], ['b', 'b', false]]
  },
  {
    head: 'CREATE STREAMING LIVE TABLE with cloud_files and a map of options',
    sql: `CREATE STREAMING LIVE TABLE raw_events
COMMENT "Auto Loader ingest"
AS SELECT * FROM cloud_files("/Volumes/main/raw/events", "json", map("cloudFiles.inferColumnTypes", "true", "multiline", "true"))`,
    dataset: { name: 'raw_events', kind: 'streaming_table', streaming: true, comment: 'Auto Loader ingest' },
    refs: [],
    files: [['cloud_files("/Volumes/main/raw/events", "json", map("cloudFiles.inferColumnTypes", "true", "multiline", "true"))', '/Volumes/main/raw/events', 'json']]
  },
  {
    head: 'CREATE TEMPORARY VIEW with COMMENT and a column list',
    sql: `CREATE TEMPORARY VIEW recent_logins (mac_address COMMENT 'device', gym)
COMMENT 'logins of the last day'
AS SELECT mac_address, gym FROM silver.gym_logs WHERE login > current_timestamp() - INTERVAL 1 DAY`,
    dataset: { name: 'recent_logins', kind: 'temporary_view', streaming: false, temporary: true, columns: [{ name: 'mac_address', nullable: true, comment: 'device' }, { name: 'gym', nullable: true }] },
    refs: [['silver.gym_logs', 'silver.gym_logs', false]]
  },
  {
    head: 'CREATE OR REFRESH STREAMING LIVE TABLE with stream(LIVE.x)',
    sql: `CREATE OR REFRESH STREAMING LIVE TABLE heart_rate
(CONSTRAINT valid_bpm EXPECT (heartrate > 0) ON VIOLATION DROP ROW)
AS SELECT device_id, time, heartrate FROM stream(LIVE.bpm_raw)`,
    dataset: { name: 'heart_rate', kind: 'streaming_table', expectations: [{ name: 'valid_bpm', expression: 'heartrate > 0', action: 'drop', location: { file: FILE, line: 2, column: 2 } }] },
    refs: [['stream(LIVE.bpm_raw)', 'bpm_raw', true]]
  },
  {
    head: 'CREATE OR REFRESH TEMPORARY STREAMING TABLE, keyword form STREAM x',
    sql: `CREATE OR REFRESH TEMPORARY STREAMING TABLE staged AS SELECT * FROM STREAM bronze.events`,
    dataset: { name: 'staged', kind: 'streaming_table', temporary: true },
    refs: [['STREAM bronze.events', 'bronze.events', true]]
  },
  {
    head: 'CREATE STREAMING LIVE VIEW',
    sql: `CREATE STREAMING LIVE VIEW changes AS SELECT * FROM STREAM (live.cdc_feed)`,
    dataset: { name: 'changes', kind: 'temporary_view', streaming: true },
    refs: [['STREAM (live.cdc_feed)', 'cdc_feed', true]]
  },
  {
    head: 'CREATE OR REFRESH LIVE TABLE with parenthesised (live.x)',
    sql: `CREATE OR REFRESH LIVE TABLE totals AS SELECT count(*) AS n FROM (live.orders)`,
    dataset: { name: 'totals', kind: 'materialized_view' },
    refs: [['(live.orders)', 'orders', false]]
  },
  {
    head: 'CREATE TEMPORARY STREAMING LIVE TABLE',
    sql: `CREATE TEMPORARY STREAMING LIVE TABLE tmp_st AS SELECT * FROM STREAM(LIVE.src)`,
    dataset: { name: 'tmp_st', kind: 'streaming_table', temporary: true },
    refs: [['STREAM(LIVE.src)', 'src', true]]
  },
  {
    head: 'CREATE OR REFRESH TEMPORARY STREAMING LIVE TABLE',
    sql: `CREATE OR REFRESH TEMPORARY STREAMING LIVE TABLE tmp2 AS SELECT * FROM STREAM(catalog1.sales.orders)`,
    dataset: { name: 'tmp2', kind: 'streaming_table', temporary: true },
    refs: [['STREAM(catalog1.sales.orders)', 'catalog1.sales.orders', true]]
  },
  {
    head: 'CREATE TEMPORARY STREAMING LIVE VIEW',
    sql: `CREATE TEMPORARY STREAMING LIVE VIEW v1 AS SELECT * FROM STREAM(LIVE.src)`,
    dataset: { name: 'v1', kind: 'temporary_view', streaming: true, temporary: true },
    refs: [['STREAM(LIVE.src)', 'src', true]]
  },
  {
    head: 'CREATE OR REPLACE LIVE VIEW',
    sql: `CREATE OR REPLACE LIVE VIEW v2 AS SELECT * FROM live.src WHERE id IN (SELECT id FROM LIVE.allowed)`,
    dataset: { name: 'v2', kind: 'temporary_view', streaming: false },
    refs: [['live.src', 'src', false], ['LIVE.allowed', 'allowed', false]]
  },
  {
    head: 'CREATE OR REPLACE STREAMING TABLE with path-qualified read',
    sql: `CREATE OR REPLACE STREAMING TABLE from_path AS SELECT * FROM STREAM delta.\`/data/events\``,
    dataset: { name: 'from_path', kind: 'streaming_table' },
    refs: []
  },
  {
    head: 'CREATE OR REPLACE MATERIALIZED VIEW with struct expansion and * EXCEPT',
    sql: `CREATE OR REPLACE MATERIALIZED VIEW flat AS SELECT payload.*, * EXCEPT (payload) FROM parquet.\`landing/flat\``,
    dataset: { name: 'flat', kind: 'materialized_view' },
    refs: []
  },
  {
    head: 'CREATE INCREMENTAL LIVE TABLE',
    sql: `CREATE INCREMENTAL LIVE TABLE inc AS SELECT * FROM cloud_files('landing/inc', 'parquet')`,
    dataset: { name: 'inc', kind: 'streaming_table', streaming: true },
    refs: [],
    files: [["cloud_files('landing/inc', 'parquet')", 'landing/inc', 'parquet']]
  },
  {
    head: 'CREATE OR REFRESH PRIVATE MATERIALIZED VIEW',
    sql: `CREATE OR REFRESH PRIVATE MATERIALIZED VIEW helper AS SELECT 1 AS one`,
    dataset: { name: 'helper', kind: 'materialized_view', temporary: true },
    refs: []
  },
  {
    head: 'CREATE and OR REFRESH on separate lines, TEMPORARY before STREAMING, TBLPROPERTIES before COMMENT',
    sql: `CREATE
  OR REFRESH
  TEMPORARY STREAMING TABLE ordered
TBLPROPERTIES ("pipelines.reset.allowed" = false, myCompanyPipeline.quality = 'silver')
COMMENT "ordered"
AS SELECT * FROM STREAM(src)`,
    dataset: { name: 'ordered', kind: 'streaming_table', temporary: true, comment: 'ordered', properties: { 'pipelines.reset.allowed': 'false', 'myCompanyPipeline.quality': 'silver' } },
    refs: [['STREAM(src)', 'src', true]]
  },
  {
    head: 'typed columns, generated column, PRIMARY/FOREIGN KEY, PARTITIONED BY before COMMENT',
    sql: `CREATE OR REFRESH MATERIALIZED VIEW silver.transactions (
  transaction_id STRING NOT NULL COMMENT "business key",
  amount DECIMAL(10,2),
  items ARRAY<STRUCT<sku: STRING, qty: INT>>,
  tx_date DATE GENERATED ALWAYS AS (CAST(transaction_ts AS DATE)),
  transaction_ts TIMESTAMP,
  customer_id BIGINT,
  CONSTRAINT \`valid amount\` EXPECT (amount >= 0),
  CONSTRAINT tx_pk PRIMARY KEY (transaction_id),
  CONSTRAINT tx_customer FOREIGN KEY (customer_id) REFERENCES main.silver.customers (customer_id)
)
PARTITIONED BY (tx_date)
COMMENT 'clean transactions'
AS SELECT * FROM bronze.transactions`,
    dataset: {
      name: 'silver.transactions',
      columns: [
        { name: 'transaction_id', type: 'STRING', nullable: false, comment: 'business key' },
        { name: 'amount', type: 'DECIMAL(10,2)', nullable: true },
        { name: 'items', type: 'ARRAY<STRUCT<sku: STRING, qty: INT>>', nullable: true },
        { name: 'tx_date', type: 'DATE', nullable: true, generatedAs: 'CAST(transaction_ts AS DATE)' },
        { name: 'transaction_ts', type: 'TIMESTAMP', nullable: true },
        { name: 'customer_id', type: 'BIGINT', nullable: true }
      ],
      expectations: [{ name: 'valid amount', expression: 'amount >= 0', action: 'warn', location: { file: FILE, line: 8, column: 3 } }],
      keyConstraints: ['CONSTRAINT tx_pk PRIMARY KEY (transaction_id)', 'CONSTRAINT tx_customer FOREIGN KEY (customer_id) REFERENCES main.silver.customers (customer_id)'],
      partitionColumns: ['tx_date'],
      comment: 'clean transactions'
    },
    refs: [['bronze.transactions', 'bronze.transactions', false]]
  },
  {
    head: 'all three expectation actions, backticked names with spaces, CLUSTER BY',
    sql: `CREATE OR REFRESH STREAMING TABLE users_clean (
  CONSTRAINT \`user id present\` EXPECT (user_id IS NOT NULL) ON VIOLATION FAIL UPDATE,
  CONSTRAINT valid_mac EXPECT (mac_address RLIKE '^([0-9A-F]{2}:){5}[0-9A-F]{2}$') ON VIOLATION DROP ROW,
  CONSTRAINT recent EXPECT (registration_timestamp > '2020-01-01')
) CLUSTER BY (user_id)
AS SELECT * FROM STREAM(LIVE.users_raw)`,
    dataset: {
      expectations: [
        { name: 'user id present', expression: 'user_id IS NOT NULL', action: 'fail', location: { file: FILE, line: 2, column: 3 } },
        { name: 'valid_mac', expression: "mac_address RLIKE '^([0-9A-F]{2}:){5}[0-9A-F]{2}$'", action: 'drop', location: { file: FILE, line: 3, column: 3 } },
        { name: 'recent', expression: "registration_timestamp > '2020-01-01'", action: 'warn', location: { file: FILE, line: 4, column: 3 } }
      ],
      clusterBy: ['user_id']
    },
    refs: [['STREAM(LIVE.users_raw)', 'users_raw', true]]
  },
  {
    head: 'JSON paths with bracketed keys, :: casts and input_file_name()',
    sql: `CREATE STREAMING TABLE parsed AS
SELECT value:user.id::bigint AS user_id, value:['first name']::string AS first_name, input_file_name() AS f
FROM STREAM(multiplex) WHERE topic = 'user_info'`,
    dataset: { name: 'parsed' },
    refs: [['STREAM(multiplex)', 'multiplex', true]]
  },
  {
    head: 'xml via cloud_files with rowTag, EXTRACT ... FROM is not a reference',
    sql: `CREATE STREAMING LIVE TABLE books AS
SELECT *, EXTRACT(YEAR FROM published) AS y, TRIM(BOTH ' ' FROM title) AS t FROM cloud_files('landing/books', 'xml', map('rowTag', 'book'))`,
    dataset: { name: 'books' },
    refs: [],
    files: [["cloud_files('landing/books', 'xml', map('rowTag', 'book'))", 'landing/books', 'xml']]
  },
  {
    head: 'comma-separated FROM list and explode/sequence',
    sql: `CREATE MATERIALIZED VIEW pairs AS SELECT explode(sequence(1, 3)) AS n, a.x, b.y, c.z FROM live.a a, silver.b AS b JOIN c ON coalesce(b.k, 0) = c.k, d
WHERE a.x IN (1, 2) GROUP BY 1, 2 ORDER BY 1, 2`,
    dataset: { name: 'pairs' },
    refs: [['live.a', 'a', false], ['silver.b', 'silver.b', false], ['c', 'c', false], ['d', 'd', false]]
  },
  {
    head: 'inline VALUES and table-valued functions are not references',
    sql: `CREATE MATERIALIZED VIEW lookup AS SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, label) JOIN range(3) r ON r.id = t.id JOIN (VALUES (1)) v(x) ON v.x = t.id JOIN live.codes c ON c.id = t.id`,
    dataset: { name: 'lookup' },
    refs: [['live.codes', 'codes', false]]
  }
]

describe('parsePipelineSql: dataset statements', () => {
  it.each(datasetCases)('$head', ({ sql, dataset, refs, files }) => {
    const result = parseClean(sql)
    expect(result.datasets).toHaveLength(1)
    const d = result.datasets[0]!
    expect(d).toMatchObject(dataset)
    if (refs) expectSources(sql, d.query!, refs, files ?? [])
    // a streaming table's own query is its append flow
    const ownFlows = result.flows.filter((f) => f.name === d.name)
    expect(ownFlows.length).toBe(d.kind === 'streaming_table' && d.query ? 1 : 0)
  })

  it('keeps options of read_files and cloud_files with keys as written', () => {
    const sql = `CREATE STREAMING TABLE a AS SELECT * FROM STREAM read_files('landing/a', format => 'JSON', multiLine => true, maxFilesPerTrigger => 10);
CREATE STREAMING LIVE TABLE b AS SELECT * FROM cloud_files('landing/b', 'csv', map('header', 'true', 'cloudFiles.schemaLocation', '/tmp/s'))`
    const [a, b] = parseClean(sql).datasets
    expect(a!.query!.fileSources[0]).toMatchObject({ function: 'read_files', format: 'json', streaming: true, options: { multiLine: 'true', maxFilesPerTrigger: '10' } })
    expect(b!.query!.fileSources[0]).toMatchObject({ function: 'cloud_files', format: 'csv', streaming: true, options: { header: 'true', 'cloudFiles.schemaLocation': '/tmp/s' } })
  })

  it('records path-qualified reads with their spans', () => {
    const sql = `CREATE MATERIALIZED VIEW p AS SELECT * FROM json.\`landing/raw.json\` j JOIN STREAM delta.\`/data/events\``
    const q = parseClean(sql).datasets[0]!.query!
    expect(q.pathReads?.map((r) => [q.sql.slice(r.span.start, r.span.end), r.format, r.path, r.streaming])).toEqual([
      ['json.`landing/raw.json`', 'json', 'landing/raw.json', false],
      ['STREAM delta.`/data/events`', 'delta', '/data/events', true]
    ])
  })
})

interface FlowCase {
  head: string
  sql: string
  flows: Partial<Flow>[]
}

const flowCases: FlowCase[] = [
  {
    head: 'standalone APPLY CHANGES INTO after a query-less streaming table, SCD1 by default',
    sql: `CREATE OR REFRESH STREAMING TABLE silver.customers;
APPLY CHANGES INTO LIVE.customers
FROM stream(LIVE.customers_cdc)
KEYS (customer_id)
APPLY AS DELETE WHEN operation = "DELETE"
SEQUENCE BY sequence_num
COLUMNS * EXCEPT (operation, sequence_num, _rescued_data)`,
    flows: [{
      name: 'customers',
      target: 'silver.customers',
      kind: 'cdc',
      once: false,
      location: { file: FILE, line: 2, column: 1 },
      cdc: {
        source: { name: 'customers_cdc', written: 'LIVE.customers_cdc', streaming: true, span: expect.any(Object), location: { file: FILE, line: 3, column: 6 } },
        keys: ['customer_id'],
        applyAsDeleteWhen: 'operation = "DELETE"',
        sequenceBy: 'sequence_num',
        columns: { except: ['operation', 'sequence_num', '_rescued_data'] },
        scdType: 1,
        ignoreNullUpdates: false
      }
    }]
  },
  {
    head: 'CREATE FLOW ... AS AUTO CDC INTO with SCD 2, TRACK HISTORY and a struct sequence',
    sql: `CREATE OR REFRESH STREAMING TABLE user_profile;
CREATE FLOW user_profile_cdc AS AUTO CDC INTO user_profile
FROM STREAM(user_info_changes)
KEYS (user_id, region)
IGNORE NULL UPDATES
APPLY AS DELETE WHEN update_type = 'delete'
APPLY AS TRUNCATE WHEN update_type = 'truncate'
SEQUENCE BY struct(updated, seq)
COLUMNS user_id, region, dob, first_name
STORED AS SCD TYPE 2
TRACK HISTORY ON * EXCEPT (first_name)`,
    flows: [{
      name: 'user_profile_cdc',
      target: 'user_profile',
      kind: 'cdc',
      location: { file: FILE, line: 2, column: 13 },
      cdc: {
        source: { name: 'user_info_changes', written: 'user_info_changes', streaming: true, span: expect.any(Object), location: { file: FILE, line: 3, column: 6 } },
        keys: ['user_id', 'region'],
        ignoreNullUpdates: true,
        applyAsDeleteWhen: "update_type = 'delete'",
        applyAsTruncateWhen: "update_type = 'truncate'",
        sequenceBy: 'struct(updated, seq)',
        columns: { include: ['user_id', 'region', 'dob', 'first_name'] },
        scdType: 2,
        trackHistory: { except: ['first_name'] }
      }
    }]
  },
  {
    head: 'standalone AUTO CDC INTO with explicit SCD TYPE 1 and a batch source',
    sql: `CREATE STREAMING TABLE products;
AUTO CDC INTO products FROM bronze.products_feed KEYS (sku) SEQUENCE BY (updated_at) STORED AS SCD TYPE 1`,
    flows: [{ name: 'products', target: 'products', kind: 'cdc', cdc: expect.objectContaining({ scdType: 1, sequenceBy: '(updated_at)', source: expect.objectContaining({ name: 'bronze.products_feed', streaming: false }) }) }]
  },
  {
    head: 'CREATE FLOW ... AS INSERT INTO and INSERT INTO ONCE (backfill)',
    sql: `CREATE OR REFRESH STREAMING TABLE users;
CREATE FLOW users_flow AS INSERT INTO users BY NAME SELECT * FROM STREAM(raw_data.users);
CREATE FLOW backfill_users COMMENT 'one-off' AS INSERT INTO ONCE users BY NAME SELECT * FROM user_backfill_table`,
    flows: [
      { name: 'users_flow', target: 'users', kind: 'append', once: false },
      { name: 'backfill_users', target: 'users', kind: 'append', once: true }
    ]
  },
  {
    head: 'the newer AUTO CDC ONCE INTO / INSERT ONCE INTO spellings, legacy APPLY CHANGES ... WHERE, STREAM x as CDC source',
    sql: `CREATE STREAMING TABLE t;
CREATE FLOW snapshot_load AS AUTO CDC ONCE INTO t FROM bronze.snapshot KEYS (id) SEQUENCE BY version;
CREATE FLOW backfill AS INSERT ONCE INTO t BY NAME SELECT * FROM history;
APPLY CHANGES INTO t FROM STREAM bronze.changes KEYS (id) WHERE region = 'EU' SEQUENCE BY ts IGNORE NULL UPDATES`,
    flows: [
      { name: 'snapshot_load', target: 't', kind: 'cdc', once: true, cdc: expect.objectContaining({ sequenceBy: 'version' }) },
      { name: 'backfill', target: 't', kind: 'append', once: true },
      { name: 't', target: 't', kind: 'cdc', once: false, cdc: expect.objectContaining({ where: "region = 'EU'", sequenceBy: 'ts', ignoreNullUpdates: true, source: expect.objectContaining({ name: 'bronze.changes', streaming: true }) }) }
    ]
  },
  {
    head: 'two standalone CDC statements into one target get distinct flow names',
    sql: `CREATE STREAMING TABLE t;
APPLY CHANGES INTO t FROM STREAM(a) KEYS (id) SEQUENCE BY ts;
APPLY CHANGES INTO t FROM STREAM(b) KEYS (id) SEQUENCE BY ts`,
    flows: [{ name: 't', target: 't' }, { name: 't_2', target: 't' }]
  }
]

describe('parsePipelineSql: flows', () => {
  it.each(flowCases)('$head', ({ sql, flows }) => {
    const result = parseClean(sql)
    expect(result.flows).toHaveLength(flows.length)
    result.flows.forEach((f, k) => expect(f).toMatchObject(flows[k]!))
    for (const f of result.flows) {
      if (f.cdc) {
        // the span covers the whole source (STREAM wrapping included) starting at its location
        const { span, location, written, streaming } = f.cdc.source
        const lineStart = sql.split('\n').slice(0, location.line - 1).join('\n').length + (location.line > 1 ? 1 : 0)
        const text = sql.slice(lineStart + location.column - 1, lineStart + location.column - 1 + span.end - span.start)
        expect(text.endsWith(written) || text.endsWith(`${written})`)).toBe(true)
        expect(/^stream/i.test(text)).toBe(streaming)
      }
      if (f.query) expectSources(sql, f.query, f.query.references.map((r) => [f.query!.sql.slice(r.span.start, r.span.end), r.name, r.streaming]))
    }
  })

  it('the INSERT INTO flow query keeps its references with exact spans', () => {
    const sql = `CREATE STREAMING TABLE users;\nCREATE FLOW f AS INSERT INTO users BY NAME SELECT * FROM STREAM(raw_data.users)`
    const flow = parseClean(sql).flows[0]!
    expect(flow.query!.sql).toBe('SELECT * FROM STREAM(raw_data.users)')
    expectSources(sql, flow.query!, [['STREAM(raw_data.users)', 'raw_data.users', true]])
  })
})
