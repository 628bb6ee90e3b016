import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { createMemoryEngine, createRedisEngine, redisClientOptions, type Engine } from '@webchat/engine'

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine
  }
}

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
 * The state engine: the one passed in (left open on close, its owner closes it), or one made
 * from ENGINE (memory, or Redis over two connections of its own), closed with the app. Start
 * waits up to 2 s for the Redis connections, never fails on them: when Redis is down the service
 * runs anyway (live, not ready, 503 for what needs Redis) and is ready once Redis is, instead of
 * exiting into a restart loop.
 */
export default fp<{ engine?: Engine }>(async function enginePlugin (fastify, opts) {
  if (opts.engine !== undefined) {
    fastify.decorate('engine', opts.engine)
    return
  }
  const { engine: kind, redisUrl, redisPrefix } = fastify.authConfig
  const log = fastify.log.child({ engine: kind })
  let engine: Engine
  if (kind === 'redis') {
    const client = new Redis(redisUrl, { ...redisClientOptions, connectionName: 'webchat-engine' })
    const subscriber = new Redis(redisUrl, { ...redisClientOptions, connectionName: 'webchat-engine-subscriber' })
    engine = createRedisEngine({
      client, subscriber, prefix: redisPrefix, ownsClients: true, onError: (err) => { log.warn({ err }, 'redis connection error') }
    })
    await Promise.all([readyWithin(client, 2000), readyWithin(subscriber, 2000)])
    if (!engine.isReady()) log.error('Redis is not reachable yet: not ready until it is')
  } else {
    engine = createMemoryEngine({ onError: (err) => { log.error({ err }, 'engine handler error') } })
  }
  fastify.decorate('engine', engine)
  fastify.addHook('onClose', async () => { await engine.close() })
}, { name: 'auth-engine', dependencies: ['auth-config'] })
