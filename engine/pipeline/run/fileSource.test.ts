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
