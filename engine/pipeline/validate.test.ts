// validatePipeline against a real lakehouse folder: unsupported features, external tables and workspace paths.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { Lakehouse } from '../lakehouse/folder'
import { DuckdbSession } from '../sql/duckdbSession'
import { buildGraph } from './graph'
import type { PipelineDefinition, SourceLocation } from './model'
import { parsePipelineSql } from './parse/parsePipeline'
import { validatePipeline, type LakehouseTables } from './validate'

const FILE = 'pipelines/demo/ingest.sql'

const SQL = `CREATE STREAMING TABLE raw_events AS SELECT * FROM STREAM read_files('/Volumes/main/raw/events/*.json', format => 'json');
CREATE STREAMING TABLE mapped AS SELECT * FROM STREAM read_files('/Volumes/main/raw/mapped/', format => 'csv');
CREATE STREAMING LIVE TABLE trips AS SELECT * FROM cloud_files('/databricks-datasets/nyctaxi/trips', 'csv');
CREATE MATERIALIZED VIEW enriched AS
SELECT e.*, ai_query('endpoint', e.text) AS summary, c.name
FROM live.raw_events e
JOIN bronze.customers c ON e.customer_id = c.id
JOIN bronze.not_there n ON n.id = e.id
JOIN samples.tpch.orders o ON o.id = e.id
JOIN delta.\`dbfs:/mnt/legacy/orders\` l ON l.id = e.id
JOIN parquet.\`s3://bucket/prefix\` s ON s.id = e.id`

function at(needle: string): SourceLocation {
  const offset = SQL.indexOf(needle)
  const before = SQL.slice(0, offset)
  return { file: FILE, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
}

describe('validatePipeline', () => {
  let dir: string
  let session: DuckdbSession
  let lakehouse: Lakehouse
  let tables: LakehouseTables

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakebench-validate-'))
    lakehouse = await Lakehouse.create(dir)
    session = await DuckdbSession.create()
    await DeltaTable.create(lakehouse.tablePath('bronze', 'customers'), session, {
      schema: { type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }, { name: 'name', type: 'string', nullable: true, metadata: {} }] },
      sourceSql: `SELECT 1::BIGINT AS id, 'Ada' AS name`,
      operation: 'CREATE TABLE AS SELECT'
    })
    // a local copy of a workspace volume: the path /Volumes/main/raw/mapped/ maps to <lakehouse>/Volumes/main/raw/mapped/
    await mkdir(path.join(dir, 'Volumes', 'main', 'raw', 'mapped'), { recursive: true })
    const existing = new Set((await lakehouse.listTables()).map((t) => `${t.schema}.${t.name}`))
    tables = { root: lakehouse.root, hasTable: (schema, name) => existing.has(`${schema}.${name}`.toLowerCase()) }
  })

  afterAll(async () => {
    session?.close()
    await rm(dir, { recursive: true, force: true })
  })

  function validate(lakehouseTables?: LakehouseTables) {
    const parsed = parsePipelineSql(SQL, FILE)
    expect(parsed.diagnostics).toEqual([])
    const def: PipelineDefinition = { name: 'demo', files: [FILE], datasets: parsed.datasets, flows: parsed.flows, unsupported: parsed.unsupported }
    const { graph, diagnostics } = buildGraph(def)
    expect(diagnostics).toEqual([])
    return validatePipeline(def, graph, lakehouseTables)
  }

  it('reports each unsupported item at its location and unknown external tables as errors', () => {
    const result = validate(tables)
    expect(result.map((d) => [d.severity, d.code, d.message.split(':')[0], d.location])).toEqual([
      ['warning', 'UNSUPPORTED', 'ai_function', at('ai_query')],
      ['error', 'UNKNOWN_TABLE', 'bronze.not_there is neither a dataset of this pipeline nor a table in the lakehouse', at('bronze.not_there')],
      ['warning', 'UNSUPPORTED', 'catalog_name', at('samples.tpch.orders')],
      ['warning', 'UNSUPPORTED', 'workspace_path', at("STREAM read_files('/Volumes/main/raw/events")],
      ['warning', 'UNSUPPORTED', 'workspace_path', at('cloud_files')],
      ['warning', 'UNSUPPORTED', 'workspace_path', at('delta.`dbfs:')],
      ['warning', 'UNSUPPORTED', 'cloud_path', at('parquet.`s3:')]
    ])
    const events = result.find((d) => d.message.includes('/Volumes/main/raw/events'))!
    expect(events.message).toContain(path.join(dir, 'Volumes', 'main', 'raw', 'events'))
  })

  it('without a lakehouse, flags every workspace path and cannot judge 2-part names', () => {
    const result = validate()
    expect(result.filter((d) => d.code === 'UNKNOWN_TABLE')).toEqual([])
    expect(result.filter((d) => d.message.startsWith('workspace_path')).map((d) => d.location)).toEqual([
      at("STREAM read_files('/Volumes/main/raw/events"),
      at("STREAM read_files('/Volumes/main/raw/mapped"),
      at('cloud_files'),
      at('delta.`dbfs:')
    ])
  })
})
