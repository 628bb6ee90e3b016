import { ACCESS_SIGNATURE_TOLERANCE_SECONDS, accessSignedText, parseAccessSignature } from '@webchat/shared'

export interface AccessSignatureCheck {
  /** The `webchat-signature` header as received. */
  header: string | undefined
  /** The raw request body, exactly as received (not parsed and serialised again). */
  body: string
  /** ROOM_ACCESS_SECRET, as chat has it. */
  secret: string
  /** Now, in ms (default Date.now()). */
  now?: number
  /** Refuse a signed time further than this from now (default 300 s). */
  toleranceSeconds?: number
}

const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text)

function fromHex (hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/**
 * For host products that serve chat's join hook (ROOM_ACCESS_URL): true when the request was
 * signed with `secret` over this very body within the tolerance; false for a missing or malformed
 * header, another secret, an altered body, or a time too old (a replay) or too far ahead.
 * WebCrypto compares in constant time; works in Node 20 and browsers alike.
 */
export async function verifyAccessSignature (check: AccessSignatureCheck): Promise<boolean> {
  const signature = parseAccessSignature(check.header ?? '')
  if (signature === null) return false
  const age = (check.now ?? Date.now()) / 1000 - signature.t
  // Written so that a NaN clock or tolerance refuses: `NaN > x` is false, and would accept any age.
  if (!(Math.abs(age) <= (check.toleranceSeconds ?? ACCESS_SIGNATURE_TOLERANCE_SECONDS))) return false
  const key = await globalThis.crypto.subtle.importKey('raw', bytes(check.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  return await globalThis.crypto.subtle.verify('HMAC', key, fromHex(signature.v1), bytes(accessSignedText(signature.t, check.body)))
}
