import fp from 'fastify-plugin'
import { createMessages, type Messages } from '../../delivery/messages.js'
import { createReader, type Reader } from '../../lifecycle/reader.js'

declare module 'fastify' {
  interface FastifyInstance { messages: Messages, reader: Reader }
}

/** Room logs: appending (stored and published in one step) and reading messages as they are now. */
export default fp(async (fastify) => {
  const reader = createReader({ engine: fastify.engine, config: fastify.chatConfig })
  fastify.decorate('reader', reader)
  fastify.decorate('messages', createMessages({ engine: fastify.engine, config: fastify.chatConfig, reader, webhooks: fastify.webhooks }))
}, { name: 'chat-messages', dependencies: ['chat-engine', 'chat-hooks'] })
