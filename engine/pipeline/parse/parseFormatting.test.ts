// Property: whitespace, comments and keyword case do not change the parsed model, and spans/locations stay exact.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePipelineSql, type ParsedPipelineSql } from './parsePipeline'

/** A pipeline as tokens; the test joins them with random separators. Upper-case words are keywords. */
const PIPELINE: string[][] = [
  ['CREATE', 'OR', 'REFRESH', 'STREAMING', 'TABLE', 'bronze.users', '(', 'user_id', 'BIGINT', 'NOT', 'NULL', 'COMMENT', "'id'", ',',
    'CONSTRAINT', '`valid id`', 'EXPECT', '(', 'user_id', 'IS', 'NOT', 'NULL', ')', 'ON', 'VIOLATION', 'DROP', 'ROW', ')',
    'PARTITIONED', 'BY', '(', 'user_id', ')', 'TBLPROPERTIES', '(', "'quality'", '=', "'bronze'", ')',
    'AS', 'SELECT', '*', 'FROM', 'STREAM', 'read_files', '(', "'landing/users'", ',', 'format', '=>', "'csv'", ')'],
  ['CREATE', 'STREAMING', 'LIVE', 'TABLE', 'logins', 'AS', 'SELECT', 'mac', ',', 'gym', 'FROM', 'cloud_files', '(', "'landing/logins'", ',', "'json'", ',',
    'map', '(', "'multiline'", ',', "'true'", ')', ')'],
  ['CREATE', 'OR', 'REFRESH', 'STREAMING', 'TABLE', 'profile'],
  ['APPLY', 'CHANGES', 'INTO', 'LIVE.profile', 'FROM', 'STREAM', '(', 'LIVE.users', ')', 'KEYS', '(', 'user_id', ')',
    'APPLY', 'AS', 'DELETE', 'WHEN', 'op', '=', "'delete'", 'SEQUENCE', 'BY', 'ts', 'COLUMNS', '*', 'EXCEPT', '(', 'op', ')', 'STORED', 'AS', 'SCD', 'TYPE', '2'],
  ['CREATE', 'MATERIALIZED', 'VIEW', 'gold.summary', 'COMMENT', "'per gym'", 'AS', 'WITH', 'g', 'AS', '(', 'SELECT', '*', 'FROM', 'live.logins', ')',
    'SELECT', 'gym', ',', 'count', '(', '*', ')', 'FROM', 'g', 'JOIN', 'bronze.users', 'u', 'ON', 'g.mac', '=', 'u.mac', 'GROUP', 'BY', 'ALL']
]

const separator = fc.oneof(
  fc.constantFrom(' ', '  ', '\n', '\n\t', ' \n  '),
  fc.constantFrom('/* note */', ' -- trailing remark\n', '\n/* multi\n line */ ')
)

function isKeyword(token: string): boolean {
  return /^[A-Z]+$/.test(token)
}

function render(tokens: string[], separators: string[], upper: boolean[]): string {
  return tokens.map((t, k) => (isKeyword(t) ? (upper[k] ? t : t.toLowerCase()) : t) + separators[k]!).join('')
}

/** The model without positions and raw text, with expressions whitespace-normalised. */
function shape(result: ParsedPipelineSql): unknown {
  return JSON.parse(
    JSON.stringify({ datasets: result.datasets, flows: result.flows, unsupported: result.unsupported }, (key, value: unknown) =>
      ['location', 'span', 'sql'].includes(key) ? undefined : typeof value === 'string' ? withoutComments(value) : value
    )
  )
}

/** Expression text is kept as written (comments included); compare it with comments and spacing removed. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*\n/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase()
}

const canonical = PIPELINE.map((s) => s.join(' ')).join(';\n')

describe('parsePipelineSql formatting invariance', () => {
  it('parses the canonical pipeline cleanly', () => {
    const r = parsePipelineSql(canonical, 'p.sql')
    expect(r.diagnostics).toEqual([])
    expect(r.datasets.map((d) => d.name)).toEqual(['bronze.users', 'logins', 'profile', 'gold.summary'])
    expect(r.flows.map((f) => [f.name, f.kind])).toEqual([['bronze.users', 'append'], ['logins', 'append'], ['profile', 'cdc']])
  })

  it('random whitespace, comments and keyword case give the same model with exact spans and locations', () => {
    const expected = shape(parsePipelineSql(canonical, 'p.sql'))
    const tokens = PIPELINE.flatMap((s, k) => (k === 0 ? s : [';', ...s]))
    fc.assert(
      fc.property(
        fc.array(separator, { minLength: tokens.length, maxLength: tokens.length }),
        fc.array(fc.boolean(), { minLength: tokens.length, maxLength: tokens.length }),
        (separators, upper) => {
          const text = render(tokens, separators, upper)
          const result = parsePipelineSql(text, 'p.sql')
          expect(result.diagnostics).toEqual([])
          expect(shape(result)).toEqual(expected)
          const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)]
          const offsetOf = (l: { line: number; column: number }): number => lineStarts[l.line - 1]! + l.column - 1
          for (const d of result.datasets) {
            if (!d.query) continue
            const q = d.query
            expect(text.slice(offsetOf(q.location), offsetOf(q.location) + q.sql.length)).toBe(q.sql)
            for (const s of [...q.references, ...q.fileSources]) {
              expect(offsetOf(s.location)).toBe(offsetOf(q.location) + s.span.start)
            }
            for (const r of q.references) expect(q.sql.slice(r.span.start, r.span.end).toLowerCase()).toContain(r.written.toLowerCase())
          }
        }
      ),
      { numRuns: 150 }
    )
  })
})
