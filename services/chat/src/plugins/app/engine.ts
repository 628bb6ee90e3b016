import fp from 'fastify-plugin'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import type { Config } from '../../config.js'
import { connectRedis } from './redis.js'

declare module 'fastify' {
  interface FastifyInstance { engine: Engine }
}

/**
 * The state engine: the one given by the embedding server (not closed here), or one made from
 * config (memory, or Redis with separate command and subscriber connections), closed on close.
 */
export default fp(async (fastify, opts: { config: Config, engine?: Engine }) => {
  if (opts.engine !== undefined) {
    fastify.decorate('engine', opts.engine)
    return
  }
  const engine = opts.config.engine === 'memory'
    ? createMemoryEngine({ onError: (err) => fastify.log.error({ err }, 'engine subscriber failed') })
    : await connectRedis(fastify, opts.config)
  fastify.decorate('engine', engine)
  fastify.addHook('onClose', async () => { await engine.close() })
}, { name: 'chat-engine' })
