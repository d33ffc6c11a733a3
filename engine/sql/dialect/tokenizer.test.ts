// Tests for the SQL lexer: exact round trips, backtick translation, statement splitting.
import { describe, expect, it } from 'vitest'
import { renderTokens, splitStatements, tokenize, TokenizeError } from './tokenizer'

describe('tokenize', () => {
  it('rebuilds the exact text and turns backticks into DuckDB identifiers only outside strings and comments', () => {
    const sql = "SELECT `my col`, 'it''s `x`' AS s -- `c`\nFROM t /* `d` */ WHERE \"q\" = $$`e`$$"
    const tokens = tokenize(sql)
    expect(tokens.map((t) => t.text).join('')).toBe(sql)
    expect(renderTokens(tokens)).toBe("SELECT \"my col\", 'it''s `x`' AS s -- `c`\nFROM t /* `d` */ WHERE \"q\" = $$`e`$$")
  })

  it('escapes double quotes inside backtick identifiers and tracks lines', () => {
    const tokens = tokenize('SELECT\n  `a"b`')
    const ident = tokens.find((t) => t.kind === 'quotedIdent')!
    expect(ident).toMatchObject({ value: 'a"b', line: 2, column: 3, backtick: true })
    expect(renderTokens(tokens)).toBe('SELECT\n  "a""b"')
  })

  it('reports unterminated strings with their position', () => {
    expect(() => tokenize("SELECT 'abc")).toThrow(TokenizeError)
    expect(() => tokenize("SELECT 1,\n 'abc")).toThrow(/line 2, column 2/)
  })

  it('splits statements on top-level semicolons only', () => {
    const statements = splitStatements("SELECT ';' AS a; -- only a comment ;\n\nSELECT 2;;  ")
    expect(statements.map((s) => s.text)).toEqual(["SELECT ';' AS a", 'SELECT 2'])
    expect(statements[1]!.line).toBe(3)
  })
})
