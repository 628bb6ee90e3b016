import { createHmac, randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { createRedisEngine } from '@webchat/engine'

/** The auth service's session cookie (SESSION_COOKIE of services/auth). */
const SESSION_COOKIE = 'webchat_session'
/** Its key names (services/auth/src/names.ts), given to the engine's key/value store as auth does. */
const userKey = (id: string): string => `auth:user:${id}`
const sessionKey = (id: string): string => `auth:session:${id}`

export interface SeedOptions {
  redisUrl: string
  prefix: string
  /** The auth service's SESSION_SECRET. */
  secret: string
  count: number
  /** Its SESSION_IDLE_TIMEOUT in ms (default 7 days): the session's TTL and cookie max age. */
  idleMs?: number
}

/** A signed-in browser: the Cookie header it sends, and whom it is signed in as. */
export interface SeededSession { cookie: string, userId: string }

/**
 * @fastify/cookie's signature of a cookie value (its Signer, sha256): `value.HMAC` in base64
 * without padding; the cookie carries it URL-encoded, as cookie serialisation writes it.
 */
export const signCookie = (value: string, secret: string): string =>
  `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=/g, '')}`

/**
 * `count` users, each signed in once, written straight into Redis in the auth service's formats
 * (rather than `count` email sign-ins): a user record, and a session as @fastify/session saves it
 * through auth's store (its cookie's JSON, then userId, handle, createdAt), with the store's TTL.
 * Returns each browser's Cookie header, signed with the service's SESSION_SECRET.
 */
export async function seedSessions (options: SeedOptions): Promise<SeededSession[]> {
  const idleMs = options.idleMs ?? 7 * 86_400_000
  const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true })
  const subscriber = client.duplicate()
  await Promise.all([client.connect(), subscriber.connect()])
  const engine = createRedisEngine({ client, subscriber, prefix: options.prefix, ownsClients: true, commandTimeoutMs: 10_000 })
  const now = Date.now()
  const createdAt = new Date(now).toISOString()
  const seeded: SeededSession[] = []
  try {
    for (let from = 0; from < options.count; from += 500) {
      const batch = Array.from({ length: Math.min(500, options.count - from) }, (_, k) => {
        const i = from + k
        const userId = `bench-r${i}`
        const sessionId = randomBytes(24).toString('base64url')
        const session = {
          cookie: { expires: new Date(now + idleMs).toISOString(), originalMaxAge: idleMs, sameSite: 'lax', secure: false, path: '/', httpOnly: true, domain: null },
          userId,
          handle: randomBytes(18).toString('base64url'),
          createdAt: now
        }
        seeded.push({ cookie: `${SESSION_COOKIE}=${encodeURIComponent(signCookie(sessionId, options.secret))}`, userId })
        return [
          engine.kv.set(userKey(userId), JSON.stringify({ id: userId, email: `r${i}@bench.webchat.test`, name: `Bench r${i}`, createdAt })),
          engine.kv.set(sessionKey(sessionId), JSON.stringify(session), idleMs)
        ]
      })
      await Promise.all(batch.flat())
    }
  } finally {
    await engine.close()
  }
  return seeded
}
