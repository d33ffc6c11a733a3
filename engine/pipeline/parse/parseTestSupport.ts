// Helpers for the parser tests: locations computed independently of the parser, and parsing that must not fail.
import { expect } from 'vitest'
import type { SourceLocation } from '../model'
import { parsePipelineSql, type ParsedPipelineSql } from './parsePipeline'

/** The file location of an offset in `text`. */
export function locationAt(file: string, text: string, offset: number): SourceLocation {
  const before = text.slice(0, offset)
  return { file, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
}

/** Where the `occurrence`-th `needle` starts in `text`. */
export function locationOf(file: string, text: string, needle: string, occurrence = 1): SourceLocation {
  let at = -1
  for (let k = 0; k < occurrence; k++) {
    at = text.indexOf(needle, at + 1)
    if (at < 0) throw new Error(`${needle} not in test SQL`)
  }
  return locationAt(file, text, at)
}

/** Parses `sql` as `file` and asserts it gave no error diagnostics. */
export function parseClean(file: string, sql: string, configuration?: Record<string, string>): ParsedPipelineSql {
  const result = parsePipelineSql(sql, file, { configuration })
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return result
}
