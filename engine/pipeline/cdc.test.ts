import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../delta/deltaTable'
import { sqlString } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import { DuckdbSession } from '../sql/duckdbSession'
import { applyCdc, cdcStatePath, type CdcContext } from './cdc'
import type { CdcSpec } from './model'

type Row = [id: number, name: string | null, city: string | null, op: string, seq: number]

/** A change query over literal rows: id, name, city, op ('UPSERT' | 'DELETE' | 'TRUNCATE'), seq. */
function changes(rows: Row[]): string {
  const lit = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : sqlString(String(v)))
  const body = rows.map((r) => `(${r.map(lit).join(', ')})`).join(', ')
  return `SELECT CAST(id AS BIGINT) AS id, CAST(name AS VARCHAR) AS name, CAST(city AS VARCHAR) AS city, CAST(op AS VARCHAR) AS op, CAST(seq AS BIGINT) AS seq
    FROM (VALUES ${body}) AS t(id, name, city, op, seq)`
}

function spec(overrides: Partial<CdcSpec> = {}): CdcSpec {
  return {
    source: { name: 'changes', written: 'changes', streaming: true, span: { start: 0, end: 0 }, location: { file: 'cdc.sql', line: 1, column: 1 } },
    keys: ['id'],
    sequenceBy: 'seq',
    applyAsDeleteWhen: "op = 'DELETE'",
    columns: { except: ['op'] },
    scdType: 1,
    ignoreNullUpdates: false,
    ...overrides
  }
}

