// Tests for converting engine errors (SqlError, DeltaError, anything else) into EngineError and into a sentence.
import { describe, expect, it } from 'vitest'
import { DeltaError } from '../delta/errors'
import { LakehouseError } from '../lakehouse/folder'
import { SqlError } from '../sql/sqlError'
import { EngineError, describeEngineError, toEngineError } from './errors'

describe('toEngineError', () => {
  it('keeps a SqlError code and its location fields', () => {
    const error = toEngineError(new SqlError('SYNTAX_ERROR', 'Syntax error at or near "FORM"', { statementIndex: 1, line: 3, column: 10 }))
    expect(error).toBeInstanceOf(EngineError)
    expect(error.toPayload()).toEqual({
      code: 'SYNTAX_ERROR',
      message: 'Syntax error at or near "FORM"',
      detail: { source: 'sql', statementIndex: 1, line: 3, column: 10 }
    })
  })

  it('keeps a DeltaError code and detail, with bigint made JSON-safe', () => {
    const error = toEngineError(new DeltaError('VERSION_NOT_FOUND', 'silver.workouts has no version 9', { table: 'silver.workouts', version: 9, size: 12n }))
    expect(error.code).toBe('VERSION_NOT_FOUND')
    expect(error.toPayload().detail).toEqual({ source: 'delta', table: 'silver.workouts', version: 9, size: 12 })
    expect(() => JSON.stringify(error.toPayload())).not.toThrow()
  })

  it('keeps a LakehouseError code and the file it names', () => {
    const error = toEngineError(new LakehouseError('NOT_A_LAKEHOUSE', '/x is not a lakehouse', '/x/lakebench.json'))
    expect(error.toPayload()).toEqual({ code: 'NOT_A_LAKEHOUSE', message: '/x is not a lakehouse', detail: { source: 'lakehouse', file: '/x/lakebench.json' } })
  })

  it('turns anything else into INTERNAL with its message', () => {
    expect(toEngineError(new TypeError('x is undefined')).toPayload()).toEqual({ code: 'INTERNAL', message: 'x is undefined', detail: { name: 'TypeError' } })
    expect(toEngineError('boom').message).toBe('boom')
  })
})

describe('describeEngineError', () => {
  it('adds the location facts the message does not already state', () => {
    const payload = toEngineError(new SqlError('TABLE_NOT_FOUND', 'Table silver.nope does not exist', { table: 'silver.nope', statementIndex: 0, line: 2, column: 15 })).toPayload()
    expect(describeEngineError(payload)).toBe('Table silver.nope does not exist (statement 1, line 2, column 15).')
    const version = toEngineError(new SqlError('VERSION_NOT_FOUND', 'silver.workouts has no version 9.', { table: 'silver.workouts', version: 9, file: '/lh/tables/silver/workouts/_delta_log' })).toPayload()
    expect(describeEngineError(version)).toBe('silver.workouts has no version 9 (file /lh/tables/silver/workouts/_delta_log).')
  })
})
