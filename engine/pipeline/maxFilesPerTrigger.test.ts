// maxFilesPerTrigger on read_files / cloud_files: each run of a streaming table takes at most N new files, oldest name first.
import { afterAll, describe, expect, it } from 'vitest'
import { runPipeline } from './runner'
import { createTestLakehouse, fixedClock, queryRows, removeTestLakehouses } from './run/testPipelineLakehouse'

afterAll(removeTestLakehouses)

const FILES = ['e', 'a', 'd', 'b', 'c']

describe('maxFilesPerTrigger', () => {
  it('limits each run to N new files in name order, for read_files and cloud_files, until every file is read', async () => {
    const landing = Object.fromEntries(FILES.map((name) => [`landing/items/${name}.csv`, `file\n${name}\n`]))
    const lakehouse = await createTestLakehouse({
      ...landing,
      'pipelines/lim/pipeline.json': JSON.stringify({ target: 'bronze' }),
      'pipelines/lim/01.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.by_read_files
AS SELECT file, _metadata.file_name AS name FROM STREAM read_files('landing/items', format => 'csv', header => true, maxFilesPerTrigger => 2);

CREATE OR REFRESH STREAMING LIVE TABLE by_cloud_files
AS SELECT file FROM cloud_files('landing/items', 'csv', map('header', 'true', 'cloudFiles.maxFilesPerTrigger', '3'));
`
    })
    const seen: { readFiles: string[]; cloudFiles: string[] }[] = []
    for (let run = 0; run < 4; run++) {
      const result = await runPipeline(lakehouse, 'lim', { clock: fixedClock })
      expect(result.status, result.error).toBe('completed')
      seen.push({
        readFiles: (await queryRows(lakehouse, 'SELECT file FROM bronze.by_read_files')).map((r) => String(r.file)).sort(),
        cloudFiles: (await queryRows(lakehouse, 'SELECT file FROM bronze.by_cloud_files')).map((r) => String(r.file)).sort()
      })
      expect(result.flows.find((f) => f.target === 'bronze.by_read_files')!.status).toBe(run < 3 ? 'completed' : 'no_new_data')
    }
    const sorted = [...FILES].sort()
    expect(seen.map((s) => s.readFiles)).toEqual([sorted.slice(0, 2), sorted.slice(0, 4), sorted, sorted])
    expect(seen.map((s) => s.cloudFiles)).toEqual([sorted.slice(0, 3), sorted, sorted, sorted])
  }, 60_000)

  it('refuses a limit that is not a positive integer, naming the source', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/items/a.csv': 'file\na\n',
      'pipelines/bad/01.sql': "CREATE OR REFRESH STREAMING TABLE bronze.x AS SELECT * FROM STREAM read_files('landing/items', format => 'csv', maxFilesPerTrigger => 0);\n"
    })
    const result = await runPipeline(lakehouse, 'bad', { clock: fixedClock })
    expect(result.status).toBe('failed')
    expect(result.flows[0]!.error).toMatch(/read_files\('landing\/items'\) \(\S*01\.sql:1:\d+\): maxFilesPerTrigger must be a positive integer, got '0'/)
  }, 60_000)
})
