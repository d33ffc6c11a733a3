import { afterAll, describe, expect, it } from 'vitest'
import { DuckdbSession } from '../../sql/duckdbSession'
import type { FileSource } from '../model'
import { listSourceFiles, stageFileSource } from './fileSource'
import { createTestLakehouse, removeTestLakehouses } from './testPipelineLakehouse'

function source(path: string, format: string, options: Record<string, string> = {}, fn: FileSource['function'] = 'read_files'): FileSource {
  return { function: fn, path, format, options, streaming: true, span: { start: 0, end: 0 }, location: { file: 'p.sql', line: 1, column: 1 } }
}

afterAll(removeTestLakehouses)

describe('listSourceFiles', () => {
  it('lists a folder recursively without hidden or _-prefixed files, and filters globs', async () => {
    const lakehouse = await createTestLakehouse({
      'landing/a/2024/x.csv': 'a\n1\n', 'landing/a/2024/y.json': '{}\n', 'landing/a/_SUCCESS': '', 'landing/a/.tmp.csv': 'a\n', 'landing/a/z.csv': 'a\n2\n'
    })
    expect((await listSourceFiles(lakehouse.root, source('landing/a', 'csv'))).map((f) => f.path)).toEqual(['landing/a/2024/x.csv', 'landing/a/2024/y.json', 'landing/a/z.csv'])
    expect((await listSourceFiles(lakehouse.root, source('landing/a/*/*.csv', 'csv'))).map((f) => f.path)).toEqual(['landing/a/2024/x.csv'])
    expect(await listSourceFiles(lakehouse.root, source('landing/missing', 'csv'))).toEqual([])
  })
})

describe('stageFileSource', () => {
  it('reads cloud_files CSV as strings unless column types are inferred, headerless columns as _c0..', async () => {
    const lakehouse = await createTestLakehouse({ 'landing/n/a.csv': '1,x\n2,y\n' })
    const session = await DuckdbSession.create({ threads: 1 })
    try {
      const files = await listSourceFiles(lakehouse.root, source('landing/n', 'csv'))
      const asText = await stageFileSource(session, lakehouse.root, source('landing/n', 'csv', {}, 'cloud_files'), files)
      expect(asText.schema).toEqual([{ name: '_c0', type: 'VARCHAR' }, { name: '_c1', type: 'VARCHAR' }])
      const typed = await stageFileSource(session, lakehouse.root, source('landing/n', 'csv', { 'cloudFiles.inferColumnTypes': 'true' }, 'cloud_files'), files)
      expect(typed.schema[0]).toEqual({ name: '_c0', type: 'BIGINT' })
      expect(await session.query(`SELECT _c0, _metadata.file_name AS f FROM ${typed.relation} ORDER BY _c0`)).toEqual([{ _c0: 1n, f: 'a.csv' }, { _c0: 2n, f: 'a.csv' }])
    } finally {
      session.close()
    }
  })
})

describe('stageFileSource CSV without the sniffer', () => {
  it('keeps every row of a file with a ragged row: the extra field and values that do not fit go to _rescued_data', async () => {
    // One row wider than the header used to make the sniffer take that row as the header: the file read as zero rows.
    const lakehouse = await createTestLakehouse({
      'landing/u/u1.csv': 'user_id,name,age,signup\n1,ann,34,2026-01-01\n2,bob,notanumber,2026-01-02\n\n3,"c, id",29,bad-date\n4,dan,41,2026-01-04,extra\n5,eve\n'
    })
    const session = await DuckdbSession.create({ threads: 1 })
    try {
      const src = source('landing/u', 'csv', { header: 'true', schema: 'user_id INT, name STRING, age INT, signup DATE' })
      const staged = await stageFileSource(session, lakehouse.root, src, await listSourceFiles(lakehouse.root, src))
      expect(staged.rowCount).toBe(5)
      const rows = await session.query(`SELECT user_id, name, age, CAST(signup AS VARCHAR) AS signup, _rescued_data AS r FROM ${staged.relation} ORDER BY user_id`)
      expect(rows.map((r) => [r.user_id, r.name, r.age, r.signup])).toEqual([[1, 'ann', 34, '2026-01-01'], [2, 'bob', null, '2026-01-02'], [3, 'c, id', 29, null], [4, 'dan', 41, '2026-01-04'], [5, 'eve', null, null]])
      const rescued = rows.map((r) => (r.r === null ? null : JSON.parse(String(r.r)) as Record<string, string>))
      expect(rescued[0]).toBeNull()
      expect(rescued[1]).toMatchObject({ age: 'notanumber', _file_path: 'landing/u/u1.csv' })
      expect(rescued[2]).toMatchObject({ signup: 'bad-date' })
      expect(rescued[3]).toMatchObject({ _c4: 'extra' })
      expect(rescued[4]).toBeNull()
    } finally {
      session.close()
    }
  })

  it('infers types from the values of every file, by header name', async () => {
    const lakehouse = await createTestLakehouse({ 'landing/t/a.csv': 'id,price,ok,day,at,note\n1,2.5,true,2026-01-02,2026-01-02 10:00:00,x\n', 'landing/t/b.csv': 'id,price,ok,day,at,note\n2,3,false,2026-01-03,2026-01-03T11:00:00,7\n' })
    const session = await DuckdbSession.create({ threads: 1 })
    try {
      const src = source('landing/t', 'csv', { header: 'true' })
      const staged = await stageFileSource(session, lakehouse.root, src, await listSourceFiles(lakehouse.root, src))
      expect(staged.schema).toEqual([
        { name: 'id', type: 'BIGINT' }, { name: 'price', type: 'DOUBLE' }, { name: 'ok', type: 'BOOLEAN' }, { name: 'day', type: 'DATE' }, { name: 'at', type: 'TIMESTAMP' }, { name: 'note', type: 'VARCHAR' }
      ])
      expect(staged.rowCount).toBe(2)
    } finally {
      session.close()
    }
  })
})
