// Which stream-stream join forms are planned (keys, bounds, side filters) and which are refused, at which file:line:column.
import { describe, expect, it } from 'vitest'
import { locationOf, parseClean } from '../parse/parseTestSupport'
import { eventTimeShapeOf } from './windowQuery'

const HEAD = 'CREATE STREAMING TABLE j AS SELECT s.id, e.ts AS stop_ts\n'
const S = 'FROM STREAM(events) WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS s\n'
const E = 'STREAM(events) WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\n'
const HOUR = 3_600_000

function shapeOf(sql: string) {
  return eventTimeShapeOf(parseClean('j.sql', sql).datasets[0]!.query!)
}

describe('stream-stream join plans', () => {
  it.each([
    ['BETWEEN', `ON s.id = e.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 3 HOURS`, { lowerMs: 0, upperMs: 3 * HOUR }],
    ['>= and <=', `ON e.id = s.id AND e.ts >= s.ts AND e.ts <= s.ts + INTERVAL 3 HOURS`, { lowerMs: 0, upperMs: 3 * HOUR }],
    ['left time on the left', `ON s.id = e.id AND s.ts <= e.ts AND s.ts + INTERVAL '2 hours' >= e.ts`, { lowerMs: 0, upperMs: 2 * HOUR }],
    ['a bound before the start', `ON s.id = e.id AND e.ts BETWEEN s.ts - INTERVAL 30 MINUTES AND s.ts + INTERVAL 1 HOUR`, { lowerMs: -HOUR / 2, upperMs: HOUR }]
  ])('reads the event-time bound written with %s', (_name, on, bounds) => {
    const shape = shapeOf(`${HEAD}${S}JOIN ${E}${on}`)
    expect(shape.kind === 'join' && shape.plan).toMatchObject({ type: 'inner', keys: [{ left: 'id', right: 'id' }], bounds, residual: [] })
  })

  it('splits conditions into side filters and residual conditions', () => {
    const inner = shapeOf(`${HEAD}${S}JOIN ${E}ON s.id = e.id AND e.kind = 'stop' AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR AND e.v > s.v\nWHERE s.kind = 'start'`)
    expect(inner.kind === 'join' && inner.plan).toMatchObject({
      left: { alias: 's', filters: ["s.kind = 'start'"] }, right: { alias: 'e', filters: ["e.kind = 'stop'"] }, residual: ['e.v > s.v'], select: 's.id, e.ts AS stop_ts'
    })
    const outer = shapeOf(`${HEAD}${S}LEFT OUTER JOIN ${E}ON s.id = e.id AND e.kind = 'stop' AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR\nWHERE s.kind = 'start'`)
    expect(outer.kind === 'join' && outer.plan).toMatchObject({ type: 'leftOuter', left: { filters: ["s.kind = 'start'"] }, right: { filters: ["e.kind = 'stop'"] } })
    // Each side reads the whole stream with its WATERMARK clause, which the runner renders like the original query.
    expect(inner.kind === 'join' && inner.plan.left.input.sql).toBe('SELECT * FROM STREAM(events) WATERMARK ts DELAY OF INTERVAL 10 MINUTES')
  })

  it('keeps a comparison of the time with another column as a residual beside the event-time bound', () => {
    // sbit_live's silver.workout_bpm_live: the bound evicts state, the session's end is checked on each joined row.
    const shape = shapeOf(`${HEAD}${S}JOIN ${E}ON e.id = s.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 3 HOURS AND e.ts <= s.end_ts`)
    expect(shape.kind === 'join' && shape.plan).toMatchObject({ keys: [{ left: 'id', right: 'id' }], bounds: { lowerMs: 0, upperMs: 3 * HOUR }, residual: ['e.ts <= s.end_ts'] })
  })
})

describe('stream-stream join forms that are refused', () => {
  it.each([
    ['a RIGHT JOIN', `${HEAD}${S}RIGHT JOIN ${E}ON s.id = e.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR`, 'RIGHT', 'only [INNER] JOIN and LEFT [OUTER] JOIN'],
    ['no upper bound', `${HEAD}${S}JOIN ${E}ON s.id = e.id AND e.ts >= s.ts`, 'ON s.id', 'needs an event-time bound on both sides'],
    ['no key', `${HEAD}${S}JOIN ${E}ON e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR`, 'ON e.ts', 'at least one equality'],
    ['an aggregation', `CREATE STREAMING TABLE j AS SELECT s.id, count(*) AS n\n${S}JOIN ${E}ON s.id = e.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR GROUP BY s.id`, 'GROUP', 'GROUP is not supported on a stream-stream join'],
    ['an aggregate without GROUP BY', `CREATE STREAMING TABLE j AS SELECT count(*) AS n\n${S}JOIN ${E}ON s.id = e.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR`, 'count', 'count(...) is not supported'],
    ['an outer join filtering the right side in WHERE', `${HEAD}${S}LEFT JOIN ${E}ON s.id = e.id AND e.ts BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR\nWHERE e.kind = 'stop'`, "e.kind = 'stop'", 'conditions on the right stream go in ON'],
    ['a strict bound in an outer join', `${HEAD}${S}LEFT JOIN ${E}ON s.id = e.id AND e.ts > s.ts AND e.ts <= s.ts + INTERVAL 1 HOUR`, 'e.ts > s.ts', 'must use >= / <= or BETWEEN'],
    ['a bound on another column', `${HEAD}${S}JOIN ${E}ON s.id = e.id AND e.other BETWEEN s.ts AND s.ts + INTERVAL 1 HOUR`, 'ON s.id', 'needs an event-time bound'],
    ['the same alias twice', `${HEAD}${S}JOIN ${E.replace('AS e', 'AS s')}ON s.id = s.id`, 's\nON', "both streams are called 's'"],
    ['one stream without a watermark', `${HEAD}${S}JOIN STREAM(other) AS e ON s.id = e.id`, 'WATERMARK', 'needs a WATERMARK on both']
  ])('refuses %s at its location, saying what is supported', (_name, sql, at, message) => {
    const shape = shapeOf(sql)
    expect(shape.kind).toBe('unsupported')
    if (shape.kind !== 'unsupported') return
    expect(shape.message).toContain(message)
    if (message !== 'needs a WATERMARK on both') expect(shape.message).toContain('supported: SELECT ... FROM STREAM(a) WATERMARK')
    expect(shape.location).toEqual(locationOf('j.sql', sql, at))
  })
})
