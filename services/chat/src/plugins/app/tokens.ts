import fp from 'fastify-plugin'
import { createKeySet } from '../../key-set.js'
import { createReconnectTickets, type ReconnectTickets } from '../../reconnect-tickets.js'
import { createTickets, type Tickets } from '../../tickets.js'
import { createTokens, type Tokens } from '../../tokens.js'

declare module 'fastify' {
  interface FastifyInstance {
    tokens: Tokens
    reconnectTickets: ReconnectTickets
    tickets: Tickets
  }
}

/**
 * Chat tokens and invitation tickets: both signed by auth, checked with one cached key set; and
 * the reconnect tickets chat gives its connections, checked in the engine.
 */
export default fp(async (fastify) => {
  const keys = createKeySet(fastify.chatConfig)
  const tokens = createTokens({ config: fastify.chatConfig, engine: fastify.engine, keys })
  fastify.decorate('tokens', tokens)
  fastify.decorate('reconnectTickets', createReconnectTickets({ config: fastify.chatConfig, engine: fastify.engine, tokens, log: fastify.log }))
  fastify.decorate('tickets', createTickets({ config: fastify.chatConfig, keys }))
}, { name: 'chat-tokens', dependencies: ['chat-engine'] })
