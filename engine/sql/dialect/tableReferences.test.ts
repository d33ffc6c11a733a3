// Tests for finding table references, their time-travel clauses and scopes.
import { describe, expect, it } from 'vitest'
import { findTableReferences } from './tableReferences'
import { tokenize } from './tokenizer'

const refs = (sql: string) => findTableReferences(tokenize(sql)).references.map((r) => ({ name: r.parts.join('.'), alias: r.alias, tt: r.timeTravel, text: sql.slice(r.start, r.end) }))

describe('findTableReferences', () => {
  it('finds FROM, JOIN and comma references with aliases', () => {
    expect(refs('SELECT * FROM bronze.users u JOIN silver.workouts AS w ON u.id = w.id, gold.x WHERE 1 = 1')).toEqual([
      { name: 'bronze.users', alias: 'u', tt: undefined, text: 'bronze.users' },
      { name: 'silver.workouts', alias: 'w', tt: undefined, text: 'silver.workouts' },
      { name: 'gold.x', alias: undefined, tt: undefined, text: 'gold.x' }
    ])
  })

  it('parses every time-travel spelling', () => {
    expect(refs('SELECT * FROM bronze.users VERSION AS OF 3 a')[0]).toMatchObject({ tt: { kind: 'version', version: 3 }, alias: 'a', text: 'bronze.users VERSION AS OF 3' })
    expect(refs('SELECT * FROM bronze.users FOR SYSTEM_VERSION AS OF 2')[0]!.tt).toEqual({ kind: 'version', version: 2 })
    expect(refs("SELECT * FROM bronze.users TIMESTAMP AS OF '2024-01-01 10:00:00'")[0]!.tt).toEqual({ kind: 'timestamp', sql: "'2024-01-01 10:00:00'" })
    expect(refs("SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01' + INTERVAL 1 HOUR x")[0]).toMatchObject({
      tt: { kind: 'timestamp', sql: "TIMESTAMP '2024-01-01' + INTERVAL 1 HOUR" }, alias: 'x'
    })
    expect(refs('SELECT * FROM bronze.users@v3 AS old JOIN bronze.users@v5 new ON old.id = new.id').map((r) => [r.tt, r.alias])).toEqual([
      [{ kind: 'version', version: 3 }, 'old'],
      [{ kind: 'version', version: 5 }, 'new']
    ])
    expect(refs('SELECT * FROM bronze.users@20240102030405006')[0]!.tt).toEqual({ kind: 'timestamp', sql: "'2024-01-02 03:04:05.006'" })
  })

  it('handles delta.`path`, CTEs, subqueries and ignores FROM inside functions', () => {
    const sql = "WITH c AS (SELECT extract(year FROM ts) AS y FROM delta.`/tmp/t` WHERE id > 1) SELECT * FROM c, (SELECT trim(both 'x' FROM s) FROM gold.g) s, read_parquet('f.parquet')"
    expect(refs(sql).map((r) => r.name)).toEqual(['delta./tmp/t', 'c', 'gold.g'])
  })

  it('records the WHERE of each scope and outer joins', () => {
    const { scopes } = findTableReferences(tokenize('SELECT * FROM a.b WHERE x = 1 UNION ALL SELECT * FROM a.c LEFT JOIN a.d ON true WHERE y = 2 ORDER BY 1'))
    expect(scopes.map((s) => [s.references.map((r) => r.parts.join('.')), s.where.map((t) => t.text).join(' '), s.hasNonInnerJoin])).toEqual([
      [['a.b'], 'x = 1', false],
      [['a.c', 'a.d'], 'y = 2', true]
    ])
  })

  it('supports DuckDB FROM-first queries', () => {
    expect(refs('FROM bronze.users SELECT id').map((r) => r.name)).toEqual(['bronze.users'])
  })
})
