import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { engineDeadline } from '@webchat/engine'
import { type AccessHook, createAccessHook } from '../../membership/access-hook.js'
import type { Announcer } from '../../membership/announce.js'
import { createRoomAdmin, type RoomAdmin } from '../../membership/backend.js'
import { createDirectory } from '../../membership/directory.js'
import { memberEvent } from '../../hooks/webhooks/member-events.js'
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
  const access = accessHook(fastify)
  const { webhooks } = fastify
  const announce: Announcer = {
    room: async (frame, options) => {
      await fastify.rooms.publish(frame)
      if (frame.type === 'member' && options?.membership !== false) await memberEvent(webhooks, frame, new Date().toISOString())
    },
    created: async (room, members) => {
      await webhooks.emit('room.created', { room })
      for (const member of members) await webhooks.emit('member.added', { room: room.id, member })
    },
    user: async (userId, notice) => {
      // A removal (or leave) made here: a yes kept from before must not let them straight back in.
      if (notice.kind === 'removed') access?.forget(notice.room, userId)
      const payload = encodeUserEvent(userId, encodeNotice(notice))
      await engineDeadline(engine.pubsub.publish(names.userEvents(bucketOf(userId)), payload), config.engineTimeoutMs)
    }
  }
  fastify.decorate('membership', createMembership({ directory, quotas: createQuotas({ engine, config }), announce, access, openRooms: config.openRooms }))
  // The same rooms, managed by backends: one directory and one way of announcing for both.
  fastify.decorate('roomAdmin', createRoomAdmin({ directory, announce }))
}, { name: 'chat-membership', dependencies: ['chat-engine', 'chat-rooms', 'chat-metrics', 'chat-hooks'] })

/** The join hook when ROOM_ACCESS_URL is set, its calls counted and logged (without the secret or the URL). */
function accessHook (fastify: FastifyInstance): AccessHook | undefined {
  const { chatConfig: config, chatMetrics: metrics } = fastify
  if (config.roomAccessUrl === undefined || config.roomAccessSecret === undefined) return undefined
  const log = fastify.log.child({ component: 'access-hook' })
  return createAccessHook({
    url: config.roomAccessUrl,
    secret: config.roomAccessSecret,
    timeoutMs: config.roomAccessTimeoutMs,
    allowCacheMs: config.roomAccessCacheMs,
    denyCacheMs: config.roomAccessDenyCacheMs,
    maxEntries: config.roomAccessCacheEntries,
    observe: ({ outcome, ms, ...call }) => {
      metrics.accessHookCalls.inc({ outcome })
      metrics.accessHookLatency.observe(ms / 1000)
      const line = { ...call, outcome, ms }
      if (outcome === 'error' || outcome === 'timeout') log.warn(line, 'join hook gave no answer: the join is refused')
      else log.debug(line, 'join hook answered')
    }
  })
}
