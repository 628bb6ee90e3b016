/**
 * Logical key and channel names that more than one service uses. The engine adds its own
 * prefix (REDIS_PREFIX) to each, so every name on the wire is made in one place.
 */
export const names = {
  /** Channel: auth publishes a session id when that session ends; chat closes its sockets. */
  sessionRevokedChannel: 'session:revoked',
  /** Key: present while tokens of this ended session could still be unexpired. */
  revokedSession: (sid: string): string => `revoked-sid:${sid}`
} as const
