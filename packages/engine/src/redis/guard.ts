import type { Cluster, Redis } from 'ioredis'
import { engineDeadline } from '../deadline.js'
import { EngineUnavailableError } from '../types.js'

/** Redis replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b/

/**
 * Maps a failure to EngineUnavailableError unless it is a bug rather than an outage: bad
 * arguments (RangeError, TypeError) and commands Redis itself rejected (a ReplyError such as
 * WRONGTYPE) are rethrown as they are.
 */
export function toEngineError (err: unknown): Error {
  if (err instanceof EngineUnavailableError || err instanceof RangeError || err instanceof TypeError) return err
  if (err instanceof Error && err.name === 'ReplyError' && !TRANSIENT_REPLY.test(err.message)) return err
  const message = err instanceof Error ? err.message : String(err)
  return new EngineUnavailableError(`Redis is unavailable: ${message}`, { cause: err })
}

export type Guard = <R>(call: () => Promise<R>) => Promise<R>

/**
 * Runs commands on `client` only while it is ready, and gives up after `timeoutMs`: a caller
 * never waits on ioredis' offline queue or on a connection that died in the middle of a reply.
 */
export function createGuard (client: Redis | Cluster, timeoutMs: number, isClosed: () => boolean): Guard {
  // Commands issued in one turn of the event loop leave in one write: the socket is corked at the
  // first and uncorked once the turn's I/O callbacks are done (setImmediate), so the commands of
  // every request handled in that turn (say, the upgrades of a connect storm: a revocation check and
  // a single-use mark each) share one system call, and so do their replies.
  let corked: Redis['stream'] | null = null
  const uncork = (): void => {
    corked?.uncork()
    corked = null
  }
  return async (call) => {
    if (isClosed()) throw new EngineUnavailableError('the Redis engine is closed')
    if (client.status !== 'ready') throw new EngineUnavailableError(`Redis is unavailable (connection ${client.status})`)
    // A Cluster client has no one socket to cork: its commands go out unbatched.
    const stream = 'stream' in client ? client.stream : undefined
    if (corked === null && stream !== undefined) {
      corked = stream
      corked.cork()
      setImmediate(uncork)
    }
    try {
      return await engineDeadline(call(), timeoutMs)
    } catch (err) {
      throw toEngineError(err)
    }
  }
}
