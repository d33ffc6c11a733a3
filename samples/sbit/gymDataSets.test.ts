// Tests for the SBIT data-set generator: determinism, and manifests checked against the written files with DuckDB.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../engine/sql/duckdbSession'
import { produceDataSet } from '../dataSets'
import type { DataSetManifest, RowCounts } from '../landingManifest'
import { sbitExpectedCounts } from './expectedCounts'
import { generateSbitDataSets } from './gymDataSets'
import { windowStart } from './gymTimeline'

let dir: string
let duck: DuckdbSession
const manifests: DataSetManifest[] = []

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-sbit-sets-'))
  duck = await DuckdbSession.create({ threads: 1 })
  for (const k of [1, 2]) manifests.push(await produceDataSet(dir, 'sbit', k))
})

afterAll(async () => {
  duck?.close()
  await fs.rm(dir, { recursive: true, force: true })
})

/** Counts a file's rows by kind with SQL over the file itself: `bad` marks malformed rows, `ts` is the event time. */
async function classify(from: string, bad: string, ts: string, warned = 'false'): Promise<RowCounts> {
  const [row] = await duck.query(`
    WITH rows AS (SELECT *, (${bad}) AS is_bad FROM ${from}),
         kept AS (SELECT * EXCLUDE (is_bad) FROM rows WHERE NOT is_bad)
    SELECT
      (SELECT count(*) FROM rows WHERE is_bad) AS malformed,
      (SELECT count(*) FROM kept) - (SELECT count(*) FROM (SELECT DISTINCT * FROM kept)) AS duplicate,
      (SELECT count(*) FROM (SELECT DISTINCT * FROM kept) WHERE ${ts} < __window_start) AS late,
      (SELECT count(*) FROM kept WHERE ${warned}) AS warned,
      (SELECT count(*) FROM rows) AS total`)
  const n = (v: unknown): number => Number(v)
  const malformed = n(row!.malformed)
  const duplicate = n(row!.duplicate)
  const late = n(row!.late)
  return { good: n(row!.total) - malformed - duplicate - late, late, duplicate, malformed, warned: n(row!.warned) }
}

describe('sbit data sets', () => {
  it('are identical for the same seed, differ for another, and do not depend on how many sets are generated', () => {
    const two = generateSbitDataSets(2)
    expect(generateSbitDataSets(2)).toEqual(two)
    expect(generateSbitDataSets(2, 7)[0]!.files.map((f) => f.text)).not.toEqual(two[0]!.files.map((f) => f.text))
    expect(generateSbitDataSets(1)[0]).toEqual(two[0])
    expect(generateSbitDataSets(3)[1]).toEqual(two[1])
  })

  it('writes exactly the files its manifest lists, with the kinds of rows the manifest counts', async () => {
    for (const manifest of manifests) {
      const k = manifest.setNumber
      const start = new Date(windowStart(k)).toISOString().slice(0, 19).replace('T', ' ')
      for (const file of manifest.files) {
        const abs = path.join(dir, file.path).replace(/'/g, "''")
        const windowed = (src: string): string => `(SELECT *, TIMESTAMP '${start}' AS __window_start FROM ${src})`
        let counts: RowCounts
        if (file.path.includes('registered_users')) {
          counts = await classify(windowed(`read_csv('${abs}', header = true, all_varchar = true)`),
            'try_cast(user_id AS BIGINT) IS NULL OR try_cast(registration_timestamp AS TIMESTAMP) IS NULL', 'CAST(registration_timestamp AS TIMESTAMP)')
        } else if (file.path.includes('gym_logins')) {
          counts = await classify(windowed(`read_csv('${abs}', header = true, all_varchar = true)`),
            'try_cast(logout AS TIMESTAMP) IS NULL', 'CAST(login AS TIMESTAMP)',
            "CAST(logout AS TIMESTAMP) - CAST(login AS TIMESTAMP) > INTERVAL 4 HOUR")
        } else {
          const topic = path.basename(file.path).replace(/_\d+\.json$/, '')
          const bad = {
            user_info: "CASE WHEN NOT json_valid(value) THEN true ELSE coalesce(value->>'update_type' NOT IN ('new', 'update', 'delete'), true) OR (value->>'user_id') IS NULL END",
            bpm: "(value->>'device_id') IS NULL OR coalesce(try_cast(value->>'heartrate' AS DOUBLE) <= 0, true)",
            workout: "coalesce(value->>'action' NOT IN ('start', 'stop'), true) OR (value->>'session_id') IS NULL"
          }[topic]!
          const src = `read_json('${abs}', format = 'newline_delimited', columns = {'key': 'VARCHAR', 'value': 'VARCHAR', 'topic': 'VARCHAR', 'partition': 'INTEGER', 'offset': 'BIGINT', 'timestamp': 'BIGINT'})`
          counts = await classify(windowed(src), bad, 'make_timestamp("timestamp" * 1000)')
          const [{ topics }] = (await duck.query(`SELECT list(DISTINCT topic) AS topics FROM ${src}`)) as [{ topics: string[] }]
          expect(topics, file.path).toEqual([topic])
          expect(file.topics![topic], file.path).toEqual(file.rows)
        }
        expect(counts, file.path).toEqual(file.rows)
      }
    }
  })

  it('puts late, duplicate and malformed rows into every set, and continues Kafka offsets across sets', async () => {
    for (const manifest of manifests) {
      const sum = (key: keyof RowCounts): number => manifest.files.reduce((n, f) => n + f.rows[key], 0)
      expect(sum('late'), `set ${manifest.setNumber}`).toBeGreaterThan(0)
      expect(sum('duplicate'), `set ${manifest.setNumber}`).toBeGreaterThan(0)
      expect(sum('malformed'), `set ${manifest.setNumber}`).toBeGreaterThan(0)
    }
    const offsets = async (k: number): Promise<{ lo: bigint; hi: bigint }> => {
      const [row] = await duck.query(`SELECT min("offset") AS lo, max("offset") AS hi FROM read_json('${path.join(dir, `landing/kafka_multiplex/bpm_${k}.json`)}', format = 'newline_delimited')`)
      return row as { lo: bigint; hi: bigint }
    }
    expect((await offsets(2)).lo).toBe((await offsets(1)).hi + 1n)
  })

  it('expects a workout to complete only once its stop (landing in the next set) has arrived', () => {
    const [first, second] = generateSbitDataSets(2)
    const stopsInSet2ForStartsInSet1 = second!.kafka.workout.filter((r) => {
      const e = r.row.event
      return e?.type === 'workout' && e.action === 'stop' && r.kind === 'good' &&
        first!.kafka.workout.some((s) => s.row.event?.type === 'workout' && s.row.event.action === 'start' && s.row.event.userId === e.userId && s.row.event.sessionId === e.sessionId)
    })
    expect(stopsInSet2ForStartsInSet1.length).toBeGreaterThan(0)
    const completed = (n: number): number => sbitExpectedCounts(n).find((c) => c.table === 'silver.completed_workouts')!.rows
    expect(completed(2)).toBeGreaterThan(completed(1))
  })
})
