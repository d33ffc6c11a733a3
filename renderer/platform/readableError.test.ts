// Tests for turning engine errors into sentences with their facts.
import { describe, expect, it } from 'vitest'
import { EngineError } from '../../engine/api/errors'
import { readableError } from './readableError'

describe('readableError', () => {
  it('capitalises, ends with a full stop and keeps code and location apart', () => {
    const error = readableError(new EngineError('VERSION_NOT_FOUND', 'table silver.x has no version 9', { table: 'silver.x', version: 9 }))
    expect(error).toEqual({ sentence: 'Table silver.x has no version 9.', code: 'VERSION_NOT_FOUND', facts: ['table silver.x', 'version 9'] })
  })

  it('handles plain errors and non-errors', () => {
    expect(readableError(new Error('boom!'))).toEqual({ sentence: 'Boom!', code: 'INTERNAL', facts: [] })
    expect(readableError('x').sentence).toBe('X.')
  })
})
