import type { FastifyBaseLogger } from 'fastify'
import { type Engine, type Unsubscribe, engineDeadline } from '@webchat/engine'
import { names } from '../names.js'
import type { Connections } from './connections.js'

/**
 * Logout on any instance: auth publishes the session id, and this instance closes its sockets of
 * that session. The subscription is retried every second until it holds, so an instance started
 * while Redis is down follows logouts once it is back; start waits for it 5 s at most.
 * Resolves with the function that stops following.
 */
export async function followLogouts ({ engine, connections, log }: { engine: Engine, connections: Connections, log: FastifyBaseLogger }): Promise<() => Promise<void>> {
  let unsubscribe: Unsubscribe | null = null
  let retry: NodeJS.Timeout | undefined
  let stopped = false
  const subscribe = async (): Promise<Unsubscribe> => {
    const attempt = engine.pubsub.subscribe(names.sessionRevokedChannel, (sid) => {
      const closed = connections.endSession(sid)
      if (closed > 0) log.info({ sockets: closed }, 'session ended: sockets closed')
    })
    attempt.then((done) => {
      if (stopped) void done().catch(() => {})
      else unsubscribe = done
    }, (err: unknown) => {
      log.error({ err }, 'cannot subscribe to session revocations; retrying')
      if (!stopped) retry = setTimeout(() => { void subscribe().catch(() => {}) }, 1000)
    })
    return await attempt
  }
  await engineDeadline(subscribe(), 5000).catch(() => {})
  return async () => {
    stopped = true
    clearTimeout(retry)
    await unsubscribe?.().catch(() => {})
  }
}
