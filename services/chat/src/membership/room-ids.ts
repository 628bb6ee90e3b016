import { createHash, randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

function base32 (bytes: Buffer, length: number): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out
}

/**
 * Ids the server makes start with `p-` (private) or `d-` (direct); a public room made by a join
 * may not, so nobody can take the id two people's direct room will have before they start it.
 */
export const isReservedRoomId = (room: string): boolean => room.startsWith('p-') || room.startsWith('d-')

/** A new private room: 120 random bits. */
export const privateRoomId = (): string => `p-${base32(randomBytes(15), 24)}`

/** The direct room of two users: the same whoever starts it (130 bits of SHA-256 over both ids, sorted). */
export function directRoomId (a: string, b: string): string {
  const [first, second] = [a, b].sort()
  return `d-${base32(createHash('sha256').update(`${first!}\u0000${second!}`).digest(), 26)}`
}
