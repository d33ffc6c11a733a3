// parsePipelineFolder over a real pipeline folder: file order, pipeline.json, Python files, cross-file flow targets.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildGraph } from '../graph'
import { parsePipelineFolder } from './parsePipeline'

describe('parsePipelineFolder', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakebench-pipeline-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads *.sql in name order with pipeline.json configuration and target, and reports Python files', async () => {
    await writeFile(path.join(dir, 'pipeline.json'), JSON.stringify({ target: 'silver', configuration: { source: 'landing' } }))
    await writeFile(path.join(dir, '02_silver.sql'), `CREATE OR REFRESH STREAMING TABLE users;
APPLY CHANGES INTO silver.users FROM STREAM(bronze.users) KEYS (user_id) SEQUENCE BY updated STORED AS SCD TYPE 2;`)
    await writeFile(path.join(dir, '01_bronze.sql'), `-- landing files
CREATE OR REFRESH STREAMING TABLE bronze.users
AS SELECT * FROM STREAM read_files('\${source}/users', format => 'csv', header => true);`)
    await writeFile(path.join(dir, 'helpers.py'), 'import dlt\n')
    await writeFile(path.join(dir, 'notes.md'), '# not SQL\n')
    const { definition, diagnostics } = await parsePipelineFolder(dir, 'sbit', { configuration: { extra: 'x' } })
    expect(diagnostics).toEqual([])
    expect(definition.name).toBe('sbit')
    expect(definition.target).toBe('silver')
    expect(definition.files).toEqual([path.join(dir, '01_bronze.sql'), path.join(dir, '02_silver.sql')])
    expect(definition.configuration).toEqual({ source: 'landing', extra: 'x' })
    expect(definition.datasets.map((d) => [d.name, d.location.file, d.location.line])).toEqual([
      ['bronze.users', path.join(dir, '01_bronze.sql'), 2],
      ['users', path.join(dir, '02_silver.sql'), 1]
    ])
    expect(definition.datasets[0]!.query!.fileSources[0]!.path).toBe('landing/users')
    // `silver.users` resolves through the target to the unqualified dataset `users`
    expect(definition.flows.map((f) => [f.name, f.target, f.kind])).toEqual([
      ['bronze.users', 'bronze.users', 'append'],
      ['silver.users', 'users', 'cdc']
    ])
    expect(definition.unsupported).toEqual([
      { feature: 'python_source', detail: expect.stringContaining('helpers.py'), location: { file: path.join(dir, 'helpers.py'), line: 1, column: 1 } }
    ])
    const { graph, diagnostics: graphErrors } = buildGraph(definition)
    expect(graphErrors).toEqual([])
    expect(graph.order).toEqual(['bronze.users', 'users'])
  })

  it('reports parse errors in every file and a malformed pipeline.json, still returning what parsed', async () => {
    await writeFile(path.join(dir, 'pipeline.json'), '{ "target": ')
    await writeFile(path.join(dir, 'a.sql'), 'CREATE MATERIALIZED VIEW a AS SELECT 1 AS x;\nCREATE MATERIALIZED VIEW b SELECT 1;')
    await writeFile(path.join(dir, 'b.sql'), 'CREATE LIVE TABLE c AS SELECT * FROM a;\n\n  CREATE STREAMING TABLE d AS SELECT * FROM STREAM read_files(format => "csv")')
    const { definition, diagnostics } = await parsePipelineFolder(dir, 'p')
    expect(diagnostics.map((d) => [d.code, path.basename(d.location.file), d.location.line, d.location.column])).toEqual([
      ['CONFIG_ERROR', 'pipeline.json', 1, 1],
      ['PARSE_ERROR', 'a.sql', 2, 28],
      ['PARSE_ERROR', 'b.sql', 3, 52]
    ])
    expect(diagnostics[1]!.message).toBe("expected AS, COMMENT, PARTITIONED BY, CLUSTER BY, TBLPROPERTIES or the end of the statement, found 'SELECT'")
    expect(diagnostics[2]!.message).toBe('read_files(...) needs a path as its first argument')
    expect(definition.datasets.map((d) => d.name)).toEqual(['a', 'c'])
  })
})
