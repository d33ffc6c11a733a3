// Tests for splitting a script into statements and choosing what Run executes.
import { describe, expect, it } from 'vitest'
import { locateInEditor, pickSqlToRun, splitStatementSpans } from './statementAtCursor'

const script = "SELECT 1;\nSELECT ';' AS semi -- not ; here\n  FROM t;\n/* a ; comment */\nSELECT `a;b` FROM u"

describe('splitStatementSpans', () => {
  it('splits on top-level semicolons only', () => {
    expect(splitStatementSpans(script).map((s) => s.text.trim())).toEqual([
      'SELECT 1',
      "SELECT ';' AS semi -- not ; here\n  FROM t",
      '/* a ; comment */\nSELECT `a;b` FROM u'
    ])
  })

  it('drops blank and comment-only statements and handles doubled quotes', () => {
    expect(splitStatementSpans(";;  -- c\n;SELECT 'it''s;' ;").map((s) => s.text.trim())).toEqual(["SELECT 'it''s;'"])
  })
})

describe('pickSqlToRun', () => {
  const at = (needle: string) => script.indexOf(needle)
  it('runs the selection when there is one', () => {
    expect(pickSqlToRun(script, { start: at('SELECT 1'), end: at('SELECT 1') + 8 }, 0)).toEqual({ sql: 'SELECT 1', scope: 'selection', offset: 0 })
  })

  it('runs the statement under the cursor, including right after its semicolon', () => {
    const second = "SELECT ';' AS semi -- not ; here\n  FROM t"
    expect(pickSqlToRun(script, { start: 0, end: 0 }, at('AS semi'))).toEqual({ sql: second, scope: 'statement', offset: at("SELECT ';'") })
    expect(pickSqlToRun(script, { start: 0, end: 0 }, at('FROM t;') + 7)).toEqual({ sql: second, scope: 'statement', offset: at("SELECT ';'") })
    expect(pickSqlToRun(script, { start: 0, end: 0 }, script.length).sql).toBe('/* a ; comment */\nSELECT `a;b` FROM u')
  })

  it('runs everything when the script has one statement', () => {
    expect(pickSqlToRun('  SHOW SCHEMAS  ', { start: 3, end: 3 }, 3)).toEqual({ sql: 'SHOW SCHEMAS', scope: 'all', offset: 2 })
  })

  it('uses the statement before the cursor when the cursor sits on blank lines after it', () => {
    const sql = 'SELECT 1;\nSELECT 2;\n\n\n'
    expect(pickSqlToRun(sql, { start: sql.length, end: sql.length }, sql.length)).toEqual({ sql: 'SELECT 2', scope: 'statement', offset: 10 })
  })
})

describe('locateInEditor', () => {
  const text = 'SELECT 1;\n  SELECT x\n  FROM t'
  it('shifts the first line by the start column and later lines by the start line', () => {
    const offset = text.indexOf('SELECT x')
    expect(locateInEditor(text, offset, { line: 1, column: 8 })).toEqual({ line: 2, column: 10 })
    expect(locateInEditor(text, offset, { line: 2, column: 8 })).toEqual({ line: 3, column: 8 })
    expect(locateInEditor(text, 0, { line: 3 })).toEqual({ line: 3 })
  })
})
