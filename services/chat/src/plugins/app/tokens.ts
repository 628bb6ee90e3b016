import fp from 'fastify-plugin'
import { createKeySet } from '../../key-set.js'
import { createTickets, type Tickets } from '../../tickets.js'
import { createTokens, type Tokens } from '../../tokens.js'

declare module 'fastify' {
  interface FastifyInstance {
    tokens: Tokens
    tickets: Tickets
  }
}

/** Chat tokens and invitation tickets: both signed by auth, checked with one cached key set. */
export default fp(async (fastify) => {
  const keys = createKeySet(fastify.chatConfig)
  fastify.decorate('tokens', createTokens({ config: fastify.chatConfig, engine: fastify.engine, keys }))
  fastify.decorate('tickets', createTickets({ config: fastify.chatConfig, keys }))
}, { name: 'chat-tokens', dependencies: ['chat-engine'] })
