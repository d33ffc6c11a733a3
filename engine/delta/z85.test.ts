// Tests for the Z85 decoder against the protocol's inline deletion-vector example and UUID encoding.
import { describe, expect, it } from 'vitest'
import { z85Decode, z85DecodeUuid } from './z85'

describe('z85Decode', () => {
  it('decodes the ZeroMQ reference vector', () => {
    // From the Z85 spec (rfc.zeromq.org/spec/32): bytes 86 4F D2 6F B5 59 F7 5B encode to "HelloWorld".
    expect(Buffer.from(z85Decode('HelloWorld')).toString('hex')).toBe('864fd26fb559f75b')
  })

  it('decodes the protocol inline deletion vector to a bitmap starting with the native magic', () => {
    const bytes = z85Decode('wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L')
    expect(bytes.length).toBe(40)
    expect(new DataView(bytes.buffer).getUint32(0, false)).toBe(1681511376)
  })

  it('rejects bad lengths and characters', () => {
    expect(() => z85Decode('abcd')).toThrow(/multiple of 5/)
    expect(() => z85Decode('abc"d')).toThrow(/invalid Z85 character/)
    expect(() => z85Decode('#####')).toThrow(/overflows/)
  })
})

describe('z85DecodeUuid', () => {
  it('gives the UUID of a corpus deletion vector file name', () => {
    // drs-table-with-dv-small: descriptor "vBn[lx{q8@P<9BNH/isA" names deletion_vector_61d16c75-....bin
    expect(z85DecodeUuid('vBn[lx{q8@P<9BNH/isA')).toBe('61d16c75-6994-46b7-a15b-8b538852e50e')
  })

  it('requires exactly 20 characters', () => {
    expect(() => z85DecodeUuid('vBn[lx{q8@')).toThrow(/20 characters/)
  })
})
