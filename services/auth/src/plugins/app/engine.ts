import fp from 'fastify-plugin'
import { connectRedisEngine, createMemoryEngine, type Engine } from '@webchat/engine'

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine
  }
}

/**
 * The state engine: the one passed in (left open on close, its owner closes it), or one made
 * from ENGINE (memory, or Redis over two connections of its own), closed with the app.
 */
export default fp<{ engine?: Engine }>(async function enginePlugin (fastify, opts) {
  if (opts.engine !== undefined) {
    fastify.decorate('engine', opts.engine)
    return
  }
  const { engine: kind, redisUrl, redisPrefix } = fastify.authConfig
  const log = fastify.log.child({ engine: kind })
  const engine = kind === 'redis'
    ? await connectRedisEngine({ url: redisUrl, prefix: redisPrefix, onError: (err) => { log.warn({ err }, 'redis connection error') } })
    : createMemoryEngine({ onError: (err) => { log.error({ err }, 'engine handler error') } })
  fastify.decorate('engine', engine)
  fastify.addHook('onClose', async () => { await engine.close() })
}, { name: 'auth-engine', dependencies: ['auth-config'] })
