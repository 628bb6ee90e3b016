/**
 * The join hook's contract (ROOM_ACCESS_URL): chat asks the host product whether a user who is not
 * on a private room's roster may join it. Chat signs each request; the host product verifies the
 * signature (the typed client's `verifyAccessSignature` does it) and answers.
 */

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const ACCESS_SIGNATURE_HEADER = 'webchat-signature'

/** How old (or how far ahead) a signed time may be before a receiver refuses the request. */
export const ACCESS_SIGNATURE_TOLERANCE_SECONDS = 300

/** The roles a host product may admit with (a room's owner is set by whoever made it). */
export const ACCESS_HOOK_ROLES = ['member', 'moderator'] as const
export type AccessHookRole = typeof ACCESS_HOOK_ROLES[number]

/** What chat POSTs as JSON. */
export interface AccessHookRequest {
  /**
   * Random, one per request (22 base64url characters): with it no two requests are the same, so
   * a receiver that keeps the `v1`s it saw refuses replays only, never a second instance (or a
   * retry) asking the same question within the same second.
   */
  id: string
  room: string
  user: { id: string, name: string }
}

/** The host product's 200 answer; anything else (another status, another shape) means no. */
export type AccessHookAnswer = { allow: true, role?: AccessHookRole } | { allow: false }

/** What the HMAC is computed over: the signed time, a dot, the exact body bytes sent. */
export const accessSignedText = (unixSeconds: number, body: string): string => `${unixSeconds}.${body}`

export const formatAccessSignature = (unixSeconds: number, hex: string): string => `t=${unixSeconds},v1=${hex}`

/** The time and MAC of a signature header, or null when it is not one. */
export function parseAccessSignature (header: string): { t: number, v1: string } | null {
  const fields = new Map(header.split(',').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  }))
  const t = fields.get('t') ?? ''
  const v1 = fields.get('v1') ?? ''
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) return null
  return { t: Number(t), v1 }
}
