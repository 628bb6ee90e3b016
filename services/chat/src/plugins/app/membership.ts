import fp from 'fastify-plugin'
import { engineDeadline } from '@webchat/engine'
import { createDirectory } from '../../membership/directory.js'
import { encodeNotice } from '../../membership/notices.js'
import { createQuotas } from '../../membership/quotas.js'
import { createMembership, type Membership } from '../../membership/service.js'
import { names } from '../../names.js'
import { bucketOf, encodeUserEvent } from '../../user-events.js'

declare module 'fastify' {
  interface FastifyInstance { membership: Membership }
}

export default fp(async (fastify) => {
  const { engine, chatConfig: config } = fastify
  const directory = createDirectory({ engine, config })
  fastify.decorate('membership', createMembership({
    directory,
    quotas: createQuotas({ engine, config }),
    announce: {
      room: async (frame) => { await fastify.rooms.publish(frame) },
      user: async (userId, notice) => {
        const payload = encodeUserEvent(userId, encodeNotice(notice))
        await engineDeadline(engine.pubsub.publish(names.userEvents(bucketOf(userId)), payload), config.engineTimeoutMs)
      }
    }
  }))
}, { name: 'chat-membership', dependencies: ['chat-engine', 'chat-rooms'] })
