import { Redis, type RedisOptions } from 'ioredis'
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

export interface ConnectRedisEngineOptions extends Omit<RedisEngineOptions, 'client' | 'subscriber' | 'ownsClients'> {
  url: string
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
async function ready (connection: Redis, signal: AbortSignal): Promise<void> {
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

/** Opens its own two connections to `url` and returns an engine that closes them on close. */
export async function connectRedisEngine (options: ConnectRedisEngineOptions): Promise<Engine> {
  const { url, connectTimeoutMs = 5000, whenUnreachable = 'throw', connectionName = 'webchat-engine', ...engineOptions } = options
  const client = new Redis(url, { ...redisClientOptions, connectionName })
  const subscriber = new Redis(url, { ...redisClientOptions, connectionName: `${connectionName}-subscriber` })
  const engine = createRedisEngine({ ...engineOptions, client, subscriber, ownsClients: true })
  const abort = new AbortController()
  try {
    await engineDeadline(Promise.all([ready(client, abort.signal), ready(subscriber, abort.signal)]), connectTimeoutMs)
  } catch (err) {
    abort.abort()
    if (whenUnreachable === 'continue') return engine
    await engine.close()
    throw new EngineUnavailableError(`could not connect to Redis within ${connectTimeoutMs} ms`, { cause: err })
  }
  return engine
}
