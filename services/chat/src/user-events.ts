import { hashBucket } from '@webchat/shared'

/**
 * Events pushed to a user travel on one of USER_EVENT_BUCKETS channels chosen by a hash of the
 * user id, not on a channel per user: an instance subscribes to a bucket while it holds a
 * connection of any user in it, so after the first few hundred connections a new one costs no
 * SUBSCRIBE (and no channel in Redis). The payload names its user: `<id length>:<id><frame>`.
 */
export const USER_EVENT_BUCKETS = 256

/** One of `buckets` (by default the user-event buckets) by a hash of the user id: the same on every instance. */
export const bucketOf = (userId: string, buckets = USER_EVENT_BUCKETS): number => hashBucket(userId, buckets)

export const encodeUserEvent = (userId: string, frame: string): string => `${userId.length}:${userId}${frame}`

/** The user and frame of a bucket payload, or null when it is not one. */
export function decodeUserEvent (payload: string): { userId: string, frame: string } | null {
  const colon = payload.indexOf(':')
  const length = Number(payload.slice(0, colon))
  if (colon < 1 || !Number.isInteger(length) || length < 1 || payload.length < colon + 1 + length) return null
  return { userId: payload.slice(colon + 1, colon + 1 + length), frame: payload.slice(colon + 1 + length) }
}
