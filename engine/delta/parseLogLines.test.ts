// Tests for commit-file parsing: blank lines, line numbers in errors, unknown and multi-key lines, skipped commitInfo.
import { describe, expect, it } from 'vitest'
import { parseLogLines } from './parseLogLines'

describe('parseLogLines', () => {
  it('parses one action per line, skipping blank lines and dropping unknown kinds', () => {
    const text = '\n{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\r\n   \n  {"txn":{"appId":"a","version":3}}\n{"futureAction":{"x":1}}\n'
    expect(parseLogLines(text, 'f.json', false)).toEqual([
      { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
      { txn: { appId: 'a', version: 3 } }
    ])
  })

  it('takes the first known key of a line with several, and drops a known kind whose value is not an object', () => {
    const text = '{"unknown":1,"remove":{"path":"r"},"add":{"path":"a"}}\n{"add":null}\n{"add":{"path":"b"}}'
    expect(parseLogLines(text, 'f.json', false)).toEqual([{ remove: { path: 'r' } }, { add: { path: 'b' } }])
  })

  it('skips commitInfo lines only when asked', () => {
    const text = '{"commitInfo":{"operation":"WRITE"}}\n{"add":{"path":"a"}}\n'
    expect(parseLogLines(text, 'f.json', true)).toEqual([{ add: { path: 'a' } }])
    expect(parseLogLines(text, 'f.json', false)).toEqual([{ commitInfo: { operation: 'WRITE' } }, { add: { path: 'a' } }])
  })

  it('names the file and the line of a damaged line, counting blank lines', () => {
    expect(() => parseLogLines('{"add":{"path":"a"}}\n\n{"add":{"pa', '00000000000000000007.json', false)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_LOG', message: expect.stringContaining('00000000000000000007.json: line 3 is not valid JSON') })
    )
    expect(() => parseLogLines('[1,2]\n', 'f.json', false)).toThrow(expect.objectContaining({ code: 'CORRUPT_LOG', message: expect.stringContaining('line 1 is not a JSON object') }))
    expect(() => parseLogLines(' \n\n', 'f.json', false)).toThrow(expect.objectContaining({ code: 'CORRUPT_LOG', message: expect.stringContaining('f.json is empty') }))
    expect(() => parseLogLines('', 'f.json', false)).toThrow(expect.objectContaining({ code: 'CORRUPT_LOG' }))
  })
})
