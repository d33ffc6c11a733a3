// Tests for presenting engine errors to people.
import { describe, expect, it } from 'vitest'
import { presentError } from './errorSentence'

describe('presentError', () => {
  it('makes a sentence and lists location facts with 1-based statement numbers', () => {
    const shown = presentError({
      code: 'TABLE_NOT_FOUND',
      message: 'table silver.nope does not exist',
      detail: { source: 'sql', statementIndex: 1, line: 3, column: 15, table: 'silver.nope' }
    })
    expect(shown.sentence).toBe('Table silver.nope does not exist.')
    expect(shown.facts).toEqual([
      { label: 'Statement', value: '2' },
      { label: 'Line', value: '3' },
      { label: 'Column', value: '15' },
      { label: 'Table', value: 'silver.nope' },
      { label: 'Code', value: 'TABLE_NOT_FOUND' }
    ])
  })

  it('keeps existing punctuation and copes with an empty message', () => {
    expect(presentError({ code: 'X', message: 'Done?', detail: {} }).sentence).toBe('Done?')
    expect(presentError({ code: 'X', message: '', detail: {} }).sentence).toBe('The engine reported an error without a message.')
  })
})
