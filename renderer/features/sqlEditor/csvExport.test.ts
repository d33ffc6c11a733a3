// Tests for CSV export of Arrow results.
import { tableFromArrays, tableFromIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { tableToCsv } from './csvExport'

describe('tableToCsv', () => {
  it('writes a header and quotes fields with commas, quotes and newlines; NULL is empty', () => {
    const table = tableFromArrays({ id: BigInt64Array.from([1n, 9007199254740993n, 3n]), note: ['plain', 'a,"b"', null as unknown as string] })
    expect(tableToCsv(table)).toBe('id,note\r\n1,plain\r\n9007199254740993,"a,""b"""\r\n3,\r\n')
  })

  it('exports a result that crossed the engine boundary', async () => {
    const [result] = await createFakeEngine().sql.execute({ sql: 'SELECT * FROM silver.workouts VERSION AS OF 0' })
    const csv = tableToCsv(tableFromIPC(result!.arrow))
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['id,minutes,sport', '1,30,run'])
    expect(csv.split('\r\n')).toHaveLength(5)
  })
})
