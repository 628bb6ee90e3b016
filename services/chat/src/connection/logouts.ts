import type { FastifyBaseLogger } from 'fastify'
import { type Engine, type Unsubscribe, engineDeadline } from '@webchat/engine'
import { names } from '../names.js'
import type { Connections } from './connections.js'

/** Revocation keys read at once when sessions are checked after an outage. */
const RECHECK_AT_ONCE = 100

/**
 * Logout on any instance: auth publishes the session id on its session's bucket channel (one of
 * names.sessionRevokedBuckets, so that no one cluster shard carries them all), and this instance,
 * subscribed to every bucket (and to the single channel an older auth publishes on), closes its
 * sockets of that session. Subscriptions that fail are retried every second until each holds, so
 * an instance started while Redis is down follows logouts once it is back; start waits for them
 * 5 s at most. A logout published while a bucket's subscription was lost (Redis down, its
 * cluster shard failing over) never arrives: when the subscription is back, the open sessions of
 * that bucket are checked against the revocation keys instead.
 * Resolves with the function that stops following.
 */
export async function followLogouts ({ engine, connections, log }: {
  engine: Engine
  connections: Pick<Connections, 'endSession' | 'sessionIds'>
  log: Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>
}): Promise<() => Promise<void>> {
  const channels = [
    ...Array.from({ length: names.sessionRevokedBuckets }, (_, bucket) => names.sessionRevokedChannel(bucket)),
    names.legacySessionRevokedChannel
  ]
  const held = new Map<string, Unsubscribe>()
  let retry: NodeJS.Timeout | undefined
  let stopped = false
  const onRevoked = (sid: string): void => {
    const closed = connections.endSession(sid)
    if (closed > 0) log.info({ sockets: closed }, 'session ended: sockets closed')
  }
  const subscribeMissing = async (): Promise<void> => {
    const missing = channels.filter((channel) => !held.has(channel))
    const results = await Promise.allSettled(missing.map(async (channel) => await engine.pubsub.subscribe(channel, onRevoked)))
    const failures: unknown[] = []
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') failures.push(result.reason)
      else if (stopped) void result.value().catch(() => {})
      else held.set(missing[i]!, result.value)
    }
    if (failures.length === 0) return
    log.error({ err: failures[0], missing: failures.length }, 'cannot subscribe to session revocations; retrying')
    if (!stopped) retry = setTimeout(() => { void subscribeMissing().catch(() => {}) }, 1000)
    throw failures[0]
  }
  await engineDeadline(subscribeMissing(), 5000).catch(() => {})

  // The sessions whose logouts may have been missed: those of the buckets that came back (every
  // session when the scope is every channel, or the channel of older auth versions was lost).
  const missedBy = (scope: ReadonlySet<string> | undefined): string[] => {
    const all = [...connections.sessionIds()]
    if (scope === undefined || scope.has(names.legacySessionRevokedChannel)) return all
    return all.filter((sid) => scope.has(names.sessionRevokedChannel(names.revocationBucketOf(sid))))
  }
  const recheck = async (sids: string[]): Promise<void> => {
    for (let i = 0; i < sids.length; i += RECHECK_AT_ONCE) {
      await Promise.all(sids.slice(i, i + RECHECK_AT_ONCE).map(async (sid) => {
        if (await engine.kv.get(names.revokedSession(sid)) !== null) onRevoked(sid)
      }))
    }
  }
  const stopRecheck = engine.pubsub.onResume((scope) => {
    const sids = missedBy(scope)
    if (sids.length > 0) recheck(sids).catch((err: unknown) => { log.warn({ err }, 'sessions not checked for logouts after the outage') })
  })
  return async () => {
    stopped = true
    stopRecheck()
    clearTimeout(retry)
    await Promise.all([...held.values()].map(async (unsubscribe) => { await unsubscribe().catch(() => {}) }))
  }
}