describe('applyCdc', () => {
  let port: DuckdbSession
  let dir: string
  let ctx: CdcContext
  let n = 0
  const fresh = () => path.join(dir, `t${n++}`)

  /** Applies each batch with txn version = its index, returning the metrics of each. */
  const run = async (root: string, s: CdcSpec, batches: Row[][], appId = 'p/flow') => {
    const out = []
    for (const [i, b] of batches.entries()) out.push(await applyCdc(ctx, root, changes(b), s, { txn: { appId, version: i } }))
    return out
  }
  const rows = async (root: string, order = 'id') => {
    const table = await DeltaTable.open(root, port)
    return port.query(`SELECT * FROM (${await scanSql(await table.snapshot(), port)}) ORDER BY ${order}`)
  }
  const scd2Rows = async (root: string) =>
    (await rows(root, 'id, "__START_AT"')).map((r) => [Number(r.id), r.name, r.city, Number(r.__START_AT), r.__END_AT === null ? null : Number(r.__END_AT)])

  beforeAll(async () => {
    port = await DuckdbSession.create({ threads: 1 })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-cdc-'))
    ctx = { port, clock: { now: () => Date.now() } }
  })
  afterAll(async () => {
    port.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  describe('SCD type 1', () => {
    const cases: { name: string; spec?: Partial<CdcSpec>; batches: Row[][]; expected: [number, string | null, string | null][] }[] = [
      {
        name: 'the greatest sequence per key wins, within and across batches',
        batches: [
          [[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1], [1, 'Ann', 'Bergen', 'UPSERT', 3], [1, 'Ann', 'Paris', 'UPSERT', 2]],
          [[2, 'Bob', 'Milan', 'UPSERT', 5]]
        ],
        expected: [[1, 'Ann', 'Bergen'], [2, 'Bob', 'Milan']]
      },
      {
        name: 'a later batch with a lower sequence than the target holds is ignored',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 5]], [[1, 'Ann', 'Stale', 'UPSERT', 4]]],
        expected: [[1, 'Ann', 'Oslo']]
      },
      {
        name: 'a delete removes the key and its tombstone blocks an older late upsert',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1]], [[1, null, null, 'DELETE', 5]], [[1, 'Ann', 'Late', 'UPSERT', 4]]],
        expected: [[2, 'Bob', 'Rome']]
      },
      {
        name: 'a delete of a never-seen key still blocks an older late upsert',
        batches: [[[7, null, null, 'DELETE', 9]], [[7, 'Gus', 'Late', 'UPSERT', 3], [8, 'Hal', 'Oslo', 'UPSERT', 1]]],
        expected: [[8, 'Hal', 'Oslo']]
      },
      {
        name: 'an upsert newer than the delete re-inserts the key',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, null, null, 'DELETE', 2], [1, 'Ann', 'Back', 'UPSERT', 3]]],
        expected: [[1, 'Ann', 'Back']]
      },
      {
        name: 'IGNORE NULL UPDATES keeps existing values where the change has NULL (not across a delete)',
        spec: { ignoreNullUpdates: true },
        batches: [
          [[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1]],
          [[1, null, 'Bergen', 'UPSERT', 2], [1, 'Anne', null, 'UPSERT', 3], [2, null, null, 'DELETE', 2], [2, 'Bo', null, 'UPSERT', 3]]
        ],
        expected: [[1, 'Anne', 'Bergen'], [2, 'Bo', null]]
      },
      {
        name: 'without IGNORE NULL UPDATES a NULL replaces the value',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, null, 'Bergen', 'UPSERT', 2]]],
        expected: [[1, null, 'Bergen']]
      },
      {
        name: 'APPLY AS TRUNCATE WHEN empties the table at its sequence; later changes apply after it',
        spec: { applyAsTruncateWhen: "op = 'TRUNCATE'" },
        batches: [
          [[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1]],
          [[3, 'Cy', 'Nice', 'UPSERT', 4], [0, null, null, 'TRUNCATE', 5], [4, 'Di', 'Lyon', 'UPSERT', 6]]
        ],
        expected: [[4, 'Di', 'Lyon']]
      }
    ]
    for (const c of cases) {
      it(c.name, async () => {
        const root = fresh()
        await run(root, spec(c.spec), c.batches)
        expect((await rows(root)).map((r) => [Number(r.id), r.name, r.city])).toEqual(c.expected)
      })
    }

    it('reports what it applied, ignored and deduplicated', async () => {
      const root = fresh()
      const [first, second] = await run(root, spec(), [
        [[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 2], [2, null, null, 'DELETE', 3]],
        [[1, 'Ann', 'Old', 'UPSERT', 0], [2, 'Bob', 'Again', 'UPSERT', 3], [3, 'Cy', 'Nice', 'UPSERT', 1]]
      ])
      expect(first).toMatchObject({ rowsIn: 4, upserted: 2, deleted: 1, duplicates: 1, ignoredOutOfOrder: 0, rowsWritten: 1, truncated: false, skipped: false })
      // Key 2 was deleted at 3: an upsert at 3 repeats a known sequence.
      expect(second).toMatchObject({ rowsIn: 3, upserted: 1, deleted: 0, duplicates: 1, ignoredOutOfOrder: 1, rowsWritten: 1 })
    })

    it('creates the target from the change columns minus COLUMNS * EXCEPT, or keeps only COLUMNS a, b', async () => {
      const except = fresh()
      await run(except, spec({ columns: { except: ['op', 'seq'] } }), [[[1, 'Ann', 'Oslo', 'UPSERT', 1]]])
      const exceptSchema = (await (await DeltaTable.open(except, port)).snapshot()).schema
      expect(exceptSchema.fields.map((f) => [f.name, f.type])).toEqual([['id', 'long'], ['name', 'string'], ['city', 'string']])
      const include = fresh()
      await run(include, spec({ columns: { include: ['name'] } }), [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, 'Ann', 'Bergen', 'UPSERT', 0]]])
      expect(await rows(include)).toEqual([{ id: 1n, name: 'Ann' }])
    })

    it('commits the target once per batch with the txn, and a repeated txn is a no-op', async () => {
      const root = fresh()
      const batch: Row[] = [[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1]]
      const first = await applyCdc(ctx, root, changes(batch), spec(), { txn: { appId: 'p/users', version: 7 } })
      const again = await applyCdc(ctx, root, changes([[1, 'Ann', 'Changed', 'UPSERT', 2]]), spec(), { txn: { appId: 'p/users', version: 7 } })
      expect(first.version).toBe(1)
      expect(again).toMatchObject({ skipped: true, version: null })
      const table = await DeltaTable.open(root, port)
      const snapshot = await table.snapshot()
      expect(snapshot.version).toBe(1)
      expect(snapshot.txns.get('p/users')?.version).toBe(7)
      expect((await table.history()).map((h) => h.operation)).toEqual(['MERGE', 'CREATE TABLE'])
      expect((await rows(root)).map((r) => r.city)).toEqual(['Oslo', 'Rome'])
    })

    it('records the merge keys, not the internal key relation, as the MERGE commit predicate', async () => {
      const root = fresh()
      await run(root, spec({ keys: ['id', 'city'] }), [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, 'Ann B', 'Oslo', 'UPSERT', 2]]])
      const merge = (await (await DeltaTable.open(root, port)).history()).find((h) => h.operation === 'MERGE' && h.version === 2)!
      const predicate = JSON.parse(String(merge.operationParameters.predicate)) as string[]
      expect(predicate).toEqual(['(target."id" = source."id" AND target."city" = source."city")'])
      expect(JSON.stringify(merge.operationParameters)).not.toMatch(/__lakebench|touched_keys/)
    })

    it('rewrites only the rows of touched keys and leaves other files alone', async () => {
      const root = fresh()
      await run(root, spec(), [
        Array.from({ length: 50 }, (_, i): Row => [i, `n${i}`, 'Oslo', 'UPSERT', 1]),
        [[3, 'n3', 'Bergen', 'UPSERT', 2], [60, 'new', 'Rome', 'UPSERT', 1]]
      ])
      const all = await rows(root)
      expect(all).toHaveLength(51)
      expect(all.filter((r) => r.city !== 'Oslo').map((r) => Number(r.id))).toEqual([3, 60])
    })

    it('converges after a crash between the state commit and the target commit', async () => {
      const clean = fresh()
      const crashed = fresh()
      const batches: Row[][] = [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 1]], [[1, 'Ann', 'Bergen', 'UPSERT', 2], [2, null, null, 'DELETE', 2]]]
      await run(clean, spec(), batches)
      await run(crashed, spec(), batches)
      // Undo the last target commit: the state has batch 1, the target does not (as if the process died in between).
      const log = path.join(crashed, '_delta_log')
      const last = (await fs.readdir(log)).filter((f) => f.endsWith('.json')).sort().at(-1)!
      await fs.rm(path.join(log, last))
      expect((await rows(crashed)).map((r) => r.city)).toEqual(['Oslo', 'Rome'])
      const rerun = await applyCdc(ctx, crashed, changes(batches[1]!), spec(), { txn: { appId: 'p/flow', version: 1 } })
      expect(rerun.version).not.toBeNull()
      expect(await rows(crashed)).toEqual(await rows(clean))
    })

    it('keeps its state in a hidden table inside the target folder', async () => {
      const root = fresh()
      await run(root, spec(), [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, null, null, 'DELETE', 4]]])
      const state = await DeltaTable.open(cdcStatePath(root), port)
      const stateRows = await port.query(`SELECT id, __lakebench_seq AS seq, __lakebench_delete AS deleted FROM (${await scanSql(await state.snapshot(), port)}) ORDER BY id`)
      expect(stateRows).toEqual([{ id: 1n, seq: 1n, deleted: false }, { id: 2n, seq: 4n, deleted: true }])
    })

    it('moves a row between partitions of a partitioned target and honours a schema hint', async () => {
      const root = fresh()
      const schemaHint = { type: 'struct' as const, fields: [
        { name: 'id', type: 'long', nullable: false, metadata: {} }, { name: 'name', type: 'string', nullable: true, metadata: {} },
        { name: 'city', type: 'string', nullable: true, metadata: { comment: 'home town' } }, { name: 'seq', type: 'integer', nullable: true, metadata: {} }
      ] }
      const s = spec()
      for (const [i, b] of ([[[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Oslo', 'UPSERT', 1]], [[1, 'Ann', 'Bergen', 'UPSERT', 2]]] as Row[][]).entries()) {
        await applyCdc(ctx, root, changes(b), s, { txn: { appId: 'p/part', version: i }, targetSpec: { partitionColumns: ['city'], properties: { quality: 'silver' }, schemaHint } })
      }
      const snapshot = await (await DeltaTable.open(root, port)).snapshot()
      expect(snapshot.partitionColumns).toEqual(['city'])
      expect(snapshot.metadata.configuration.quality).toBe('silver')
      expect(snapshot.schema.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([['id', 'long', false], ['name', 'string', true], ['city', 'string', true], ['seq', 'integer', true]])
      expect(snapshot.files.map((f) => f.partitionValues.city).sort()).toEqual(['Bergen', 'Oslo'])
      expect((await rows(root)).map((r) => [Number(r.id), r.city, r.seq])).toEqual([[1, 'Bergen', 2], [2, 'Oslo', 1]])
    })

    it('orders by a struct sequence (SEQUENCE BY struct(seq, sub)) field by field', async () => {
      const root = fresh()
      const s = spec({ sequenceBy: 'struct_pack(major := seq, minor := length(city))', scdType: 2, columns: { except: ['op', 'seq'] } })
      await run(root, s, [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Bergen', 'UPSERT', 1], [1, 'Ann', 'Rome', 'UPSERT', 0]]])
      const schema = (await (await DeltaTable.open(root, port)).snapshot()).schema
      expect(schema.fields.find((f) => f.name === '__START_AT')?.type).toEqual({ type: 'struct', fields: [
        { name: 'major', type: 'long', nullable: true, metadata: {} }, { name: 'minor', type: 'long', nullable: true, metadata: {} }
      ] })
      expect((await rows(root, '"__START_AT"')).map((r) => [r.city, r.__START_AT, r.__END_AT])).toEqual([
        ['Rome', { major: 0n, minor: 4n }, { major: 1n, minor: 4n }],
        ['Oslo', { major: 1n, minor: 4n }, { major: 1n, minor: 6n }],
        ['Bergen', { major: 1n, minor: 6n }, null]
      ])
    })

    it('rejects unknown key columns, NULL sequences and TRUNCATE with SCD2, naming them', async () => {
      await expect(applyCdc(ctx, fresh(), changes([[1, 'a', 'b', 'UPSERT', 1]]), spec({ keys: ['user_id'] }), { txn: { appId: 'x', version: 0 } }))
        .rejects.toThrow(/KEYS column 'user_id' is not a column of the change source/)
      await expect(applyCdc(ctx, fresh(), changes([[1, 'a', 'b', 'UPSERT', 1]]), spec({ sequenceBy: 'CAST(NULL AS BIGINT)' }), { txn: { appId: 'x', version: 0 } }))
        .rejects.toThrow(/1 change row\(s\) have a NULL SEQUENCE BY value/)
      await expect(applyCdc(ctx, fresh(), changes([[1, 'a', 'b', 'UPSERT', 1]]), spec({ scdType: 2, applyAsTruncateWhen: 'false' }), { txn: { appId: 'x', version: 0 } }))
        .rejects.toThrow(/only supported with STORED AS SCD TYPE 1/)
    })
  })

  describe('SCD type 2', () => {
    const scd2 = (o: Partial<CdcSpec> = {}) => spec({ scdType: 2, columns: { except: ['op', 'seq'] }, ...o })
    const cases: { name: string; spec?: Partial<CdcSpec>; batches: Row[][]; expected: unknown[][] }[] = [
      {
        name: 'each change closes the current version and opens the next; a delete only closes',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Bergen', 'UPSERT', 3]], [[1, 'Ann', 'Rome', 'UPSERT', 6], [1, null, null, 'DELETE', 8]]],
        expected: [[1, 'Ann', 'Oslo', 1, 3], [1, 'Ann', 'Bergen', 3, 6], [1, 'Ann', 'Rome', 6, 8]]
      },
      {
        name: 'an out-of-order change is inserted into history at its sequence',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Rome', 'UPSERT', 5]], [[1, 'Ann', 'Bergen', 'UPSERT', 3]]],
        expected: [[1, 'Ann', 'Oslo', 1, 3], [1, 'Ann', 'Bergen', 3, 5], [1, 'Ann', 'Rome', 5, null]]
      },
      {
        name: 'a late change older than a delete lands before the delete; a re-insert opens a new chain',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, null, null, 'DELETE', 5]], [[1, 'Ann', 'Bergen', 'UPSERT', 3], [1, 'Ann', 'Nice', 'UPSERT', 7]]],
        expected: [[1, 'Ann', 'Oslo', 1, 3], [1, 'Ann', 'Bergen', 3, 5], [1, 'Ann', 'Nice', 7, null]]
      },
      {
        name: 'repeated (key, sequence) changes count once, within and across batches',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, 'Ann', 'Oslo', 'UPSERT', 1], [2, 'Bob', 'Rome', 'UPSERT', 2]]],
        expected: [[1, 'Ann', 'Oslo', 1, null], [2, 'Bob', 'Rome', 2, null]]
      },
      {
        name: 'identical tracked values do not open a version',
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Oslo', 'UPSERT', 2], [1, 'Ann', 'Rome', 'UPSERT', 3]]],
        expected: [[1, 'Ann', 'Oslo', 1, 3], [1, 'Ann', 'Rome', 3, null]]
      },
      {
        name: 'TRACK HISTORY ON * EXCEPT (city): a city-only change updates the current version in place',
        spec: { trackHistory: { except: ['city'] } },
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, 'Ann', 'Rome', 'UPSERT', 2]], [[1, 'Anne', 'Nice', 'UPSERT', 4]]],
        expected: [[1, 'Ann', 'Rome', 1, 4], [1, 'Anne', 'Nice', 4, null]]
      },
      {
        name: 'TRACK HISTORY ON (name) is the same as excluding every other column',
        spec: { trackHistory: { include: ['name'] } },
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1], [1, 'Ann', 'Rome', 'UPSERT', 2], [2, 'Bob', 'Oslo', 'UPSERT', 1]]],
        expected: [[1, 'Ann', 'Rome', 1, null], [2, 'Bob', 'Oslo', 1, null]]
      },
      {
        name: 'IGNORE NULL UPDATES fills NULLs from the previous version',
        spec: { ignoreNullUpdates: true },
        batches: [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, null, 'Rome', 'UPSERT', 2]]],
        expected: [[1, 'Ann', 'Oslo', 1, 2], [1, 'Ann', 'Rome', 2, null]]
      }
    ]
    for (const c of cases) {
      it(c.name, async () => {
        const root = fresh()
        await run(root, scd2(c.spec), c.batches)
        expect(await scd2Rows(root)).toEqual(c.expected)
      })
    }

    it('gives __START_AT / __END_AT the sequence type and converges after a crash', async () => {
      const root = fresh()
      const clean = fresh()
      const batches: Row[][] = [[[1, 'Ann', 'Oslo', 'UPSERT', 1]], [[1, 'Ann', 'Rome', 'UPSERT', 3], [2, 'Bob', 'Oslo', 'UPSERT', 2]]]
      await run(root, scd2(), batches)
      await run(clean, scd2(), batches)
      const schema = (await (await DeltaTable.open(root, port)).snapshot()).schema
      expect(schema.fields.map((f) => [f.name, f.type])).toEqual([['id', 'long'], ['name', 'string'], ['city', 'string'], ['__START_AT', 'long'], ['__END_AT', 'long']])
      const log = path.join(root, '_delta_log')
      await fs.rm(path.join(log, (await fs.readdir(log)).filter((f) => f.endsWith('.json')).sort().at(-1)!))
      await applyCdc(ctx, root, changes(batches[1]!), scd2(), { txn: { appId: 'p/flow', version: 1 } })
      expect(await scd2Rows(root)).toEqual(await scd2Rows(clean))
    })
  })
})
