import { Cluster, type Redis } from 'ioredis'
import type { Engine } from '../types.js'
import { wrapMethods } from '../wrap.js'
import { createRedisCounters } from './counters.js'
import { engineDeadline } from '../deadline.js'
import { createGuard } from './guard.js'
import { createRedisKv } from './kv.js'
import { createRedisLogs } from './logs.js'
import { createRedisMaps } from './maps.js'
import { createNames, type HashTagOf } from './names.js'
import { createRedisPresence } from './presence.js'
import { createRedisPubSub } from './pubsub.js'
import { createRedisQueues } from './queues.js'

export interface RedisEngineOptions {
  /** Runs every command; best built with `redisClientOptions`. A Cluster client puts the engine on Redis Cluster. */
  client: Redis | Cluster
  /** Dedicated to SUBSCRIBE; never shared with `client`. A Cluster client needs `shardedSubscribers: true`. */
  subscriber: Redis | Cluster
  /** Prepended to every key and channel. Default 'webchat:'. */
  prefix?: string
  /**
   * Name keys for Redis Cluster and shard pub/sub (see names.ts). Default: whether `client` is a
   * Cluster client. Off, key names stay as they are on a single Redis.
   */
  cluster?: boolean
  /**
   * On a cluster, the hash tag of a logical name (names.ts): names one operation uses together
   * must share one. Default: the name's own `{tag}`, else the whole name.
   */
  hashTag?: HashTagOf
  /** When true, `close()` quits both connections. Default false. */
  ownsClients?: boolean
  /** A command that has not answered by then fails with EngineUnavailableError. Default 1000. */
  commandTimeoutMs?: number
  /**
   * Receives connection errors (emitted by ioredis while it reconnects) and errors thrown by
   * subscription handlers. Default: handler errors become process warnings, connection errors
   * are dropped (calls fail with EngineUnavailableError meanwhile).
   */
  onError?: (err: unknown) => void
}

/**
 * ioredis puts a failed command's arguments on its error, and a cluster error wraps the last
 * node's error (`lastNodeError`): for a refused AUTH or HELLO those arguments are the Redis user
 * and password. Errors handed to `onError` (which services log) have them replaced, however deep.
 */
export function withoutCommandArgs (err: unknown, depth = 0): unknown {
  if (typeof err !== 'object' || err === null || depth > 4) return err
  const { command, lastNodeError, cause } = err as { command?: { args?: unknown }, lastNodeError?: unknown, cause?: unknown }
  if (typeof command === 'object' && command !== null && 'args' in command) command.args = '[redacted]'
  withoutCommandArgs(lastNodeError, depth + 1)
  withoutCommandArgs(cause, depth + 1)
  if (err instanceof AggregateError) for (const inner of err.errors) withoutCommandArgs(inner, depth + 1)
  return err
}

/** QUIT when connected (pending replies arrive first), else drop the connection. */
async function quit (connection: Redis | Cluster, timeoutMs: number): Promise<void> {
  const quitted = connection.status === 'ready' &&
    await engineDeadline(connection.quit(), timeoutMs).then(() => true, () => false)
  if (!quitted) connection.disconnect()
}

/** The Redis engine over two ioredis connections: one for commands, one for subscriptions. */
export function createRedisEngine (options: RedisEngineOptions): Engine {
  const { client, subscriber, prefix = 'webchat:', ownsClients = false, commandTimeoutMs = 1000, cluster = client instanceof Cluster } = options
  if (client === subscriber) throw new TypeError('the Redis engine needs two distinct connections')
  const report = options.onError
  const onError = report === undefined ? (err: unknown) => process.emitWarning(err instanceof Error ? err : String(err)) : (err: unknown) => report(withoutCommandArgs(err))
  const onConnectionError = report === undefined ? () => {} : (err: unknown) => report(withoutCommandArgs(err))
  client.on('error', onConnectionError)
  subscriber.on('error', onConnectionError)

  let closed = false
  const isClosed = (): boolean => closed
  const onClient = createGuard(client, commandTimeoutMs, isClosed)
  const onSubscriber = createGuard(subscriber, commandTimeoutMs, isClosed)
  const names = createNames(prefix, { cluster, hashTag: options.hashTag })
  const pubsub = createRedisPubSub({ client, subscriber, names, onClient, onSubscriber, onError, timeoutMs: commandTimeoutMs })

  return {
    kind: 'redis',
    kv: wrapMethods(createRedisKv(client, names), onClient),
    counters: wrapMethods(createRedisCounters(client, names), onClient),
    pubsub: { publish: pubsub.publish, subscribe: pubsub.subscribe, onResume: pubsub.onResume, onInterrupt: pubsub.onInterrupt },
    logs: wrapMethods(createRedisLogs(client, names), onClient),
    presence: wrapMethods(createRedisPresence(client, names), onClient),
    maps: wrapMethods(createRedisMaps(client, names), onClient),
    queues: wrapMethods(createRedisQueues(client, names), onClient),
    isReady: () => !closed && client.status === 'ready' && subscriber.status === 'ready',
    async ping () {
      await onClient(async () => await client.ping())
    },
    async close () {
      if (closed) return
      closed = true
      // Connections owned by someone else stay open: only our channels are given back.
      await pubsub.close(!ownsClients)
      if (ownsClients) await Promise.all([quit(client, commandTimeoutMs), quit(subscriber, commandTimeoutMs)])
      client.off('error', onConnectionError)
      subscriber.off('error', onConnectionError)
    }
  }
}
