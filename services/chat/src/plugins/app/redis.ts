import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { createRedisEngine, redisClientOptions, type Engine } from '@webchat/engine'
import type { Config } from '../../config.js'

/** How long start waits for Redis before going on without it. */
const START_WAIT_MS = 2000

/** Resolves once the connection is ready, or after `ms` (it keeps connecting in the background). */
async function readyWithin (connection: Redis, ms: number): Promise<void> {
  if (connection.status === 'ready') return
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      connection.off('ready', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    connection.on('ready', done)
  })
}

/**
 * The Redis engine over two connections of its own (commands and a dedicated subscriber), both
 * with the engine's client options, quit by the engine on close. Start never fails on Redis:
 * when it is down the instance runs anyway (live, not ready, `unavailable` for what needs Redis)
 * and is ready once Redis is, instead of exiting into a restart loop. (@fastify/redis is not used
 * because its registration waits for Redis and fails the start after the plugin timeout.)
 */
export async function connectRedis (fastify: FastifyInstance, config: Config): Promise<Engine> {
  const url = config.REDIS_URL
  if (url === undefined) throw new Error('REDIS_URL is required for ENGINE=redis')
  const client = new Redis(url, { ...redisClientOptions, connectionName: `chat-${config.INSTANCE_ID}` })
  const subscriber = new Redis(url, { ...redisClientOptions, connectionName: `chat-sub-${config.INSTANCE_ID}` })
  const engine = createRedisEngine({
    client,
    subscriber,
    prefix: config.REDIS_PREFIX,
    ownsClients: true,
    commandTimeoutMs: config.ENGINE_TIMEOUT_MS,
    onError: (err) => fastify.log.warn({ err }, 'redis connection error')
  })
  await Promise.all([readyWithin(client, START_WAIT_MS), readyWithin(subscriber, START_WAIT_MS)])
  if (!engine.isReady()) fastify.log.error('Redis is not reachable yet: not ready until it is')
  return engine
}
