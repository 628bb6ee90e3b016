import fp from 'fastify-plugin'
import { createConnections, type Connections } from '../../connection/connections.js'
import { followLogouts } from '../../connection/logouts.js'

declare module 'fastify' {
  interface FastifyInstance { connections: Connections }
}

export default fp(async (fastify) => {
  const { engine, log } = fastify
  const connections = createConnections({ engine, config: fastify.chatConfig, metrics: fastify.chatMetrics, log })
  fastify.decorate('connections', connections)
  const stopFollowing = await followLogouts({ engine, connections, log })

  fastify.addHook('preClose', async () => {
    fastify.presence.close()
    await connections.shutdown()
  })
  fastify.addHook('onClose', async () => { await stopFollowing() })
}, { name: 'chat-connections', dependencies: ['chat-engine', 'chat-metrics', 'chat-presence'] })
