import { names as shared } from '@webchat/engine'

/**
 * Every logical key name the auth service uses, made in one place (the engine adds its prefix,
 * REDIS_PREFIX). Addresses and client IPs reach these only as digests: `address` and `client` are
 * the HMACs or hashes their callers make, so no key spells out personal data.
 */
export const names = {
  ...shared,
  /** The pending code of an address. */
  code: (address: string): string => `auth:code:${address}`,
  /** Wrong guesses at one code. */
  codeTries: (address: string, codeId: string): string => `auth:code-tries:${address}:${codeId}`,
  /** Set while an address may not be sent another code. */
  codeCooldown: (address: string): string => `auth:code-cooldown:${address}`,
  /** Counter: codes sent to an address this hour. */
  codeHourly: (address: string): string => `auth:code-hourly:${address}`,
  /** Counter: failed sign-ins of an address. */
  signInFailures: (address: string): string => `auth:failures:${address}`,
  /** Set while an address is locked after too many failures. */
  signInLock: (address: string): string => `auth:lock:${address}`,
  /** Counter: one kind of request (`code`, `verify`) from one client. */
  clientLimit: (kind: string, client: string): string => `auth:ip-${kind}:${client}`,
  /** A user record. */
  user: (id: string): string => `auth:user:${id}`,
  /** A user id by the digest of their address. */
  userByEmail: (emailDigest: string): string => `auth:user-by-email:${emailDigest}`,
  /** A browser session (@fastify/session's data). */
  session: (sessionId: string): string => `auth:session:${sessionId}`
} as const
