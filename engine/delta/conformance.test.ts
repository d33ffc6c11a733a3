// Conformance: every table of ../shared/delta-conformance at every version in MANIFEST.json, DAT content, time travel, broken logs.
import { existsSync, promises as fs, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaError, type DeltaErrorCode } from './errors'
import { commitTimestamps, loadSnapshot, type SnapshotAt } from './logReplay'
import { commitFileName, LogStore } from './logStore'
import { sqlString } from './parquetPort'
import { scanSql } from './scan'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = path.resolve(repoRoot, '../shared/delta-conformance')
const available = existsSync(path.join(corpus, 'MANIFEST.json'))
if (!available) console.warn(`delta conformance corpus not found at ${corpus}: conformance suite skipped`)

interface PerVersion { version: number; rows: number; liveFiles: number }
interface TableCase {
  name: string
  path: string
  versions: { first: number; latest: number; reconstructableFrom: number }
  expected: {
    byLogReplay: { perVersion: PerVersion[] }
    dat?: { dir: string; versions: Record<string, { rows: number; table_version_metadata: { version: number } }> }
  }
}
const tables: TableCase[] = available ? (JSON.parse(readFileSync(path.join(corpus, 'MANIFEST.json'), 'utf8')) as { tables: TableCase[] }).tables : []
const tableRoot = (name: string) => path.join(corpus, 'tables', name)

let session: DuckdbSession
let scratch: string
beforeAll(async () => {
  session = await DuckdbSession.create({ threads: 2 })
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-conformance-'))
})
afterAll(async () => {
  session?.close()
  if (scratch) await fs.rm(scratch, { recursive: true, force: true })
})

async function snapshotOf(root: string, at: SnapshotAt = {}) {
  return loadSnapshot(new LogStore(root), session, at)
}

async function rowCount(root: string, at: SnapshotAt = {}): Promise<number> {
  const snapshot = await snapshotOf(root, at)
  const rows = await session.query(`SELECT count(*) AS n FROM (${await scanSql(snapshot, session)})`)
  return Number(rows[0]!.n)
}

async function column(root: string, name: string, at: SnapshotAt = {}, where = 'true'): Promise<unknown[]> {
  const sql = await scanSql(await snapshotOf(root, at), session)
  const rows = await session.query(`SELECT "${name}" AS v FROM (${sql}) WHERE ${where} ORDER BY 1`)
  return rows.map((r) => (typeof r.v === 'bigint' ? Number(r.v) : r.v))
}

async function expectDeltaError(promise: Promise<unknown>, code: DeltaErrorCode, message?: RegExp): Promise<DeltaError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error, `expected DeltaError ${code}`).toBeInstanceOf(DeltaError)
  expect((error as DeltaError).code).toBe(code)
  if (message) expect((error as DeltaError).message).toMatch(message)
  return error as DeltaError
}

/** A canonical text for any value DuckDB returns, so both sides compare as multisets of strings. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v)
  if (v instanceof Date) return `T${v.toISOString()}`
  if (v instanceof Uint8Array) return `X${Buffer.from(v).toString('hex')}`
  if (Array.isArray(v)) {
    const isMap = v.length > 0 && v.every((e) => e !== null && typeof e === 'object' && 'key' in e && 'value' in e && Object.keys(e).length === 2)
    if (isMap) return `{${v.map((e: { key: unknown; value: unknown }) => `${canonical(e.key)}=>${canonical(e.value)}`).sort().join(',')}}`
    return `[${v.map(canonical).join(',')}]`
  }
  if (typeof v === 'object') return `(${Object.entries(v).map(([k, x]) => `${k.toLowerCase()}:${canonical(x)}`).join(',')})`
  return JSON.stringify(v)
}

/** Rows of a relation as sorted canonical strings; columns by lower-cased name, timestamps as epoch microseconds. */
async function canonicalRows(sql: string): Promise<{ columns: string[]; rows: string[] }> {
  const described = await session.query(`DESCRIBE ${sql}`)
  const cols = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) })).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
  const select = cols.map((c) => (/^TIMESTAMP/.test(c.type) ? `epoch_us("${c.name}") AS "${c.name}"` : `"${c.name}"`)).join(', ')
  const rows = await session.query(`SELECT ${select} FROM (${sql})`)
  return { columns: cols.map((c) => c.name.toLowerCase()), rows: rows.map((r) => cols.map((c) => canonical(r[c.name])).join(' | ')).sort() }
}

