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
   * Seed nodes of a Redis Cluster, instead of `url`: `host:port` or `redis://[user:password@]host:port`
   * (the first credentials given apply to every node; `rediss://` for TLS). Keys then carry hash
   * tags (`hashTag`) and pub/sub is sharded.
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

interface SeedNode { host: string, port: number }

/** Seed nodes and the connection options their URLs carry (credentials, TLS). */
export function parseClusterNodes (nodes: string[]): { seeds: SeedNode[], options: RedisOptions } {
  if (nodes.length === 0) throw new TypeError('a Redis Cluster needs at least one seed node')
  const options: RedisOptions = {}
  const seeds = nodes.map((node) => {
    const url = new URL(/^rediss?:\/\//.test(node) ? node : `redis://${node}`)
    const port = Number(url.port === '' ? 6379 : url.port)
    if (url.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65535 || (url.pathname !== '' && url.pathname !== '/')) {
      // The node without its credentials: this message may be logged.
      throw new TypeError(`not a Redis Cluster node (host:port or redis://host:port): ${url.hostname}:${url.port}`)
    }
    if (options.password === undefined && url.password !== '') {
      options.password = decodeURIComponent(url.password)
      if (url.username !== '') options.username = decodeURIComponent(url.username)
    }
    if (url.protocol === 'rediss:') options.tls = {}
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port }
  })
  return { seeds, options }
}

/** A connection to the one Redis at `url`, or a Cluster client over `clusterNodes`. */
function open (url: string | undefined, clusterNodes: string[] | undefined, connectionName: string, subscriber: boolean): Redis | Cluster {
  if ((url === undefined) === (clusterNodes === undefined)) throw new TypeError('give the Redis engine either url or clusterNodes')
  if (url !== undefined) return new Redis(url, { ...redisClientOptions, connectionName })
  const { retryStrategy, ...perNode } = redisClientOptions
  const { seeds, options } = parseClusterNodes(clusterNodes!)
  return new Cluster(seeds, {
    // Same rules as for one Redis: fail at once while down, retry the topology at least every second.
    enableOfflineQueue: false,
    clusterRetryStrategy: retryStrategy,
    // Never resend a command whose connection closed before its reply: it may have run (a counter
    // would count twice, a token be claimed twice). Redirections (MOVED, ASK, TRYAGAIN, CLUSTERDOWN)
    // are still followed: Redis refused those commands. Without that resend's slot refresh, the map
    // is refreshed every second, so a promoted replica is found within a second of taking over.
    retryDelayOnFailover: 0,
    slotsRefreshInterval: 1000,
    // The subscriber keeps one connection per primary for sharded pub/sub (SSUBSCRIBE).
    shardedSubscribers: subscriber,
    redisOptions: { ...perNode, ...options, connectionName }
  })
}

/** Opens its own two connections (to `url` or the cluster) and returns an engine that closes them on close. */
export async function connectRedisEngine (options: ConnectRedisEngineOptions): Promise<Engine> {
  const { url, clusterNodes, connectTimeoutMs = 5000, whenUnreachable = 'throw', connectionName = 'webchat-engine', ...engineOptions } = options
  const client = open(url, clusterNodes, connectionName, false)
  const subscriber = open(url, clusterNodes, `${connectionName}-subscriber`, true)
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
