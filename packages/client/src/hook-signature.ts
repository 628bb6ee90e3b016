import { parseSignature, SIGNATURE_TOLERANCE_SECONDS, signedText } from '@webchat/shared'

/** A signed request from chat, as a host product received it, and what to check it with. */
export type SignatureCheck = {
  /** The `webchat-signature` header as received. */
  header: string | undefined
  /** The raw request body, exactly as received (not parsed and serialised again). */
  body: string
  /** Now, in ms (default Date.now()). */
  now?: number
  /** Refuse a signed time further than this from now (default 300 s). */
  toleranceSeconds?: number
} & (
  | {
    /** The secret chat signs with (for the join hook, ROOM_ACCESS_SECRET). */
    secret: string
    secrets?: never
  }
  | {
    /** While a secret is being replaced, the old and the new one: a request signed with either passes. */
    secrets: readonly string[]
    secret?: never
  }
)

const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text)

function fromHex (hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Whether two MACs are equal, in a time that does not depend on where they first differ. */
function sameMac (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let differ = 0
  for (let i = 0; i < a.length; i++) differ |= a[i]! ^ b[i]!
  return differ === 0
}

/**
 * For host products that receive chat's signed requests (the join hook, webhooks, the before-send
 * hook): true when one of the header's `v1` MACs was made with one of the secrets over this very
 * body, at a signed time within the tolerance; false for a missing or malformed header, another
 * secret, an altered body, or a time too old (a replay) or too far ahead. Throws a TypeError when
 * given no secret or an empty one: a setup mistake, not a forged request. WebCrypto, so it works in
 * Node 20 and browsers alike.
 */
export async function verifySignature (check: SignatureCheck): Promise<boolean> {
  const secrets = check.secrets ?? (check.secret === undefined ? [] : [check.secret])
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || secret === '')) {
    throw new TypeError('verifySignature needs `secret`, or `secrets` with at least one, and none empty')
  }
  const signature = parseSignature(check.header ?? '')
  if (signature === null) return false
  const age = (check.now ?? Date.now()) / 1000 - signature.t
  // Written so that a NaN clock or tolerance refuses: `NaN > x` is false, and would accept any age.
  if (!(Math.abs(age) <= (check.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS))) return false
  const text = bytes(signedText(signature.t, check.body))
  const given = signature.v1.map(fromHex)
  // One HMAC per secret, compared with every v1: verifying each (secret, v1) pair would hash the
  // body once per v1, and how many v1s a request carries is the sender's choice.
  for (const secret of secrets) {
    const key = await globalThis.crypto.subtle.importKey('raw', bytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const expected = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, text))
    if (given.some((mac) => sameMac(expected, mac))) return true
  }
  return false
}

export type AccessSignatureCheck = SignatureCheck

/** The join hook's (ROOM_ACCESS_URL) name for verifySignature: check each request with ROOM_ACCESS_SECRET. */
export const verifyAccessSignature: (check: AccessSignatureCheck) => Promise<boolean> = verifySignature
