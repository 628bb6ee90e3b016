import fp from 'fastify-plugin'
import { engineDeadline } from '@webchat/engine'
import type { Announcer } from '../../membership/announce.js'
import { createRoomAdmin, type RoomAdmin } from '../../membership/backend.js'
import { createDirectory } from '../../membership/directory.js'
import { encodeNotice } from '../../membership/notices.js'
import { createQuotas } from '../../membership/quotas.js'
import { createMembership, type Membership } from '../../membership/service.js'
import { names } from '../../names.js'
import { bucketOf, encodeUserEvent } from '../../user-events.js'

declare module 'fastify' {
  interface FastifyInstance { membership: Membership, roomAdmin: RoomAdmin }
}

export default fp(async (fastify) => {
  const { engine, chatConfig: config } = fastify
  const directory = createDirectory({ engine, config })
  const announce: Announcer = {
    room: async (frame) => { await fastify.rooms.publish(frame) },
    user: async (userId, notice) => {
      const payload = encodeUserEvent(userId, encodeNotice(notice))
      await engineDeadline(engine.pubsub.publish(names.userEvents(bucketOf(userId)), payload), config.engineTimeoutMs)
    }
  }
  fastify.decorate('membership', createMembership({ directory, quotas: createQuotas({ engine, config }), announce }))
  // The same rooms, managed by backends: one directory and one way of announcing for both.
  fastify.decorate('roomAdmin', createRoomAdmin({ directory, announce }))
}, { name: 'chat-membership', dependencies: ['chat-engine', 'chat-rooms'] })
