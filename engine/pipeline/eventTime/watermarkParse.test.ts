// WATERMARK clause parsing (Databricks spellings) and the validate-time diagnostics at file:line:column.
import { afterAll, describe, expect, it } from 'vitest'
import { parseClean, locationOf } from '../parse/parseTestSupport'
import { loadPipeline } from '../runner'
import { createTestLakehouse, removeTestLakehouses } from '../run/testPipelineLakehouse'
import { eventTimeShapeOf } from './windowQuery'

afterAll(removeTestLakehouses)

describe('WATERMARK clause', () => {
  it.each([
    ['INTERVAL 10 MINUTES', 600_000],
    ["INTERVAL '10' MINUTE", 600_000],
    ["INTERVAL '10 minutes'", 600_000],
    ['INTERVAL 1 HOUR 30 MINUTES', 5_400_000]
  ])('reads DELAY OF %s on STREAM(x) with an alias', (interval, ms) => {
    const sql = `CREATE OR REFRESH STREAMING TABLE t AS SELECT * FROM STREAM(bronze.hr) WATERMARK ts DELAY OF ${interval} AS s WHERE s.bpm > 0;`
    const ref = parseClean('t.sql', sql).datasets[0]!.query!.references[0]!
    expect(ref.watermark).toMatchObject({ column: 'ts', delayMs: ms, delayText: interval, location: locationOf('t.sql', sql, 'WATERMARK') })
    const query = parseClean('t.sql', sql).datasets[0]!.query!
    expect(query.sql.slice(ref.watermark!.span.start, ref.watermark!.span.end)).toBe(`WATERMARK ts DELAY OF ${interval}`)
  })

  it('reads it on STREAM read_files(...) and with a named expression', () => {
    const sql = "CREATE STREAMING TABLE t AS SELECT * FROM STREAM read_files('landing/hr', format => 'json') WATERMARK to_timestamp(t_str) AS ts DELAY OF INTERVAL 2 SECONDS"
    const source = parseClean('t.sql', sql).datasets[0]!.query!.fileSources[0]!
    expect(source.watermark).toMatchObject({ column: 'ts', expression: 'to_timestamp(t_str)', delayMs: 2000 })
  })

  it('plans a windowed aggregation and refuses a watermarked stream-stream join', () => {
    const windowed = parseClean('t.sql', `CREATE STREAMING TABLE t AS SELECT window(ts, '10 minutes', '5 minutes') AS w, device, count(*) AS n, avg(bpm)
      FROM STREAM(hr) WATERMARK ts DELAY OF INTERVAL 5 MINUTES GROUP BY w, device`).datasets[0]!.query!
    const shape = eventTimeShapeOf(windowed)
    expect(shape.kind === 'window' && shape.plan).toMatchObject({ kind: 'window', size: '10 minutes', slide: '5 minutes', windowName: 'w',
      keys: [{ expression: 'device', name: 'device' }], aggregates: [{ fn: 'count', name: 'n' }, { fn: 'avg', argument: 'bpm', name: 'avg(bpm)' }] })
    const join = parseClean('t.sql', `CREATE STREAMING TABLE j AS SELECT * FROM STREAM(a) WATERMARK a_ts DELAY OF INTERVAL 1 HOUR
      JOIN STREAM(b) WATERMARK b_ts DELAY OF INTERVAL 1 HOUR ON a.k = b.k AND b_ts BETWEEN a_ts AND a_ts + INTERVAL 3 HOURS`).datasets[0]!.query!
    expect(eventTimeShapeOf(join)).toMatchObject({ kind: 'unsupported', message: expect.stringContaining('stream-stream join') })
  })
})

describe('event-time diagnostics', () => {
  const BRONZE = "CREATE STREAMING TABLE bronze.hr AS SELECT device, CAST(ts AS TIMESTAMP) AS ts, bpm FROM STREAM read_files('landing/hr', format => 'json');\n"
  async function diagnose(gold: string): Promise<{ code: string; line: number; column: number; message: string }[]> {
    const lakehouse = await createTestLakehouse({ 'pipelines/hr/01.sql': BRONZE, 'pipelines/hr/02.sql': gold, 'landing/hr/a.json': '{}\n' })
    const loaded = await loadPipeline(lakehouse, 'hr')
    return loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, line: d.location.line, column: d.location.column, message: d.message }))
  }

  it('reports a bad interval at the interval', async () => {
    const gold = "CREATE STREAMING TABLE gold.w AS SELECT window(ts, '10 minutes') AS w, count(*) AS n\nFROM STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL 10 FORTNIGHTS GROUP BY window(ts, '10 minutes')"
    const at = locationOf('02.sql', gold, 'INTERVAL 10')
    expect(await diagnose(gold)).toEqual([expect.objectContaining({ code: 'INVALID_WATERMARK', line: at.line, column: at.column, message: expect.stringContaining('fortnights') })])
    const month = await diagnose(gold.replace('10 FORTNIGHTS', '2 MONTHS'))
    expect(month).toEqual([expect.objectContaining({ code: 'INVALID_WATERMARK', message: expect.stringContaining('less than a month') })])
  })

  it('reports a watermark column the source does not have, at the clause', async () => {
    const gold = "CREATE STREAMING TABLE gold.w AS SELECT window(event_time, '10 minutes') AS w, count(*) AS n\nFROM STREAM(bronze.hr) WATERMARK event_time DELAY OF INTERVAL 5 MINUTES GROUP BY 1"
    const at = locationOf('02.sql', gold, 'WATERMARK')
    expect(await diagnose(gold)).toContainEqual({ code: 'UNKNOWN_COLUMN', line: at.line, column: at.column, message: expect.stringContaining("'event_time' does not exist in bronze.hr (columns: device, ts, bpm)") })
  })

  it('reports a window over another column and a stream-stream join as errors', async () => {
    const mismatch = "CREATE STREAMING TABLE gold.w AS SELECT window(bpm_ts, '10 minutes') AS w, count(*) AS n FROM STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL 5 MINUTES GROUP BY w"
    expect((await diagnose(mismatch)).map((d) => d.code)).toEqual(['WATERMARK_MISMATCH'])
    const join = 'CREATE STREAMING TABLE gold.j AS SELECT * FROM STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL 1 HOUR AS a JOIN STREAM(bronze.hr) WATERMARK ts DELAY OF INTERVAL 1 HOUR AS b ON a.device = b.device'
    expect(await diagnose(join)).toEqual([expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('stream-stream join') })])
  })
})
