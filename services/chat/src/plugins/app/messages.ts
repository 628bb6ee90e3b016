import fp from 'fastify-plugin'
import { createMessages, type Messages } from '../../delivery/messages.js'

declare module 'fastify' {
  interface FastifyInstance { messages: Messages }
}

/** Room logs: appending (stored and published in one step) and reading. */
export default fp(async (fastify) => {
  fastify.decorate('messages', createMessages({ engine: fastify.engine, config: fastify.chatConfig }))
}, { name: 'chat-messages', dependencies: ['chat-engine'] })
