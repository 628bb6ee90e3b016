import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  HistoryQuery, LIMITS, MessagesPage, PostMessageRequest, PostMessageResponse, RoomParams, RoomPresence, UserRooms
} from '@webchat/shared'
import { errorResponses } from '@webchat/service-kit'
import { errors } from '../../errors.js'
import { checkAccess } from '../../membership/access.js'
import { sized } from '../../connection/reply-budget.js'
import { isReservedRoomId } from '../../membership/room-ids.js'
import { requireChatToken, requireServiceKey } from './guards.js'

/** The user's rooms, room history and presence for clients; posting for backends. */
const roomRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const userAuth = requireChatToken(fastify.tokens)
  fastify.decorateRequest('chatClaims', null)

  fastify.get('/api/me/rooms', {
    schema: {
      summary: 'The rooms of the token\'s user, as the `rooms` frame lists them (kind, title, role, mute, the other person of a direct room, unread and mention counts, last message) with totals',
      tags: ['rooms'],
      security: [{ chatToken: [] }],
      response: { 200: UserRooms, ...errorResponses(401, 429, 503) }
    },
    onRequest: userAuth
  }, async (request) => {
    // Up to MAX_ROOMS_PER_USER rooms, a read each: paid from the user's reply budget, as list_rooms is.
    const user = request.chatClaims?.sub ?? ''
    const list = async (): Promise<UserRooms> => await fastify.inbox.list(user, await fastify.membership.list(user))
    const { rooms, totals } = await fastify.allowances.replies(user).run(async () => sized(await list()))
    return { rooms, totals }
  })

  fastify.get('/api/rooms/:room/messages', {
    schema: {
      summary: 'A page of a room\'s messages, oldest first',
      tags: ['rooms'],
      security: [{ chatToken: [] }],
      params: RoomParams,
      querystring: HistoryQuery,
      response: { 200: MessagesPage, ...errorResponses(400, 401, 403, 404, 429, 503) }
    },
    onRequest: userAuth
  }, async (request) => {
    const { before, limit } = request.query
    await checkAccess(fastify.membership, request.params.room, request.chatClaims?.sub ?? '')
    // The same budget as the user's sockets: reading over HTTP as well gives no more.
    const budget = fastify.allowances.replies(request.chatClaims?.sub ?? '')
    const { messages, more } = await budget.run(async () => await fastify.messages.page(request.params.room, before ?? null, limit ?? LIMITS.historyPage))
    return { messages, more }
  })

  fastify.get('/api/rooms/:room/presence', {
    schema: {
      summary: 'Who is in a room now, on any instance',
      tags: ['rooms'],
      security: [{ chatToken: [] }],
      params: RoomParams,
      response: { 200: RoomPresence, ...errorResponses(400, 401, 403, 404, 503) }
    },
    onRequest: userAuth
  }, async (request) => {
    await checkAccess(fastify.membership, request.params.room, request.chatClaims?.sub ?? '')
    return { room: request.params.room, members: await fastify.presence.members(request.params.room) }
  })

  fastify.post('/api/rooms/:room/messages', {
    schema: {
      summary: 'Post a message into a room as a named bot user (backends)',
      tags: ['backends'],
      security: [{ serviceKey: [] }],
      params: RoomParams,
      body: PostMessageRequest,
      response: { 200: PostMessageResponse, 201: PostMessageResponse, ...errorResponses(400, 401, 404, 409, 503) }
    },
    bodyLimit: 64 * 1024,
    onRequest: requireServiceKey(fastify.chatConfig)
  }, async (request, reply) => {
    const { user, text, clientMsgId } = request.body
    if (text.trim() === '') throw new errors.BadRequest('text is empty')
    // A private or direct room is made with its members, never by a post; so is a public one
    // while OPEN_ROOMS is off (else its first join makes it, and takes over a log posted first).
    // An archived room is read-only for backends too.
    const state = await fastify.membership.state(request.params.room)
    const needsRecord = isReservedRoomId(request.params.room) || !fastify.chatConfig.openRooms
    if (needsRecord && state === 'none') throw new errors.NotFound('no such room')
    if (state === 'archived') throw new errors.Archived('the room is archived: it is read-only')
    const { id, duplicate } = await fastify.messages.append(request.params.room, user, text, clientMsgId)
    return await reply.code(duplicate ? 200 : 201).send({ id })
  })
}

export default roomRoutes
