// Tests for the lakehouse error sentences: each names the folder and keeps the engine's code and message as detail.
import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../engine/api/errors'
import { isAbsoluteFolderPath, lakehouseErrorSentence } from './lakehouseErrorSentence'

describe('lakehouseErrorSentence', () => {
  it('says a folder without lakebench.json is not a lakehouse, naming it', () => {
    const error = new EngineError('NOT_A_LAKEHOUSE', '/tmp/photos is not a lakehouse: /tmp/photos/lakebench.json not found', { source: 'lakehouse' })
    const text = lakehouseErrorSentence('open', '/tmp/photos', error)
    expect(text.sentence).toBe('“/tmp/photos” is not a lakehouse folder: it has no lakebench.json. Choose the folder that holds lakebench.json, or create a new lakehouse there.')
    expect(text.detail).toBe('NOT_A_LAKEHOUSE: /tmp/photos is not a lakehouse: /tmp/photos/lakebench.json not found')
  })

  it('explains an existing lakehouse on create and keeps unknown messages as a sentence', () => {
    expect(lakehouseErrorSentence('create', '/lakes/a', new EngineError('LAKEHOUSE_EXISTS', 'x')).sentence).toContain('“/lakes/a” already holds a lakehouse')
    const other = lakehouseErrorSentence('create', '/lakes/b', new EngineError('INTERNAL', 'disk full.'))
    expect(other.sentence).toBe('Could not create the lakehouse at “/lakes/b”: disk full.')
    expect(lakehouseErrorSentence('open', '/x', 'boom').detail).toBe('INTERNAL: boom')
  })

  it('accepts only absolute folder paths', () => {
    expect(['/home/ann/lake', 'C:\\lakes\\a', 'd:/lakes', '\\\\server\\share'].map(isAbsoluteFolderPath)).toEqual([true, true, true, true])
    expect(['lake', './lake', '~/lake', ''].map(isAbsoluteFolderPath)).toEqual([false, false, false, false])
  })
})
