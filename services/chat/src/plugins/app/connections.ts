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
  // The open connections' tickets work while this instance renews its `alive` key (every third of the
  // ticket life), so never more than RECONNECT_TICKET_MS past their connection's end, even when
  // this instance dies.
  const tickets = fastify.reconnectTickets
  const keepTickets = async (): Promise<void> => {
    await tickets.keepAlive().catch((err: unknown) => { log.warn({ err }, 'reconnect tickets not kept alive') })
  }
  let keeper: NodeJS.Timeout | undefined
  if (tickets.enabled) {
    // Not awaited: an engine down at start delays no start (its tickets are refused until a renewal lands).
    void keepTickets()
    keeper = setInterval(() => { void keepTickets() }, fastify.chatConfig.reconnectTicketMs / 3)
    keeper.unref()
  }

  fastify.addHook('preClose', async () => {
    clearInterval(keeper)
    fastify.presence.close()
    await connections.shutdown()
    // The tickets of the connections just closed work their full time after the end (a drain's clients reconnect with them).
    if (tickets.enabled) await keepTickets()
  })
  fastify.addHook('onClose', async () => { await stopFollowing() })
}, { name: 'chat-connections', dependencies: ['chat-engine', 'chat-metrics', 'chat-presence', 'chat-tokens'] })
