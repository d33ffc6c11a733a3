// Parser diagnostics: placeholders and SET, features flagged as unsupported, ignored clauses and parse errors.
import { describe, expect, it } from 'vitest'
import type { SourceLocation } from '../model'
import { parsePipelineSql, type ParsedPipelineSql } from './parsePipeline'
import { locationOf as locationOfIn, parseClean as parseCleanIn } from './parseTestSupport'

const FILE = 'pipelines/demo/checks.sql'

const locationOf = (text: string, needle: string, occurrence = 1): SourceLocation => locationOfIn(FILE, text, needle, occurrence)
const parseClean = (sql: string, configuration?: Record<string, string>): ParsedPipelineSql => parseCleanIn(FILE, sql, configuration)



describe('parsePipelineSql: configuration, unsupported features and errors', () => {
  it('substitutes ${...} from configuration and SET, keeping file locations of the original text', () => {
    const sql = `SET source = landing;
CREATE STREAMING TABLE \${schema}.users AS SELECT * FROM STREAM read_files('\${source}/users', format => 'csv');
-- \${not_configured} in a comment is ignored
CREATE MATERIALIZED VIEW summary AS SELECT * FROM \${schema}.users`
    const result = parseClean(sql, { schema: 'bronze' })
    expect(result.configuration).toEqual({ schema: 'bronze', source: 'landing' })
    const [users, summary] = result.datasets
    expect(users!.name).toBe('bronze.users')
    expect(users!.query!.fileSources[0]!.path).toBe('landing/users')
    // the reference sits after a substituted placeholder on the same line: its location is in the original text
    const ref = summary!.query!.references[0]!
    expect(ref.name).toBe('bronze.users')
    expect(ref.location).toEqual(locationOf(sql, '${schema}.users', 2))
    expect(summary!.query!.sql.slice(ref.span.start, ref.span.end)).toBe('bronze.users')
  })

  it('reports an unresolved placeholder at its location and still parses the other statements', () => {
    const sql = `CREATE STREAMING TABLE a AS SELECT * FROM STREAM read_files('\${missing}/a', format => 'csv');\nCREATE MATERIALIZED VIEW b AS SELECT * FROM a`
    const result = parsePipelineSql(sql, FILE)
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'UNRESOLVED_PLACEHOLDER', location: locationOf(sql, '${missing}') })
    ])
    expect(result.datasets.map((d) => d.name)).toEqual(['a', 'b'])
  })

  it('flags what cannot run locally without failing the parse', () => {
    const sql = `CREATE STREAMING TABLE kafka_raw AS
SELECT * FROM STREAM read_kafka(bootstrapServers => secret('kafka', 'servers'), subscribe => 'events');
CREATE MATERIALIZED VIEW classified AS
SELECT ai_classify(text, array('a', 'b')) AS label, main.models.churn_score(features) AS score FROM live.reviews WHERE is_member('admins');
CREATE SINK my_sink OPTIONS (topic = 'x');
CREATE MATERIALIZED VIEW masked (ssn STRING MASK main.policies.ssn_mask) WITH ROW FILTER main.policies.region_filter ON (region) AS SELECT * FROM people`
    const result = parseClean(sql)
    expect(result.unsupported.map((u) => [u.feature, u.location])).toEqual([
      ['kafka', locationOf(sql, 'read_kafka')],
      ['secret', locationOf(sql, 'secret')],
      ['ai_function', locationOf(sql, 'ai_classify')],
      ['catalog_function', locationOf(sql, 'main.models.churn_score')],
      ['is_member', locationOf(sql, 'is_member')],
      ['sink', locationOf(sql, 'my_sink')],
      ['column_mask', locationOf(sql, 'MASK')],
      ['row_filter', locationOf(sql, 'WITH ROW FILTER')]
    ])
    expect(result.datasets.map((d) => d.name)).toEqual(['kafka_raw', 'classified', 'masked'])
  })

  it('accepts SCHEDULE and REFRESH EVERY with a warning', () => {
    const sql = `CREATE MATERIALIZED VIEW hourly SCHEDULE REFRESH EVERY 1 HOUR AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW cron_mv SCHEDULE CRON '0 0 * * * ?' AT TIME ZONE 'UTC' COMMENT 'c' AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW every_mv REFRESH EVERY 2 DAYS AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW triggered TRIGGER ON UPDATE AT MOST EVERY INTERVAL 5 MINUTES AS SELECT 1 AS x`
    const result = parseClean(sql)
    expect(result.datasets.map((d) => d.name)).toEqual(['hourly', 'cron_mv', 'every_mv', 'triggered'])
    expect(result.datasets[1]!.comment).toBe('c')
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.location])).toEqual([
      ['warning', 'IGNORED_CLAUSE', locationOf(sql, 'SCHEDULE REFRESH')],
      ['warning', 'IGNORED_CLAUSE', locationOf(sql, 'SCHEDULE CRON')],
      ['warning', 'IGNORED_CLAUSE', locationOf(sql, 'REFRESH EVERY 2')],
      ['warning', 'IGNORED_CLAUSE', locationOf(sql, 'TRIGGER ON UPDATE')]
    ])
  })

  it.each([
    ['CREATE TABLE plain AS SELECT 1', 'TABLE plain', /STREAMING TABLE, LIVE TABLE, MATERIALIZED VIEW/],
    ['CREATE MATERIALIZED VIEW no_query', '<end>', /expected AS followed by the query of no_query.*found end of statement/],
    ['CREATE STREAMING TABLE t (CONSTRAINT c EXPECT (x > 0) ON VIOLATION IGNORE) AS SELECT 1', 'IGNORE', /expected DROP ROW or FAIL UPDATE/],
    ['APPLY CHANGES INTO t FROM STREAM(s) SEQUENCE BY ts', '<end>', /expected KEYS/],
    ['APPLY CHANGES INTO t FROM STREAM(s) KEYS (id) SEQUENCE BY ts STORED AS SCD TYPE 3', '3', /expected 1 or 2/],
    ['CREATE FLOW f AS DELETE FROM t', 'DELETE', /expected AUTO CDC INTO or INSERT INTO/],
    ['SELECT 1', 'SELECT', /expected CREATE, APPLY CHANGES INTO, AUTO CDC INTO or SET/],
    ['CREATE STREAMING TABLE t COMMENT AS SELECT 1', 'AS SELECT', /expected the table comment/],
    ['CREATE MATERIALIZED VIEW m (a INT,) AS SELECT 1', ') AS', /expected a column or constraint|expected a column name/]
  ])('reports %s as a parse error at the offending token', (bad, at, message) => {
    const sql = `CREATE MATERIALIZED VIEW before AS SELECT 1 AS x;\n${bad};\nCREATE MATERIALIZED VIEW after AS SELECT 2 AS y`
    const result = parsePipelineSql(sql, FILE)
    expect(result.diagnostics).toHaveLength(1)
    const d = result.diagnostics[0]!
    expect([d.severity, d.code]).toEqual(['error', 'PARSE_ERROR'])
    expect(d.message).toMatch(message)
    const offset = sql.indexOf(`\n${bad}`) + 1 + (at === '<end>' ? bad.length : bad.indexOf(at))
    expect(d.location).toEqual({ file: FILE, line: 2, column: offset - sql.indexOf('\n') })
    expect(result.datasets.map((x) => x.name)).toEqual(['before', 'after'])
  })

  it('reports an unterminated string and keeps the statements before it', () => {
    const sql = `CREATE MATERIALIZED VIEW ok AS SELECT 1 AS x;\nCREATE MATERIALIZED VIEW broken AS SELECT 'oops FROM t`
    const result = parsePipelineSql(sql, FILE)
    expect(result.datasets.map((d) => d.name)).toEqual(['ok'])
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', message: 'unterminated string', location: locationOf(sql, "'oops") })])
  })
})
