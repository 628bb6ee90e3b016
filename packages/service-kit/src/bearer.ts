import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** The credentials of `Authorization: Bearer <credentials>` (RFC 6750: one token, visible ASCII), or undefined. */
export function bearerOf (header: string | undefined): string | undefined {
  return /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '')?.[1]
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Why a request was refused a service key. */
export type KeyRefusal = 'missing' | 'unknown'

/**
 * An `onRequest` hook that admits only `Authorization: Bearer <one of keys>` and throws
 * `refuse(reason, reply)` otherwise. It runs before the body is read: a caller without a key
 * learns nothing about what the route accepts. Digests are compared in constant time, with
 * every key, so the time taken tells nothing about the keys either.
 */
export function serviceKeyGuard (keys: readonly string[], refuse: (reason: KeyRefusal, reply: FastifyReply) => Error) {
  const known = keys.map(digest)
  return async function requireServiceKey (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = bearerOf(request.headers.authorization)
    if (key === undefined) throw refuse('missing', reply)
    const offered = digest(key)
    let match = false
    for (const candidate of known) match = timingSafeEqual(candidate, offered) || match
    if (!match) throw refuse('unknown', reply)
  }
}
