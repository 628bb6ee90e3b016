import { hashBucket } from '@webchat/shared'

/**
 * Logout channels: sessions are spread over this many, so that on a Redis Cluster with sharded
 * pub/sub no one shard carries every logout. Chat subscribes to all of them.
 */
const SESSION_REVOKED_BUCKETS = 16

/**
 * Logical key and channel names that more than one service uses. The engine adds its own
 * prefix (REDIS_PREFIX) to each, so every name on the wire is made in one place.
 */
export const names = {
  sessionRevokedBuckets: SESSION_REVOKED_BUCKETS,
  /** Channel of a bucket of sessions: auth publishes a session id there when it ends; chat closes its sockets. */
  sessionRevokedChannel: (bucket: number): string => `session-revoked:${bucket}`,
  /** The logout bucket (channel) of a session. */
  revocationBucketOf: (sid: string): number => hashBucket(sid, SESSION_REVOKED_BUCKETS),
  /** Key: present while tokens of this ended session could still be unexpired. */
  revokedSession: (sid: string): string => `revoked-sid:${sid}`
} as const
