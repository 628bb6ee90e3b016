/**
 * How chat signs what it sends to a host product (the join hook, webhooks, the before-send hook):
 * a header `webchat-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">`. The typed
 * client's `verifySignature` (and `verifyWebhook`) check it.
 */

/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'webchat-signature'

/** How old (or how far ahead) a signed time may be before a receiver refuses the request. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

/** What the HMAC is computed over: the signed time, a dot, the exact body bytes sent. */
export const signedText = (unixSeconds: number, body: string): string => `${unixSeconds}.${body}`

export const formatSignature = (unixSeconds: number, hex: string): string => `t=${unixSeconds},v1=${hex}`

const TIME = /^\d{1,12}$/
const MAC = /^[0-9a-f]{64}$/

/**
 * The time and MACs of a signature header, or null when it is not one. While a secret is being
 * replaced a header carries one `v1` per secret, so all are returned; other keys (a `v0`, a later
 * scheme) are ignored. Exactly one `t`, and every `v1` well formed: chat writes nothing else.
 */
export function parseSignature (header: string): { t: number, v1: string[] } | null {
  const times: string[] = []
  const v1: string[] = []
  for (const part of header.split(',')) {
    const at = part.indexOf('=')
    if (at < 0) continue
    const key = part.slice(0, at).trim()
    const value = part.slice(at + 1).trim()
    if (key === 't') times.push(value)
    else if (key === 'v1') v1.push(value)
  }
  const [t] = times
  if (times.length !== 1 || !TIME.test(t!) || v1.length === 0 || !v1.every((mac) => MAC.test(mac))) return null
  return { t: Number(t), v1 }
}
