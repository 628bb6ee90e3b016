import { positiveInt } from '../arguments.js'
import { EngineUnavailableError, type Engine } from '../types.js'
import { wrapMethods } from '../wrap.js'
import { createMemoryCounters } from './counters.js'
import { createMemoryKv } from './kv.js'
import { createMemoryLogs } from './logs.js'
import { createMemoryMaps } from './maps.js'
import { createMemoryPresence } from './presence.js'
import { createMemoryPubSub } from './pubsub.js'
import { createMemoryQueues } from './queues.js'
import { createStore } from './store.js'

export interface MemoryEngineOptions {
  /**
   * Upper bound on stored names across kv, counters, logs, presence and idempotency keys. A write
   * of a new name past it is refused (EngineUnavailableError) once expired names were reclaimed;
   * nothing stored is dropped to make room.
   */
  maxKeys?: number
  /** Upper bound on logs (they never expire), so that new rooms cannot fill the store; default maxKeys / 10. */
  maxLogs?: number
  /**
   * The most names room traffic and sign-in attempts may each take (see `Share`); default 60 % and
   * 20 % of maxKeys, so that at least a fifth is always there for sessions, revocations and used
   * token ids.
   */
  maxShare?: { traffic: number, attempts: number }
  /** How often expired entries are swept (they also expire lazily on read). */
  sweepIntervalMs?: number
  /** The clock, in epoch milliseconds (tests inject one). */
  now?: () => number
  /** Receives errors thrown by subscription handlers. */
  onError?: (err: unknown) => void
}

/** One process, bounded, with the same semantics as the Redis engine. */
export function createMemoryEngine (options: MemoryEngineOptions = {}): Engine {
  const { now = Date.now } = options
  const maxKeys = positiveInt(options.maxKeys ?? 100_000, 'maxKeys')
  const sweepIntervalMs = positiveInt(options.sweepIntervalMs ?? 1000, 'sweepIntervalMs')
  const onError = options.onError ?? ((err: unknown) => process.emitWarning(err instanceof Error ? err : String(err)))
  const maxLogs = positiveInt(options.maxLogs ?? Math.max(1, Math.floor(maxKeys / 10)), 'maxLogs')
  const maxShare = options.maxShare ?? { traffic: Math.floor(maxKeys * 0.6), attempts: Math.floor(maxKeys / 5) }
  if (maxShare.traffic + maxShare.attempts >= maxKeys) throw new RangeError('maxShare must leave room for state: traffic + attempts < maxKeys')
  for (const share of [maxShare.traffic, maxShare.attempts]) {
    if (!Number.isSafeInteger(share) || share < 0) throw new RangeError(`maxShare values must be integers of 0 or more, got ${share}`)
  }
  const store = createStore({ maxKeys, maxLogs, maxShare, now })
  const pubsub = createMemoryPubSub(onError)
  const sweeper = setInterval(store.sweep, sweepIntervalMs)
  sweeper.unref()
  let closed = false

  const whileOpen = async <R>(call: () => Promise<R>): Promise<R> => {
    if (closed) throw new EngineUnavailableError('the memory engine is closed')
    return await call()
  }

  return {
    kind: 'memory',
    kv: wrapMethods(createMemoryKv(store, now), whileOpen),
    counters: wrapMethods(createMemoryCounters(store, now), whileOpen),
    pubsub: { ...wrapMethods({ publish: pubsub.publish, subscribe: pubsub.subscribe }, whileOpen), onResume: pubsub.onResume, onInterrupt: pubsub.onInterrupt },
    logs: wrapMethods(createMemoryLogs(store, now, pubsub.deliver), whileOpen),
    presence: wrapMethods(createMemoryPresence(store, now), whileOpen),
    maps: wrapMethods(createMemoryMaps(store), whileOpen),
    queues: wrapMethods(createMemoryQueues(store, now), whileOpen),
    isReady: () => !closed,
    ping: async () => await whileOpen(async () => {}),
    async close () {
      closed = true
      clearInterval(sweeper)
      store.clear()
      pubsub.clear()
    }
  }
}
