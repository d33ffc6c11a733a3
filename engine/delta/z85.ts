// Z85 (ZeroMQ base-85) decoding, as Delta uses it for deletion-vector UUIDs and inline bitmaps.

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

const DECODE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()

/**
 * Decodes Z85 text: every 5 characters give 4 bytes (big-endian base 85).
 * @throws Error when the length is not a multiple of 5, a character is outside the alphabet, or a group overflows 32 bits.
 */
export function z85Decode(text: string): Uint8Array {
  if (text.length % 5 !== 0) throw new Error(`Z85 text length ${text.length} is not a multiple of 5`)
  const out = new Uint8Array((text.length / 5) * 4)
  for (let group = 0; group < text.length / 5; group++) {
    let value = 0
    for (let i = 0; i < 5; i++) {
      const pos = group * 5 + i
      const code = text.charCodeAt(pos)
      const digit = code < 128 ? DECODE[code]! : -1
      if (digit < 0) throw new Error(`invalid Z85 character ${JSON.stringify(text[pos])} at position ${pos}`)
      value = value * 85 + digit
    }
    if (value > 0xffffffff) throw new Error(`Z85 group ${group} overflows 32 bits`)
    const o = group * 4
    out[o] = value >>> 24
    out[o + 1] = (value >>> 16) & 0xff
    out[o + 2] = (value >>> 8) & 0xff
    out[o + 3] = value & 0xff
  }
  return out
}

/**
 * Decodes the 20-character Z85 form of a UUID (the tail of a 'u' deletion-vector descriptor) to its canonical
 * 8-4-4-4-12 hex text.
 * @throws Error when the text is not 20 valid Z85 characters.
 */
export function z85DecodeUuid(text: string): string {
  if (text.length !== 20) throw new Error(`a Z85-encoded UUID has 20 characters, got ${text.length}`)
  const hex = Buffer.from(z85Decode(text)).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
