import { names as shared } from '@webchat/engine'

/**
 * Every logical key name the auth service uses, made in one place (the engine adds its prefix,
 * REDIS_PREFIX). Addresses and client IPs reach these only as digests: `address` and `client` are
 * the HMACs or hashes their callers make, so no key spells out personal data.
 */
export const names = {
  ...shared,
  /** The pending code of one code request (`request`: the id in its sign-in cookie) for an address. */
  code: (address: string, request: string): string => `auth:code:${address}:${request}`,
  /** Guesses at one code. */
  codeTries: (address: string, codeId: string): string => `auth:code-tries:${address}:${codeId}`,
  /** Set while one client may not have another code sent to an address. */
  codeCooldown: (address: string, client: string): string => `auth:code-cooldown:${address}:${client}`,
  /** Counter: codes sent to an address this hour, whoever asked. */
  codeHourly: (address: string): string => `auth:code-hourly:${address}`,
  /** Counter: codes one client had sent to an address this hour. */
  codeClientHourly: (address: string, client: string): string => `auth:code-client-hourly:${address}:${client}`,
  /** Counter: one kind of request (`code`, `verify`) from one client. */
  clientLimit: (kind: string, client: string): string => `auth:ip-${kind}:${client}`,
  /** Counter: chat tokens minted for a user in the current 10 minutes. */
  tokensMinted: (userId: string): string => `auth:tokens-minted:${userId}`,
  /** Counter: invitations by address a user asked for this hour (in the user's hash tag). */
  invitationsAsked: (userId: string): string => `auth:invitations:{${userId}}`,
  /** Counter: invitation mails sent to one mailbox today, from anyone (`mailbox`: the digest of its address without a +tag, as its hash tag). */
  invitationMails: (mailbox: string): string => `auth:invitation-mails:{${mailbox}}`,
  /** A user's choice of notification mails when it is not `all` (absent: `all`), in the user's hash tag. */
  notificationChoice: (userId: string): string => `auth:notify-email:{${userId}}`,
  /** Counter: notification mails sent to a user this hour (in the user's hash tag). */
  notificationMails: (userId: string): string => `auth:notify-mails:{${userId}}`,
  /** A user record. */
  user: (id: string): string => `auth:user:${id}`,
  /** A user id by the digest of their address. */
  userByEmail: (emailDigest: string): string => `auth:user-by-email:${emailDigest}`,
  /** A browser session (@fastify/session's data). */
  session: (sessionId: string): string => `auth:session:${sessionId}`
} as const
