import fp from 'fastify-plugin'
import { type Changes, createChanges } from '../../lifecycle/changes.js'

declare module 'fastify' {
  interface FastifyInstance { changes: Changes }
}

/** Edits, deletions and reactions, through the room logs. */
export default fp(async (fastify) => {
  fastify.decorate('changes', createChanges({ engine: fastify.engine, config: fastify.chatConfig, reader: fastify.reader, membership: fastify.membership, webhooks: fastify.webhooks }))
}, { name: 'chat-lifecycle', dependencies: ['chat-engine', 'chat-messages', 'chat-membership', 'chat-hooks'] })