async function copyTable(name: string): Promise<string> {
  const dest = await fs.mkdtemp(path.join(scratch, `${name}-`))
  await fs.cp(tableRoot(name), dest, { recursive: true })
  // The corpus is read-only; the copies must be writable for the damage the tests inflict.
  const chmod = async (p: string): Promise<void> => {
    const st = await fs.stat(p)
    await fs.chmod(p, st.isDirectory() ? 0o755 : 0o644)
    if (st.isDirectory()) for (const e of await fs.readdir(p)) await chmod(path.join(p, e))
  }
  await chmod(dest)
  return dest
}

async function setCommitMtimes(root: string, msByVersion: number[]): Promise<void> {
  for (const [version, ms] of msByVersion.entries()) await fs.utimes(path.join(root, '_delta_log', commitFileName(version)), ms / 1000, ms / 1000)
}

describe.skipIf(!available)('Delta conformance corpus', () => {
  it('lists 26 tables', () => {
    expect(tables.length).toBe(26)
  })

  for (const table of tables) {
    describe(table.name, () => {
      it('reads every version in MANIFEST.json with the expected rows and live files', async () => {
        for (const pv of table.expected.byLogReplay.perVersion) {
          const snapshot = await snapshotOf(tableRoot(table.name), { version: pv.version })
          expect(snapshot.version).toBe(pv.version)
          expect(snapshot.files.length, `${table.name} v${pv.version} live files`).toBe(pv.liveFiles)
          expect(await rowCount(tableRoot(table.name), { version: pv.version }), `${table.name} v${pv.version} rows`).toBe(pv.rows)
        }
        expect((await snapshotOf(tableRoot(table.name))).version).toBe(table.versions.latest)
      })

      it('refuses versions that cannot be reconstructed or do not exist', async () => {
        for (let v = 0; v < table.versions.reconstructableFrom; v++) {
          await expectDeltaError(snapshotOf(tableRoot(table.name), { version: v }), 'VERSION_NOT_RECONSTRUCTABLE', new RegExp(`version ${v}`))
        }
        await expectDeltaError(snapshotOf(tableRoot(table.name), { version: table.versions.latest + 1 }), 'VERSION_NOT_FOUND', /latest version is/)
      })

      if (table.expected.dat) {
        it('matches the DAT expected content as a multiset at every expected version', async () => {
          for (const [label, info] of Object.entries(table.expected.dat!.versions)) {
            const version = info.table_version_metadata.version
            const ours = await canonicalRows(await scanSql(await snapshotOf(tableRoot(table.name), { version }), session))
            const expectedGlob = path.join(corpus, table.expected.dat!.dir, label, 'table_content.parquet', '*.parquet')
            const theirs = await canonicalRows(`SELECT * FROM read_parquet(${sqlString(expectedGlob)}, hive_partitioning=false)`)
            expect(ours.columns, `${table.name} ${label} columns`).toEqual(theirs.columns)
            expect(ours.rows.length).toBe(info.rows)
            expect(ours.rows, `${table.name} ${label} content`).toEqual(theirs.rows)
          }
        })
      }
    })
  }
})

