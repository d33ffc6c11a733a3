// Tests for deletion-vector files: locating 'u' vectors, reading with size/CRC checks, and refusing damaged ones.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { DeletionVectorDescriptor } from './actions'
import { deletionVectorFile, dvUniqueId, readDeletedRows } from './deletionVectors'

const corpusTable = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/delta-conformance/tables/drs-table-with-dv-small')
const hasCorpus = await fs.stat(corpusTable).then(() => true, () => false)
const descriptor: DeletionVectorDescriptor = { storageType: 'u', pathOrInlineDv: 'vBn[lx{q8@P<9BNH/isA', offset: 1, sizeInBytes: 36, cardinality: 2 }

describe('deletion vectors', () => {
  it('builds unique ids with and without offsets', () => {
    expect(dvUniqueId(descriptor)).toBe('uvBn[lx{q8@P<9BNH/isA@1')
    expect(dvUniqueId({ ...descriptor, storageType: 'i', offset: null })).toBe('ivBn[lx{q8@P<9BNH/isA')
    expect(dvUniqueId(null)).toBe('')
  })

  it('locates u vectors with and without a directory prefix', () => {
    expect(deletionVectorFile('/t', descriptor)).toBe('/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin')
    expect(deletionVectorFile('/t', { ...descriptor, pathOrInlineDv: 'ab' + descriptor.pathOrInlineDv })).toBe('/t/ab/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin')
  })

  it.skipIf(!hasCorpus)('reads the Spark-written vector of drs-table-with-dv-small (rows 0 and 9)', async () => {
    expect(await readDeletedRows(corpusTable, descriptor, 'part-00000.parquet')).toEqual([0, 9])
  })

  it.skipIf(!hasCorpus)('refuses a vector whose CRC, size or file does not match', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-dv-'))
    try {
      const name = 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin'
      const bytes = Buffer.from(await fs.readFile(path.join(corpusTable, name)))
      bytes[bytes.length - 6]! ^= 0xff
      await fs.writeFile(path.join(root, name), bytes)
      await expect(readDeletedRows(root, descriptor, 'part-0.parquet')).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringMatching(/CRC-32.*part-0\.parquet|part-0\.parquet.*CRC-32/) })
      await expect(readDeletedRows(root, { ...descriptor, sizeInBytes: 30 }, 'part-0.parquet')).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringMatching(/stores 36 bytes/) })
      await expect(readDeletedRows(path.join(root, 'nowhere'), descriptor, 'part-0.parquet')).rejects.toMatchObject({ code: 'CORRUPT_LOG', message: expect.stringMatching(/cannot be opened/) })
    } finally {
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})
