import type { FastifyInstance } from 'fastify'
import { connectRedisEngine, type Engine } from '@webchat/engine'
import { redisTarget } from '@webchat/service-kit'
import type { Config } from '../../config.js'
import { names } from '../../names.js'

/** How long start waits for Redis before going on without it. */
const START_WAIT_MS = 2000

/**
 * The Redis engine (one Redis or a cluster) over two connections of its own (commands and a dedicated subscriber), both
 * with the engine's client options, quit by the engine on close. Start never fails on Redis:
 * when it is down the instance runs anyway (live, not ready, `unavailable` for what needs Redis)
 * and is ready once Redis is, instead of exiting into a restart loop. (@fastify/redis is not used
 * because its registration waits for Redis and fails the start after the plugin timeout.)
 */
export async function connectRedis (fastify: FastifyInstance, config: Config): Promise<Engine> {
  const engine = await connectRedisEngine({
    ...redisTarget(config),
    prefix: config.redisPrefix,
    hashTag: names.hashTag,
    connectionName: `chat-${config.instanceId}`,
    connectTimeoutMs: START_WAIT_MS,
    whenUnreachable: 'continue',
    commandTimeoutMs: config.engineTimeoutMs,
    onError: (err) => fastify.log.warn({ err }, 'redis connection error')
  })
  if (!engine.isReady()) fastify.log.error('Redis is not reachable yet: not ready until it is')
  return engine
}