describe.skipIf(!available)('asserted facts from upstream tests', () => {
  it('drs-simple_table: v0 ids 0..4, latest ids 5,7,9', async () => {
    expect(await column(tableRoot('drs-simple_table'), 'id', { version: 0 })).toEqual([0, 1, 2, 3, 4])
    expect(await column(tableRoot('drs-simple_table'), 'id')).toEqual([5, 7, 9])
  })

  it('drs-table-with-dv-small: the DV hides row indexes 0 and 9', async () => {
    expect(await column(tableRoot('drs-table-with-dv-small'), 'value')).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('kernel-basic-dv-with-checkpoint: ids 0..499 without multiples of 11', async () => {
    const expected = Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 11 !== 0)
    expect(await column(tableRoot('kernel-basic-dv-with-checkpoint'), 'id')).toEqual(expected)
  })

  it('golden-dv-partitioned-with-checkpoint: 35 rows, 12 with part>=7 and col1>=0', async () => {
    const root = tableRoot('golden-dv-partitioned-with-checkpoint')
    expect((await column(root, 'col1')).length).toBe(35)
    expect((await column(root, 'col1', {}, 'part >= 7 AND col1 >= 0')).length).toBe(12)
  })

  it('golden-basic-with-inserts-deletes-checkpoint: latest ids', async () => {
    const expected = [0, 10, 20, 30, 40].flatMap((s) => [s, s + 1, s + 2, s + 3, s + 4]).concat(Array.from({ length: 16 }, (_, i) => 50 + i))
    expect(await column(tableRoot('golden-basic-with-inserts-deletes-checkpoint'), 'id')).toEqual(expected)
  })

  it('drs-delta-0.8.0-special-partition: escaped partition values decode to "A/A" and "B B"', async () => {
    expect(await column(tableRoot('drs-delta-0.8.0-special-partition'), 'x')).toEqual(['A/A', 'B B'])
  })

  it('drs-delta-0.8.0-partitioned: year=2021 holds values 4,5,6,7', async () => {
    expect(await column(tableRoot('drs-delta-0.8.0-partitioned'), 'value', {}, `year = '2021'`)).toEqual(['4', '5', '6', '7'])
  })

  it('drs-table_with_column_mapping: logical names over physical columns and partition values', async () => {
    const sql = await scanSql(await snapshotOf(tableRoot('drs-table_with_column_mapping')), session)
    const rows = await session.query(`SELECT "Company Very Short" AS c, "Super Name" AS n FROM (${sql}) ORDER BY 1, 2`)
    expect(rows.map((r) => `${r.c}:${r.n}`)).toEqual(['BME:Timothy Lamb', 'BMS:Anthony Johnson', 'BMS:Mr. Daniel Ferguson MD', 'BMS:Nathan Bennett', 'BMS:Stephanie Mcgrath'])
  })

  it('golden-data-reader-timestamp_ntz: wall-clock microseconds in data and partition', async () => {
    const sql = await scanSql(await snapshotOf(tableRoot('golden-data-reader-timestamp_ntz')), session)
    const rows = await session.query(`SELECT id, epoch_us(tsNtz) AS a, epoch_us(tsNtzPartition) AS b FROM (${sql}) ORDER BY id`)
    const a = [1637202600123456n, 1373043660123456n, null]
    expect(rows.map((r) => [Number(r.id), r.a, r.b])).toEqual(Array.from({ length: 9 }, (_, i) => [i, a[i % 3], a[Math.floor(i / 3)]]))
  })

  it('drs-table_with_edge_timestamps: INT96 far-future timestamps', async () => {
    const sql = await scanSql(await snapshotOf(tableRoot('drs-table_with_edge_timestamps')), session)
    const rows = await session.query(`SELECT strftime(BIG_DATE, '%Y-%m-%d') AS d, SOME_VALUE AS v FROM (${sql}) ORDER BY v`)
    expect(rows.map((r) => `${r.v}:${r.d}`)).toEqual(['1:9999-12-31', '2:9999-12-30'])
  })

  it('golden-data-reader-partition-values: typed partition values, "null" string, all-null partition', async () => {
    const sql = await scanSql(await snapshotOf(tableRoot('golden-data-reader-partition-values')), session)
    const rows = await session.query(`SELECT value, as_int, as_boolean, as_string_lit_null, CAST(as_date AS VARCHAR) AS d, epoch_ms(as_timestamp) AS ts, CAST(as_big_decimal AS VARCHAR) AS dec FROM (${sql}) ORDER BY value`)
    expect(rows.map((r) => [r.value, r.as_int, r.as_boolean, r.as_string_lit_null, r.d, r.ts === null ? null : Number(r.ts), r.dec])).toEqual([
      ['0', 0, true, 'null', '2021-09-08', Date.UTC(2021, 8, 8, 11, 11, 11), '0'],
      ['1', 1, false, 'null', '2021-09-08', Date.UTC(2021, 8, 8, 11, 11, 11), '1'],
      ['2', null, null, null, null, null, null]
    ])
  })
})

describe.skipIf(!available)('timestamp time travel', () => {
  it('golden-time-travel-start-start20-start40: Kernel semantics on re-applied mtimes', async () => {
    const root = await copyTable('golden-time-travel-start-start20-start40')
    const start = 1540415658000
    await setCommitMtimes(root, [start, start + 20 * 60_000, start + 40 * 60_000])
    const versionAt = async (t: number) => (await snapshotOf(root, { timestamp: t })).version
    expect(await versionAt(start)).toBe(0)
    expect(await versionAt(start + 10 * 60_000)).toBe(0)
    expect(await versionAt(start + 20 * 60_000)).toBe(1)
    expect(await versionAt(start + 40 * 60_000)).toBe(2)
    expect(await rowCount(root, { timestamp: start + 30 * 60_000 })).toBe(20)
    await expectDeltaError(snapshotOf(root, { timestamp: start + 50 * 60_000 }), 'TIMESTAMP_OUT_OF_RANGE', /after the latest commit.*2018-10-24T21:14:18.000Z \(version 0\) to 2018-10-24T21:54:18.000Z \(version 2\)/)
    await expectDeltaError(snapshotOf(root, { timestamp: start - 1 }), 'TIMESTAMP_OUT_OF_RANGE', /before the earliest/)
    expect((await commitTimestamps(new LogStore(root), session)).map((c) => c.timestamp)).toEqual([start, start + 20 * 60_000, start + 40 * 60_000])
  })

  it('monotonizes mtimes that go backwards, as Spark does', async () => {
    const root = await copyTable('golden-time-travel-start-start20-start40')
    const start = 1540415658000
    await setCommitMtimes(root, [start, start - 5000, start + 60_000])
    expect((await commitTimestamps(new LogStore(root), session)).map((c) => c.timestamp)).toEqual([start, start + 1, start + 60_000])
    expect((await snapshotOf(root, { timestamp: start + 1 })).version).toBe(1)
  })

  it('drs-simple_table: delta-rs timestamps inside the history resolve alike; outside it is an error here', async () => {
    const root = await copyTable('drs-simple_table')
    await setCommitMtimes(root, [1588398451, 1588484851, 1588571251, 1588657651, 1588744051].map((s) => s * 1000))
    expect((await snapshotOf(root, { timestamp: Date.parse('2020-05-02T22:47:31-07:00') })).version).toBe(1)
    expect((await snapshotOf(root, { timestamp: 1588744051000 })).version).toBe(4)
    expect(await column(root, 'id', { timestamp: 1588744051000 })).toEqual([5, 7, 9])
    // delta-rs answers v0 / latest here; Spark and Kernel (and this reader) refuse times outside the history.
    await expectDeltaError(snapshotOf(root, { timestamp: Date.parse('2020-05-01T00:47:31-07:00') }), 'TIMESTAMP_OUT_OF_RANGE', /before the earliest/)
    await expectDeltaError(snapshotOf(root, { timestamp: Date.parse('2020-05-25T22:47:31-07:00') }), 'TIMESTAMP_OUT_OF_RANGE', /after the latest/)
  })

  it('drs-cdc_ict_table: in-commit timestamps, not mtimes or commitInfo.timestamp', async () => {
    const root = await copyTable('drs-cdc_ict_table')
    await setCommitMtimes(root, [1, 2, 3, 4].map((s) => 1_000_000_000_000 + s))
    const ict = [1783874203271, 1683874206883, 1783874212175, 1783874213881]
    expect((await commitTimestamps(new LogStore(root), session)).map((c) => c.timestamp)).toEqual(ict)
    expect((await snapshotOf(root, { version: 2 })).timestamp).toBe(ict[2])
    expect((await snapshotOf(root, { timestamp: ict[3]! })).version).toBe(3)
    expect((await snapshotOf(root, { timestamp: ict[3]! - 1 })).version).toBe(2)
    expect((await snapshotOf(root, { timestamp: Date.parse('2026-07-11T16:36:53.881Z') })).version).toBe(1)
    expect((await snapshotOf(root, { timestamp: ict[1]! })).version).toBe(1)
    expect(await rowCount(root, { timestamp: ict[2]! })).toBe(2)
    await expectDeltaError(snapshotOf(root, { timestamp: ict[1]! - 1 }), 'TIMESTAMP_OUT_OF_RANGE', /before the earliest/)
    await expectDeltaError(snapshotOf(root, { timestamp: ict[3]! + 1 }), 'TIMESTAMP_OUT_OF_RANGE', /after the latest/)
  })
})

describe.skipIf(!available)('damaged logs', () => {
  it('ignores a corrupt, stale or missing _last_checkpoint', async () => {
    const root = await copyTable('dat-with_checkpoint')
    const hint = path.join(root, '_delta_log', '_last_checkpoint')
    await fs.writeFile(hint, '{"version":2,"si')
    expect(await rowCount(root)).toBe(5)
    await fs.writeFile(hint, '{"version":99,"size":3}')
    expect(await rowCount(root)).toBe(5)
    await fs.writeFile(hint, '{"version":0,"size":3}')
    expect(await rowCount(root)).toBe(5)
    await fs.rm(hint)
    expect(await rowCount(root)).toBe(5)
  })

  it('falls back to JSON replay when the only checkpoint is empty and history exists', async () => {
    const root = await copyTable('dat-with_checkpoint')
    await fs.writeFile(path.join(root, '_delta_log', '00000000000000000002.checkpoint.parquet'), '')
    expect(await rowCount(root)).toBe(5)
    expect(await rowCount(root, { version: 2 })).toBe(await rowCount(tableRoot('dat-with_checkpoint'), { version: 2 }))
  })

  it('falls back to an older checkpoint when the newest is garbage', async () => {
    const root = await copyTable('kernel-basic-dv-with-checkpoint')
    await fs.writeFile(path.join(root, '_delta_log', '00000000000000000040.checkpoint.parquet'), 'not a parquet file at all')
    // Without commits 0..29 a full replay is impossible: only checkpoint 30 + commits 31..46 can rebuild the latest.
    for (let v = 0; v < 30; v++) await fs.rm(path.join(root, '_delta_log', commitFileName(v)))
    expect(await rowCount(root)).toBe(454)
    // With commits 31..39 gone too, the damaged checkpoint 40 was the only way: a named error, not a guess.
    for (let v = 31; v < 40; v++) await fs.rm(path.join(root, '_delta_log', commitFileName(v)))
    await expectDeltaError(snapshotOf(root), 'CORRUPT_LOG', /00000000000000000040\.checkpoint\.parquet is unreadable/)
  })

  it('names the checkpoint when it is garbage and no older history remains', async () => {
    const root = await copyTable('dat-no_replay')
    await fs.writeFile(path.join(root, '_delta_log', '00000000000000000002.checkpoint.parquet'), 'garbage')
    await expectDeltaError(snapshotOf(root), 'CORRUPT_LOG', /00000000000000000002\.checkpoint\.parquet/)
  })

  it('reports a truncated last line of the latest commit as CORRUPT_LOG naming the file', async () => {
    const root = await copyTable('golden-time-travel-start-start20-start40')
    const file = path.join(root, '_delta_log', commitFileName(2))
    const text = await fs.readFile(file, 'utf8')
    await fs.writeFile(file, text.trimEnd().slice(0, -25))
    const error = await expectDeltaError(snapshotOf(root), 'CORRUPT_LOG', /00000000000000000002\.json: line \d+ is not valid JSON/)
    expect(error.detail.file).toBe(commitFileName(2))
    expect(await rowCount(root, { version: 1 })).toBe(20)
  })

  it('reports a missing commit as LOG_GAP naming it', async () => {
    const root = await copyTable('golden-basic-with-inserts-deletes-checkpoint')
    await fs.rm(path.join(root, '_delta_log', commitFileName(12)))
    await expectDeltaError(snapshotOf(root), 'LOG_GAP', /00000000000000000012\.json is missing/)
    expect((await snapshotOf(root, { version: 11 })).version).toBe(11)
    await fs.rm(path.join(root, '_delta_log', commitFileName(3)))
    await expectDeltaError(snapshotOf(root, { version: 5 }), 'LOG_GAP', /00000000000000000003\.json is missing/)
  })

  it('ignores an incomplete multi-part checkpoint', async () => {
    const root = await copyTable('golden-multi-part-checkpoint')
    await fs.rm(path.join(root, '_delta_log', '00000000000000000001.checkpoint.0000000002.0000000002.parquet'))
    expect(await rowCount(root)).toBe(31)
  })

  it('falls back from a v2 checkpoint whose sidecar is missing', async () => {
    const root = await copyTable('drs-checkpoint-v2-table')
    const sidecars = path.join(root, '_delta_log', '_sidecars')
    for (const f of await fs.readdir(sidecars)) if (f.startsWith('00000000000000000008')) await fs.rm(path.join(sidecars, f))
    expect(await rowCount(root)).toBe(await rowCount(tableRoot('drs-checkpoint-v2-table')))
  })

  it('refuses unknown reader features and reader versions by name', async () => {
    const root = await copyTable('drs-table-with-dv-small')
    const commit = (protocol: object) => fs.writeFile(path.join(root, '_delta_log', commitFileName(2)), `${JSON.stringify({ protocol })}\n`)
    await commit({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors', 'futureFeature'], writerFeatures: ['deletionVectors', 'futureFeature'] })
    const error = await expectDeltaError(snapshotOf(root), 'UNSUPPORTED_FEATURE', /futureFeature/)
    expect(error.detail.features).toEqual(['futureFeature'])
    await commit({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['variantType'], writerFeatures: ['variantType'] })
    await expectDeltaError(snapshotOf(root), 'UNSUPPORTED_FEATURE', /variantType/)
    await commit({ minReaderVersion: 4, minWriterVersion: 7 })
    await expectDeltaError(snapshotOf(root), 'UNSUPPORTED_FEATURE', /reader version 4/)
    expect(await rowCount(root, { version: 1 })).toBe(8)
  })

  it('reports a folder without a log as TABLE_NOT_FOUND', async () => {
    await expectDeltaError(snapshotOf(path.join(scratch, 'nothing-here')), 'TABLE_NOT_FOUND')
  })
})
