// Tests for the Spark -> DuckDB spelling edits: what each Spark form becomes, and what is left exactly as written.
import { describe, expect, it } from 'vitest'
import { sparkSyntaxEdits } from './sparkSyntax'
import { renderMapped } from './textEdits'
import { tokenize } from './tokenizer'

const duck = (sql: string): string => {
  const tokens = tokenize(sql)
  return renderMapped(tokens, sparkSyntaxEdits(tokens)).sql
}

describe('sparkSyntaxEdits', () => {
  it('turns SELECT * EXCEPT (cols) into EXCLUDE but leaves the set operation alone', () => {
    expect(duck('SELECT * EXCEPT (a, `b c`) FROM t')).toBe('SELECT * EXCLUDE (a, "b c") FROM t')
    expect(duck('SELECT t.* except(a) FROM t')).toBe('SELECT t.* EXCLUDE(a) FROM t')
    expect(duck('SELECT * FROM a EXCEPT (SELECT * FROM b)')).toBe('SELECT * FROM a EXCEPT (SELECT * FROM b)')
    expect(duck('SELECT * FROM a EXCEPT SELECT * FROM b')).toBe('SELECT * FROM a EXCEPT SELECT * FROM b')
  })

  it('rewrites Spark constructors and functions DuckDB spells differently', () => {
    expect(duck("SELECT named_struct('a', 1, 'b', x)")).toBe('SELECT struct_pack("a" := 1, "b" := x)')
    expect(duck('SELECT array(1, 2), ARRAY(SELECT 1)')).toBe('SELECT list_value(1, 2), ARRAY(SELECT 1)')
    expect(duck("SELECT map('k', 1, 'j', f(2, 3)), map(['k'], [1])")).toBe("SELECT MAP {'k': 1, 'j': f(2, 3)}, map(['k'], [1])")
    expect(duck("SELECT X'0aFF', x 'y'")).toBe("SELECT from_hex('0aFF'), x 'y'")
    expect(duck('SELECT current_timestamp(), current_date(), current_timestamp')).toBe('SELECT current_timestamp, current_date, current_timestamp')
    expect(duck("SELECT date_sub(d, 1), DATE_ADD(d, 2), datediff(a, b), date_sub('day', a, b)")).toBe(
      "SELECT __lb_date_sub(d, 1), __lb_date_add(d, 2), __lb_datediff(a, b), date_sub('day', a, b)"
    )
  })

  it('spells Spark-only type names the DuckDB way in literals and casts, not in column names', () => {
    expect(duck("SELECT TIMESTAMP_NTZ '2024-01-01', CAST(x AS timestamp_ltz), y::TIMESTAMP_NTZ, CAST(b AS BYTE), timestamp_ntz AS c FROM t")).toBe(
      "SELECT TIMESTAMP '2024-01-01', CAST(x AS TIMESTAMPTZ), y::TIMESTAMP, CAST(__lb_int_text(b, 0) AS TINYINT), timestamp_ntz AS c FROM t"
    )
  })

  it('sends date_format to the Java-pattern formatter, explode and LATERAL VIEW to unnest', () => {
    expect(duck("SELECT date_format(ts, 'yyyy-MM-dd''T''HH:mm'), date_format(ts, 'EEE'), date_format(ts, fmt)")).toBe(
      "SELECT strftime(CAST(ts AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M'), __lb_date_format(ts, 'EEE'), __lb_date_format(ts, fmt)"
    )
    expect(duck('SELECT id, x FROM t LATERAL VIEW explode(arr) e AS x')).toBe('SELECT id, x FROM t CROSS JOIN LATERAL (SELECT  unnest(__lb_generator_input(arr))  AS x) e')
    expect(duck('SELECT * FROM t LATERAL VIEW OUTER explode(arr) e x WHERE x > 1')).toBe(
      'SELECT * FROM t LEFT JOIN LATERAL (SELECT   unnest(__lb_generator_input(arr))  AS x) e ON true WHERE x > 1'
    )
  })

  it('applies Spark string escapes, double-quoted strings, numeric suffixes, DIV and AS null', () => {
    expect(duck("SELECT regexp_extract(s, '(\\\\d+)', 1), lpad(\"a\", 3), 10L, 2.5BD, 7 div 2, 1 AS null")).toBe(
      "SELECT __lb_regexp_extract(s, '(\\d+)', 1), __lb_lpad('a', 3), CAST(10 AS BIGINT), CAST('2.5' AS DECIMAL(2,1)), 7 // 2, 1 AS \"null\""
    )
    expect(duck('SELECT "col" FROM t WHERE t."x" = 1')).toBe('SELECT "col" FROM t WHERE t."x" = 1')
  })

  it('turns Databricks JSON paths into get_json_object and leaves struct literals and slices alone', () => {
    expect(duck("SELECT raw:a.b::int, t.raw:['key with space'], f(x):c[0] FROM t")).toBe(
      "SELECT __lb_get_json_object(raw, '$.a.b')::int, __lb_get_json_object(t.raw, '$.\"key with space\"'), __lb_get_json_object(f(x), '$.c[0]') FROM t"
    )
    expect(duck("SELECT {'a': x}, l[1:2], MAP {k: v} FROM t")).toBe("SELECT {'a': x}, l[1:2], MAP {k: v} FROM t")
  })

  it('keeps strings, comments, qualified names and line breaks untouched', () => {
    const sql = "SELECT 'array(1)' /* map('a', 1) */, s.array(1),\n  -- * EXCEPT (x)\n  abs(a)"
    expect(duck(sql)).toBe(sql)
  })

  it('maps offsets in the rendered SQL back to the source', () => {
    const sql = 'SELECT named_struct(`k`, 1), `zz` FROM t'
    const tokens = tokenize(sql)
    const rendered = renderMapped(tokens, sparkSyntaxEdits(tokens))
    expect(rendered.sql).toBe('SELECT named_struct("k", 1), "zz" FROM t')
    expect(rendered.sourceOffset(rendered.sql.indexOf('FROM'))).toBe(sql.indexOf('FROM'))
    expect(rendered.sourceOffset(rendered.sql.indexOf('"zz"'))).toBe(sql.indexOf('`zz`'))
  })
})
