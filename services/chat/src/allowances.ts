import { createTokenBucket, LIMITS, type TokenBucket } from '@webchat/shared'
import { ReplyBudget } from './connection/reply-budget.js'

/** How often users with no socket and a full budget are forgotten. */
const SWEEP_MS = 5000

/**
 * What one user may use of an instance, whatever number of sockets and requests they use it
 * through: open sockets (config.maxSocketsPerUser), sends (LIMITS.userSendsPerSecond, on top of
 * each connection's own bucket) and the bytes of room log their answers read (one ReplyBudget for
 * every socket's `join` and `history` and the HTTP history). Per user, not per connection,
 * because opening more connections is free: a per-connection budget grows with them. A user is
 * kept while they hold a socket or a budget is not yet full again; one that has neither is no
 * different from a stranger and is forgotten.
 */
export interface Allowances {
  /** Takes one of the user's socket slots; false when they hold `maxSocketsPerUser` already. */
  takeSocket (userId: string): boolean
  /** Gives back a slot taken with `takeSocket` (once, when its socket is gone). */
  releaseSocket (userId: string): void
  /** Sockets the user holds (or is opening) on this instance. */
  sockets (userId: string): number
  /** The byte budget of the user's log reads. */
  replies (userId: string): ReplyBudget
  /** The user's sends (a token bucket). */
  sends (userId: string): TokenBucket
  /** Users kept now. */
  readonly size: number
  close (): void
}

interface Allowance {
  sockets: number
  replies: ReplyBudget | null
  sends: TokenBucket | null
}

const forgettable = (entry: Allowance): boolean =>
  entry.sockets === 0 && (entry.replies === null || entry.replies.idle()) && (entry.sends === null || entry.sends.full())

export function createAllowances ({ maxSocketsPerUser }: { maxSocketsPerUser: number }): Allowances {
  const users = new Map<string, Allowance>()
  const entry = (userId: string): Allowance => {
    let found = users.get(userId)
    if (found === undefined) {
      found = { sockets: 0, replies: null, sends: null }
      users.set(userId, found)
    }
    return found
  }
  const forget = (userId: string, found: Allowance): void => {
    if (forgettable(found)) users.delete(userId)
  }
  const sweep = setInterval(() => {
    for (const [userId, found] of users) forget(userId, found)
  }, SWEEP_MS)
  sweep.unref()

  return {
    takeSocket (userId) {
      const found = entry(userId)
      if (found.sockets >= maxSocketsPerUser) return false
      found.sockets++
      return true
    },
    releaseSocket (userId) {
      const found = users.get(userId)
      if (found === undefined || found.sockets === 0) return
      found.sockets--
      forget(userId, found)
    },
    sockets: (userId) => users.get(userId)?.sockets ?? 0,
    replies (userId) {
      const found = entry(userId)
      return (found.replies ??= new ReplyBudget())
    },
    sends (userId) {
      const found = entry(userId)
      return (found.sends ??= createTokenBucket(LIMITS.userSendsPerSecond, LIMITS.userSendBurst))
    },
    get size () { return users.size },
    close: () => { clearInterval(sweep) }
  }
}
