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
  // An open connection's ticket is kept alive at half its life, so that it never outlives the
  // connection by more than RECONNECT_TICKET_MS, even when this instance dies.
  const tickets = fastify.reconnectTickets
  const keepTickets = tickets.enabled
    ? setInterval(() => { void tickets.keepAlive(connections.each()) }, fastify.chatConfig.reconnectTicketMs / 2)
    : undefined
  keepTickets?.unref()

  fastify.addHook('preClose', async () => {
    clearInterval(keepTickets)
    fastify.presence.close()
    await connections.shutdown()
  })
  fastify.addHook('onClose', async () => { await stopFollowing() })
}, { name: 'chat-connections', dependencies: ['chat-engine', 'chat-metrics', 'chat-presence', 'chat-tokens'] })
