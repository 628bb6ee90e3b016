import fp from 'fastify-plugin'
import { connectRedisEngine, createMemoryEngine, type Engine } from '@webchat/engine'
import { redisTarget } from '@webchat/service-kit'

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine
  }
}

/**
 * The state engine: the one passed in (left open on close, its owner closes it), or one made
 * from ENGINE (memory, or Redis or a Redis Cluster over two connections of its own), closed with the app. Start
 * waits up to 2 s for the Redis connections, never fails on them: when Redis is down the service
 * runs anyway (live, not ready, 503 for what needs Redis) and is ready once Redis is, instead of
 * exiting into a restart loop.
 */
export default fp<{ engine?: Engine }>(async function enginePlugin (fastify, opts) {
  if (opts.engine !== undefined) {
    fastify.decorate('engine', opts.engine)
    return
  }
  const { engine: kind, redisPrefix } = fastify.authConfig
  const log = fastify.log.child({ engine: kind })
  const engine = kind === 'redis'
    ? await connectRedisEngine({
      ...redisTarget(fastify.authConfig),
      prefix: redisPrefix,
      connectTimeoutMs: 2000,
      whenUnreachable: 'continue',
      onError: (err) => { log.warn({ err }, 'redis connection error') }
    })
    : createMemoryEngine({ onError: (err) => { log.error({ err }, 'engine handler error') } })
  if (!engine.isReady()) log.error('Redis is not reachable yet: not ready until it is')
  fastify.decorate('engine', engine)
  fastify.addHook('onClose', async () => { await engine.close() })
}, { name: 'auth-engine', dependencies: ['auth-config'] })
