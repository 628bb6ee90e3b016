import fp from 'fastify-plugin'
import { createPresence, type Presence } from '../../presence.js'

declare module 'fastify' {
  interface FastifyInstance { presence: Presence }
}

export default fp(async (fastify) => {
  const presence = createPresence({ engine: fastify.engine, config: fastify.chatConfig, rooms: fastify.rooms, log: fastify.log })
  fastify.decorate('presence', presence)
  fastify.addHook('onClose', async () => { presence.close() })
}, { name: 'chat-presence', dependencies: ['chat-engine', 'chat-rooms'] })
