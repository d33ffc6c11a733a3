// Dependency graph tests: order, name resolution, cycles with edge locations, unknown/duplicate/missing-flow errors.
import { describe, expect, it } from 'vitest'
import { buildGraph } from './graph'
import type { PipelineDefinition } from './model'
import { parsePipelineSql } from './parse/parsePipeline'

function definitionOf(files: Record<string, string>, target?: string): PipelineDefinition {
  const def: PipelineDefinition = { name: 'demo', files: Object.keys(files), datasets: [], flows: [], unsupported: [], target }
  for (const [file, sql] of Object.entries(files)) {
    const parsed = parsePipelineSql(sql, file, { target })
    expect(parsed.diagnostics).toEqual([])
    def.datasets.push(...parsed.datasets)
    def.flows.push(...parsed.flows)
  }
  return def
}

describe('buildGraph', () => {
  it('orders datasets dependencies first across files, resolving x, LIVE.x and schema.x to the same dataset', () => {
    const def = definitionOf(
      {
        'gold.sql': `CREATE MATERIALIZED VIEW gold.summary AS SELECT * FROM live.users u JOIN silver.gym_logs g ON u.mac = g.mac`,
        'silver.sql': `CREATE STREAMING TABLE silver.users AS SELECT * FROM STREAM(bronze.users);
CREATE STREAMING TABLE gym_logs AS SELECT * FROM STREAM(LIVE.raw_logs)`,
        'bronze.sql': `CREATE STREAMING TABLE bronze.users AS SELECT * FROM STREAM read_files('landing/users', format => 'csv');
CREATE STREAMING TABLE bronze.raw_logs AS SELECT * FROM STREAM read_files('landing/logs', format => 'csv')`
      },
      'silver'
    )
    const { graph, diagnostics } = buildGraph(def)
    expect(diagnostics).toEqual([])
    expect(graph.dependsOn.get('gold.summary')).toEqual(['silver.users', 'gym_logs'])
    expect(graph.dependsOn.get('silver.users')).toEqual(['bronze.users'])
    expect(graph.dependsOn.get('gym_logs')).toEqual(['bronze.raw_logs'])
    expect(graph.order).toEqual(['bronze.users', 'silver.users', 'bronze.raw_logs', 'gym_logs', 'gold.summary'])
    for (const [name, deps] of graph.dependsOn) for (const dep of deps) expect(graph.order.indexOf(dep)).toBeLessThan(graph.order.indexOf(name))
    expect(graph.external).toEqual([])
  })

  it('adds edges from flows: CDC sources and INSERT INTO queries count for their target', () => {
    const def = definitionOf({
      'a.sql': `CREATE STREAMING TABLE customers;
APPLY CHANGES INTO live.customers FROM STREAM(live.customers_cdc) KEYS (id) SEQUENCE BY ts;
CREATE STREAMING TABLE customers_cdc AS SELECT * FROM STREAM read_files('landing/cdc', format => 'json');
CREATE STREAMING TABLE all_orders;
CREATE FLOW eu AS INSERT INTO all_orders BY NAME SELECT * FROM STREAM(bronze.orders_eu);
CREATE FLOW us AS INSERT INTO all_orders BY NAME SELECT * FROM STREAM(orders_us);
CREATE STREAMING TABLE orders_us AS SELECT * FROM STREAM read_files('landing/us', format => 'csv')`
    })
    const { graph, diagnostics } = buildGraph(def)
    expect(diagnostics).toEqual([])
    expect(graph.dependsOn.get('customers')).toEqual(['customers_cdc'])
    expect(graph.dependsOn.get('all_orders')).toEqual(['orders_us'])
    expect(graph.order.indexOf('customers_cdc')).toBeLessThan(graph.order.indexOf('customers'))
    expect(graph.external.map((r) => [r.name, r.written, r.location.line])).toEqual([['bronze.orders_eu', 'bronze.orders_eu', 5]])
  })

  it('reports a cycle with its path and each edge location', () => {
    const def = definitionOf({
      'a.sql': `CREATE MATERIALIZED VIEW a AS SELECT * FROM b;\nCREATE MATERIALIZED VIEW b AS\n  SELECT * FROM LIVE.c`,
      'c.sql': `CREATE MATERIALIZED VIEW c AS SELECT * FROM live.a;\nCREATE MATERIALIZED VIEW d AS SELECT * FROM c`
    })
    const { graph, diagnostics } = buildGraph(def)
    expect(diagnostics).toHaveLength(1)
    const cycle = diagnostics[0]!
    expect([cycle.severity, cycle.code]).toEqual(['error', 'CYCLE'])
    expect(cycle.message).toContain('a -> b -> c -> a')
    expect(cycle.message).toContain('a reads b at a.sql:1:45')
    expect(cycle.message).toContain('b reads c at a.sql:3:17')
    expect(cycle.message).toContain('c reads a at c.sql:1:45')
    expect(cycle.location).toEqual({ file: 'a.sql', line: 1, column: 45 })
    expect(graph.order).toHaveLength(4)
  })

  it('reports a self-reference as a cycle', () => {
    const { diagnostics } = buildGraph(definitionOf({ 'x.sql': 'CREATE STREAMING TABLE s AS SELECT * FROM STREAM(live.s)' }))
    expect(diagnostics.map((d) => [d.code, d.location.column])).toEqual([['CYCLE', 43]])
    expect(diagnostics[0]!.message).toContain('s -> s')
  })

  it('reports unknown LIVE and unqualified names, but keeps 2- and 3-part names external', () => {
    const def = definitionOf({
      'x.sql': `CREATE MATERIALIZED VIEW m AS SELECT * FROM live.nope JOIN missing ON 1 = 1 JOIN bronze.events e ON 1 = 1 JOIN samples.nyctaxi.trips t ON 1 = 1`
    })
    const { graph, diagnostics } = buildGraph(def)
    expect(diagnostics.map((d) => [d.code, d.message, d.location.column])).toEqual([
      ['UNKNOWN_DATASET', 'live.nope is not a dataset of this pipeline', 45],
      ['UNKNOWN_DATASET', 'missing is not a dataset of this pipeline', 60]
    ])
    expect(graph.external.map((r) => r.name)).toEqual(['bronze.events', 'samples.nyctaxi.trips'])
  })

  it('reports duplicate datasets, a query-less streaming table without flows, and flows into non-streaming targets', () => {
    const def = definitionOf({
      'x.sql': `CREATE MATERIALIZED VIEW users AS SELECT 1 AS id;
CREATE STREAMING TABLE empty_st;
CREATE FLOW into_mv AS INSERT INTO users BY NAME SELECT * FROM STREAM(src);
CREATE FLOW into_nothing AS INSERT INTO ghost BY NAME SELECT * FROM STREAM(src);
CREATE STREAMING TABLE src AS SELECT * FROM STREAM read_files('landing/src', format => 'csv')`,
      'y.sql': `CREATE OR REFRESH MATERIALIZED VIEW Users AS SELECT 2 AS id`
    })
    const { diagnostics } = buildGraph(def)
    expect(diagnostics.map((d) => [d.code, `${d.location.file}:${d.location.line}`])).toEqual([
      ['DUPLICATE_DATASET', 'y.sql:1'],
      ['FLOW_TARGET_NOT_STREAMING_TABLE', 'x.sql:3'],
      ['UNKNOWN_DATASET', 'x.sql:4'],
      ['MISSING_FLOW', 'x.sql:2']
    ])
    expect(diagnostics[0]!.message).toBe('dataset Users is already defined at x.sql:1:26')
  })

  it('reports an unqualified name matching datasets in two schemas as ambiguous unless one is the target', () => {
    const sql = `CREATE MATERIALIZED VIEW bronze.users AS SELECT 1 AS id;
CREATE MATERIALIZED VIEW silver.users AS SELECT 1 AS id;
CREATE MATERIALIZED VIEW report AS SELECT * FROM users`
    expect(buildGraph(definitionOf({ 'x.sql': sql })).diagnostics.map((d) => d.code)).toEqual(['AMBIGUOUS_DATASET'])
    const { graph, diagnostics } = buildGraph(definitionOf({ 'x.sql': sql }, 'silver'))
    expect(diagnostics).toEqual([])
    expect(graph.dependsOn.get('report')).toEqual(['silver.users'])
  })
})
