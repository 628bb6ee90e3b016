import type { FastifySessionOptions } from '@fastify/session'
import type { KeyValueStore } from '@webchat/engine'
import { names } from '../../names.js'

type SessionStore = NonNullable<FastifySessionOptions['store']>

export interface SessionStoreOptions {
  kv: KeyValueStore
  /** A session unused this long is gone. */
  idleMs: number
  /** A session older than this is gone, however busy. */
  maxAgeMs: number
  now?: () => number
}

interface Stored { createdAt?: unknown }

/**
 * @fastify/session's store over the engine's key/value store: every save sets a TTL of the idle
 * timeout, cut to what is left of the absolute lifetime (counted from `createdAt`).
 */
export function createSessionStore ({ kv, idleMs, maxAgeMs, now = Date.now }: SessionStoreOptions): SessionStore {
  const left = (session: Stored): number => {
    const createdAt = typeof session.createdAt === 'number' ? session.createdAt : now()
    return Math.min(idleMs, createdAt + maxAgeMs - now())
  }
  return {
    set (id, session, callback) {
      const ttl = left(session as Stored)
      const done = ttl > 0 ? kv.set(names.session(id), JSON.stringify(session), ttl) : kv.delete(names.session(id))
      done.then(() => callback(), callback)
    },
    get (id, callback) {
      kv.get(names.session(id)).then((raw) => {
        let session: Stored | null = null
        try {
          session = raw === null ? null : JSON.parse(raw) as Stored
        } catch {
          session = null // unreadable: treated as no session
        }
        if (session === null || typeof session !== 'object' || left(session) <= 0) {
          callback(null, null)
          return
        }
        callback(null, session as never)
      }, callback)
    },
    destroy (id, callback) {
      kv.delete(names.session(id)).then(() => callback(), callback)
    }
  }
}
