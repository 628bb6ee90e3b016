import type { FastifyInstance } from 'fastify'
import fastifyRedis from '@fastify/redis'
import { createRedisEngine, redisClientOptions, type Engine } from '@webchat/engine'
import type { Config } from '../../config.js'

/**
 * The Redis engine over two @fastify/redis connections (commands and a dedicated subscriber),
 * both with the engine's client options; @fastify/redis quits them on close.
 */
export async function connectRedis (fastify: FastifyInstance, config: Config): Promise<Engine> {
  const url = config.REDIS_URL
  if (url === undefined) throw new Error('REDIS_URL is required for ENGINE=redis')
  await fastify.register(fastifyRedis, { namespace: 'chat', url, ...redisClientOptions, connectionName: `chat-${config.INSTANCE_ID}` })
  await fastify.register(fastifyRedis, { namespace: 'chatSubscriber', url, ...redisClientOptions, connectionName: `chat-sub-${config.INSTANCE_ID}` })
  const client = fastify.redis.chat
  const subscriber = fastify.redis.chatSubscriber
  if (client === undefined || subscriber === undefined) throw new Error('Redis connections missing')
  return createRedisEngine({
    client,
    subscriber,
    prefix: config.REDIS_PREFIX,
    commandTimeoutMs: config.ENGINE_TIMEOUT_MS,
    onError: (err) => fastify.log.warn({ err }, 'redis connection error')
  })
}
