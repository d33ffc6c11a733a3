// Tests for recognising the Spark statement forms (DESCRIBE, SHOW, CREATE TABLE, INSERT, DELETE).
import { describe, expect, it } from 'vitest'
import { SqlError } from '../sqlError'
import { classifyStatement } from './statements'
import { tokenize } from './tokenizer'
import { sparkTypeName } from './sparkTypes'

const classify = (sql: string) => classifyStatement(tokenize(sql))

describe('classifyStatement', () => {
  it('recognises DESCRIBE and SHOW forms', () => {
    expect(classify('DESCRIBE HISTORY bronze.users LIMIT 5')).toMatchObject({ kind: 'describeHistory', table: { parts: ['bronze', 'users'] }, limit: 5 })
    expect(classify('DESCRIBE DETAIL delta.`/x/y`')).toMatchObject({ kind: 'describeDetail', table: { parts: ['delta', '/x/y'] } })
    expect(classify('DESCRIBE TABLE EXTENDED s.t')).toMatchObject({ kind: 'describeTable', extended: true })
    expect(classify('DESCRIBE SELECT 1')).toEqual({ kind: 'query' })
    expect(classify('SHOW DATABASES')).toEqual({ kind: 'showSchemas' })
    expect(classify('SHOW TABLES IN silver')).toEqual({ kind: 'showTables', schema: 'silver' })
  })

  it('parses CREATE TABLE with Spark types, partitioning, comment and properties', () => {
    const st = classify(`CREATE TABLE IF NOT EXISTS bronze.t (id BIGINT NOT NULL, amount DECIMAL(10,2) COMMENT 'money',
      tags ARRAY<STRING>, attrs MAP<STRING, INT>, nested STRUCT<a: INT, b: ARRAY<ARRAY<DOUBLE>>>, d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ)
      USING DELTA PARTITIONED BY (d) COMMENT 'a table' TBLPROPERTIES ('delta.appendOnly' = 'false', delta.checkpointInterval = 5)`)
    if (st.kind !== 'createTable') throw new Error('expected createTable')
    expect(st.ifNotExists).toBe(true)
    expect(st.columns!.map((c) => [c.name, sparkTypeName(c.type), c.nullable])).toEqual([
      ['id', 'bigint', false], ['amount', 'decimal(10,2)', true], ['tags', 'array<string>', true], ['attrs', 'map<string,int>', true],
      ['nested', 'struct<a:int,b:array<array<double>>>', true], ['d', 'date', true], ['ts', 'timestamp', true], ['ntz', 'timestamp_ntz', true]
    ])
    expect(st.columns![1]!.metadata).toEqual({ comment: 'money' })
    expect(st.partitionedBy).toEqual(['d'])
    expect(st.comment).toBe('a table')
    expect(st.properties).toEqual({ 'delta.appendOnly': 'false', 'delta.checkpointInterval': '5' })
  })

  it('leaves DuckDB CREATE TABLE alone and rejects unknown types with a position', () => {
    expect(classify('CREATE TEMP TABLE x (a INT)')).toEqual({ kind: 'query' })
    expect(classify('CREATE TABLE x (a INT)')).toEqual({ kind: 'query' })
    expect(() => classify('CREATE TABLE s.t (a FOO) USING DELTA')).toThrow(/unknown data type FOO.*line 1, column 21/)
    try {
      classify('CREATE TABLE s.t (a INT) USING PARQUET')
    } catch (e) {
      expect(e).toBeInstanceOf(SqlError)
    }
  })

  it('parses INSERT and DELETE forms', () => {
    expect(classify('INSERT INTO TABLE s.t (a, b) VALUES (1, 2)')).toMatchObject({ kind: 'insert', overwrite: false, columns: ['a', 'b'] })
    expect(classify('INSERT OVERWRITE s.t SELECT * FROM s.u')).toMatchObject({ kind: 'insert', overwrite: true })
    const rw = classify("INSERT INTO s.t REPLACE WHERE d = '2024-01-01' SELECT * FROM s.u")
    expect(rw.kind === 'insert' && rw.replaceWhere!.map((t) => t.text).join('')).toBe("d = '2024-01-01'")
    expect(classify('INSERT INTO s.t (SELECT 1)')).toMatchObject({ kind: 'insert', columns: undefined })
    const del = classify('DELETE FROM s.t AS x WHERE x.a = 1')
    expect(del).toMatchObject({ kind: 'delete', alias: 'x' })
    const all = classify('DELETE FROM s.t')
    expect(all.kind === 'delete' && all.where).toBeUndefined()
  })
})
