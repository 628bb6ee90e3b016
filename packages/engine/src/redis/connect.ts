import { Cluster, Redis, type RedisOptions } from 'ioredis'
import { EngineUnavailableError, type Engine } from '../types.js'
import { createRedisEngine, type RedisEngineOptions } from './engine.js'
import { engineDeadline } from '../deadline.js'

/**
 * ioredis options for both engine connections: fail at once instead of queueing while Redis
 * is down, never resend a command after a reconnect (it may have run), and retry the
 * connection at least every second so delivery resumes quickly when Redis is back. RESP2: the
 * engine needs nothing of RESP3 (the subscriber connection only subscribes), and ioredis decodes
 * RESP2 replies with less work (measured in docs/benchmarks.md, "What was changed").
 */
export const redisClientOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (times: number): number => Math.min(100 * times, 1000),
  connectTimeout: 2000,
  protocol: 2
} satisfies RedisOptions

export interface ConnectRedisEngineOptions extends Omit<RedisEngineOptions, 'client' | 'subscriber' | 'ownsClients' | 'cluster'> {
  /** One Redis; give this or `clusterNodes`. */
  url?: string
  /**
   * Seed nodes (`host:port`) of a Redis Cluster, instead of `url`. So far the key/value,
   * counters, maps and logs families are cluster-safe (a log's keys share its hash tag, so log
   * names must not contain '{' or '}'); presence still uses keys of several slots in one script,
   * and pub/sub is plain (not sharded) pub/sub (issue 16).
   */
  clusterNodes?: string[]
  /** How long to wait for both connections to be ready. Default 5000. */
  connectTimeoutMs?: number
  /**
   * When Redis is not ready in time: `throw` (default) closes and rejects; `continue` returns the
   * engine anyway, not ready and still connecting, so a service can run (live, not ready) and
   * become ready once Redis is, instead of exiting into a restart loop.
   */
  whenUnreachable?: 'throw' | 'continue'
  /** Shown by CLIENT LIST; the subscriber's gets a `-subscriber` suffix. */
  connectionName?: string
}

/** Resolves on 'ready'; connection errors meanwhile only mean ioredis is retrying. */
async function ready (connection: Redis | Cluster, signal: AbortSignal): Promise<void> {
  if (connection.status === 'ready') return
  await new Promise<void>((resolve) => {
    const done = (): void => {
      connection.off('ready', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    connection.on('ready', done)
    signal.addEventListener('abort', done)
  })
}

/**
 * A Cluster client opens its node connections lazily: commands meeting a node still connecting
 * fail and are retried 100 ms later in timer order, so concurrent calls (say, appends to one log)
 * would run out of order. Opening every known node's connection up front keeps them in call
 * order. (A node that appears later, after a failover, still opens on first use.)
 */
async function openNodes (connection: Redis | Cluster): Promise<void> {
  if (!(connection instanceof Cluster)) return
  await Promise.all(connection.nodes('all').map(async (node) => {
    // A node that cannot be reached now is the cluster client's to retry, as for any later call.
    if (node.status === 'wait') await node.connect().catch(() => {})
  }))
}

/** A connection to the one Redis at `url`, or a Cluster client over `clusterNodes`. */
function open (url: string | undefined, clusterNodes: string[] | undefined, connectionName: string): Redis | Cluster {
  if ((url === undefined) === (clusterNodes === undefined)) throw new TypeError('give the Redis engine either url or clusterNodes')
  if (url !== undefined) return new Redis(url, { ...redisClientOptions, connectionName })
  const { retryStrategy, ...perNode } = redisClientOptions
  return new Cluster(clusterNodes!.map((node) => {
    const at = node.lastIndexOf(':')
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) }
  }), {
    // Same rules as for one Redis: fail at once while down, retry the topology at least every second.
    enableOfflineQueue: false,
    clusterRetryStrategy: retryStrategy,
    redisOptions: { ...perNode, connectionName }
  })
}

/** Opens its own two connections (to `url` or the cluster) and returns an engine that closes them on close. */
export async function connectRedisEngine (options: ConnectRedisEngineOptions): Promise<Engine> {
  const { url, clusterNodes, connectTimeoutMs = 5000, whenUnreachable = 'throw', connectionName = 'webchat-engine', ...engineOptions } = options
  const client = open(url, clusterNodes, connectionName)
  const subscriber = open(url, clusterNodes, `${connectionName}-subscriber`)
  const engine = createRedisEngine({ ...engineOptions, client, subscriber, ownsClients: true, cluster: clusterNodes !== undefined })
  const abort = new AbortController()
  try {
    await engineDeadline(Promise.all([ready(client, abort.signal).then(async () => await openNodes(client)), ready(subscriber, abort.signal)]), connectTimeoutMs)
  } catch (err) {
    abort.abort()
    if (whenUnreachable === 'continue') return engine
    await engine.close()
    throw new EngineUnavailableError(`could not connect to Redis within ${connectTimeoutMs} ms`, { cause: err })
  }
  return engine
}
