import { describe, expect, it } from 'vitest'
import type { DatasetReference, FileSource, Query } from '../model'
import { hasAlias, spliceQuery } from './querySplicer'

const at = { file: 'p.sql', line: 1, column: 1 }

function query(sql: string, refs: [written: string, streaming: boolean][], files: string[] = []): Query {
  const references: DatasetReference[] = refs.map(([written, streaming]) => {
    const start = sql.indexOf(written)
    return { name: written.toLowerCase().replace(/^live\./, ''), written, streaming, span: { start, end: start + written.length }, location: at }
  })
  const fileSources: FileSource[] = files.map((text) => {
    const start = sql.indexOf(text)
    return { function: 'read_files', path: 'landing/x', format: 'csv', options: {}, streaming: true, span: { start, end: start + text.length }, location: at }
  })
  return { sql, location: at, references, fileSources }
}

describe('spliceQuery', () => {
  it('drops STREAM wrappings left outside a span and adds an alias only where none is written', () => {
    const q = query('SELECT u.id FROM STREAM(LIVE.users) u JOIN LIVE.orders ON true', [['LIVE.users', true], ['LIVE.orders', false]])
    const out = spliceQuery(q, (ref) => ({ text: ref.streaming ? '"__s1"' : 'silver.orders', ...(ref.streaming ? { alias: 'users' } : {}) }), () => ({ text: '' }))
    expect(out).toBe('SELECT u.id FROM "__s1" u JOIN silver.orders ON true')
    const bare = query('SELECT * FROM STREAM LIVE.users WHERE id > 1', [['LIVE.users', true]])
    expect(spliceQuery(bare, () => ({ text: '"__s2"', alias: 'users' }), () => ({ text: '' }))).toBe('SELECT * FROM "__s2" AS users WHERE id > 1')
  })

  it('replaces file sources, including STREAM read_files(...)', () => {
    const text = "read_files('landing/x', format => 'csv')"
    const q = query(`SELECT * FROM STREAM ${text}`, [], [text])
    expect(spliceQuery(q, () => ({ text: '' }), () => ({ text: '"__f1"' }))).toBe('SELECT * FROM "__f1"')
  })
})

describe('hasAlias', () => {
  it('tells aliases from the keywords that may follow a relation', () => {
    expect(hasAlias(' u')).toBe(true)
    expect(hasAlias(' AS u')).toBe(true)
    expect(hasAlias(' WHERE x')).toBe(false)
    expect(hasAlias(' LEFT JOIN b')).toBe(false)
    expect(hasAlias(')')).toBe(false)
    expect(hasAlias('')).toBe(false)
  })
})
