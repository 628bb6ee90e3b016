import { type Engine, engineDeadline } from '@webchat/engine'
import { names } from '../names.js'

/**
 * Who is active: a key per user, set while any of their connections, on any instance, sent a frame
 * within `idleMs`. Written at most every quarter of `idleMs` per user and instance, so a busy
 * connection costs a write a minute or so, not one per frame.
 */
export interface Activity {
  /** A frame from this user: they are active (fire and forget). */
  touch: (userId: string) => void
  /** True when the user has not been active anywhere for `idleMs`. */
  away: (userId: string) => Promise<boolean>
  /** How long until a user active now can count as away at the earliest. */
  readonly idleMs: number
}

export function createActivity (engine: Engine, idleMs: number, engineTimeoutMs: number, onError: (err: unknown) => void): Activity {
  const written = new Map<string, number>()
  const every = Math.max(1, Math.floor(idleMs / 4))
  return {
    idleMs,
    touch (userId) {
      const now = Date.now()
      if (now - (written.get(userId) ?? 0) < every) return
      written.set(userId, now)
      // Entries older than the write interval say nothing the key does not: keep the map small.
      if (written.size > 10_000) for (const [id, at] of written) if (now - at >= every) written.delete(id)
      engineDeadline(engine.kv.set(names.activity(userId), String(now), idleMs), engineTimeoutMs).catch(onError)
    },
    async away (userId) {
      return await engineDeadline(engine.kv.get(names.activity(userId)), engineTimeoutMs) === null
    }
  }
}
