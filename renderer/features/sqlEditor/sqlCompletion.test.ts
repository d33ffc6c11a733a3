// Tests for SQL completion: what is offered at a cursor for a given catalog.
import { describe, expect, it } from 'vitest'
import { type CompletionCatalog, completeSql, tableReferences } from './sqlCompletion'

const catalog: CompletionCatalog = {
  schemas: ['bronze', 'silver'],
  tables: [
    { schema: 'silver', name: 'workouts' },
    { schema: 'silver', name: 'users' },
    { schema: 'bronze', name: 'raw' }
  ],
  columns: {
    'silver.workouts': [
      { name: 'id', type: 'bigint' },
      { name: 'minutes', type: 'int' }
    ],
    'silver.users': [
      { name: 'user_id', type: 'bigint' },
      { name: 'name', type: 'string' }
    ]
  }
}

/** Completes at the `|` in `text`. */
const at = (text: string) => completeSql(text.replace('|', ''), text.indexOf('|'), catalog)
const labels = (text: string) => at(text).map((s) => s.label)

describe('tableReferences', () => {
  it('finds tables with and without aliases, through time travel and joins', () => {
    expect(tableReferences('SELECT * FROM silver.workouts VERSION AS OF 2 w JOIN silver.users AS u ON w.id = u.user_id WHERE 1=1')).toEqual([
      { table: 'silver.workouts', alias: 'w' },
      { table: 'silver.users', alias: 'u' }
    ])
    expect(tableReferences('SELECT 1 FROM silver.users WHERE x')).toEqual([{ table: 'silver.users' }])
  })
})

describe('completeSql', () => {
  it('offers schemas and schema.table names after FROM', () => {
    expect(labels('SELECT * FROM |')).toEqual(['bronze', 'silver', 'silver.workouts', 'silver.users', 'bronze.raw'])
  })

  it("offers a schema's tables after `schema.`", () => {
    expect(labels('SELECT * FROM silver.|')).toEqual(['workouts', 'users'])
  })

  it('offers the columns with their types after an alias', () => {
    const suggestions = at('SELECT u.| FROM silver.users u')
    expect(suggestions.map((s) => [s.label, s.detail])).toEqual([
      ['user_id', 'bigint · silver.users'],
      ['name', 'string · silver.users']
    ])
  })

  it('offers columns in the SELECT list of a known table, qualified when the statement joins several', () => {
    expect(labels('SELECT | FROM silver.workouts').slice(0, 2)).toEqual(['id', 'minutes'])
    expect(labels('SELECT m| FROM silver.workouts w JOIN silver.users u ON w.id = u.user_id').slice(0, 4)).toEqual(['w.id', 'w.minutes', 'u.user_id', 'u.name'])
  })

  it('only looks at the statement under the cursor', () => {
    expect(labels('SELECT * FROM silver.users;\nSELECT | FROM silver.workouts').slice(0, 2)).toEqual(['id', 'minutes'])
  })

  it('offers time travel right after a table name', () => {
    expect(labels('SELECT * FROM silver.workouts |').slice(0, 2)).toEqual(['VERSION AS OF', 'TIMESTAMP AS OF'])
  })

  it('offers Delta commands at the start of a statement, then tables after DESCRIBE HISTORY', () => {
    expect(labels('|')).toEqual(expect.arrayContaining(['DESCRIBE HISTORY', 'DESCRIBE DETAIL', 'RESTORE TABLE', 'OPTIMIZE', 'VACUUM', 'silver.users']))
    expect(labels('DESCRIBE HISTORY |')).toContain('silver.workouts')
  })

  it('offers nothing after an unknown qualifier', () => {
    expect(at('SELECT nope.| FROM silver.users')).toEqual([])
  })
})
