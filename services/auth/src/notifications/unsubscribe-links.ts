import { createHmac, timingSafeEqual } from 'node:crypto'
import { isUserId } from '@webchat/shared'

/** One-click unsubscribe links of notification mails: the signature is the only credential. */
export interface UnsubscribeLinks {
  /** `/auth/unsubscribe?u=<userId>&s=<signature>`. */
  path (userId: string): string
  /** The path on the origin of the app URL. */
  url (userId: string): string
  /** Whether `signature` is the one made for `userId` (constant time). */
  verify (userId: unknown, signature: unknown): userId is string
}

/**
 * Signatures are base64url HMAC-SHA256 over the user id, with a key derived from CODE_SECRET under
 * a label of its own (as `userIdDeriver` does), so that no other HMAC of the service can be
 * replayed as one. They never expire: a link in an old mail keeps working, and all it can do is
 * turn that user's mails off. Rotating CODE_SECRET voids every link sent before.
 */
export function createUnsubscribeLinks (secret: string, appUrl: string): UnsubscribeLinks {
  const key = createHmac('sha256', secret).update('webchat unsubscribe key').digest()
  const sign = (userId: string): Buffer => createHmac('sha256', key).update(`webchat unsubscribe\0${userId}`).digest()
  const origin = new URL(appUrl).origin
  const path = (userId: string): string =>
    `/auth/unsubscribe?${new URLSearchParams({ u: userId, s: sign(userId).toString('base64url') }).toString()}`
  return {
    path,
    url: (userId) => `${origin}${path(userId)}`,
    verify (userId, signature): userId is string {
      if (!isUserId(userId) || typeof signature !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false
      return timingSafeEqual(Buffer.from(signature, 'base64url'), sign(userId))
    }
  }
}
