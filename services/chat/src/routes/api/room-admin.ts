import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateRoomRequest, MemberParams, PutMemberRequest, RemoveMemberQuery, RoomDetails, RoomParams, RoomResponse,
  RosterEntry, UpdateRoomRequest, UserParams, UserRooms
} from '@webchat/shared'
import { errorResponses } from '@webchat/service-kit'
import Type from 'typebox'
import { checkRoomTexts } from '../../membership/room-texts.js'
import { requireServiceKey } from './guards.js'

const backend = { tags: ['backends'], security: [{ serviceKey: [] }] }

/**
 * The host product manages rooms (membership/backend.ts): creates them with their members, sets
 * roles, removes and bans, edits and archives, and reads rosters and lists.
 */
/** A title and topic, or a role and a name: far less than this. A new room's members may take up to Fastify's 1 MiB. */
const SMALL_BODY = 16 * 1024

const roomAdminRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', requireServiceKey(fastify.chatConfig))
  const admin = fastify.roomAdmin

  fastify.post('/api/rooms', {
    schema: {
      ...backend,
      summary: 'Create a public, private or direct room with its members (backends)',
      body: CreateRoomRequest,
      response: { 201: RoomDetails, ...errorResponses(400, 401, 409, 429, 503) }
    }
  }, async (request, reply) => {
    checkRoomTexts(fastify.chatConfig, request.body)
    return await reply.code(201).send(await admin.create(request.body))
  })

  fastify.get('/api/rooms/:room', {
    schema: {
      ...backend,
      summary: 'A room with its members and bans (backends); 404 for a public room nobody has joined yet',
      params: RoomParams,
      response: { 200: RoomDetails, ...errorResponses(400, 401, 404, 503) }
    }
  }, async (request) => await admin.details(request.params.room))

  fastify.patch('/api/rooms/:room', {
    schema: {
      ...backend,
      summary: 'Edit a room\'s title and topic, archive or unarchive it (backends)',
      params: RoomParams,
      body: UpdateRoomRequest,
      response: { 200: RoomResponse, ...errorResponses(400, 401, 404, 413, 503) }
    },
    bodyLimit: SMALL_BODY
  }, async (request) => {
    checkRoomTexts(fastify.chatConfig, request.body)
    return { room: await admin.update(request.params.room, request.body) }
  })

  fastify.put('/api/rooms/:room/members/:user', {
    schema: {
      ...backend,
      summary: 'Add a member with a role, or change a member\'s role (backends)',
      description: 'Making a member owner makes the old owner a moderator; the owner keeps the role until then.',
      params: MemberParams,
      body: PutMemberRequest,
      response: { 200: RosterEntry, 201: RosterEntry, ...errorResponses(400, 401, 403, 404, 409, 413, 429, 503) }
    },
    bodyLimit: SMALL_BODY
  }, async (request, reply) => {
    const { room, user } = request.params
    const { entry, added } = await admin.putMember(room, { id: user, name: request.body.name }, request.body.role)
    return await reply.code(added ? 201 : 200).send(entry)
  })

  fastify.delete('/api/rooms/:room/members/:user', {
    schema: {
      ...backend,
      summary: 'Remove (or ban) a member; the owner hands the room over first (backends)',
      params: MemberParams,
      querystring: RemoveMemberQuery,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 503) }
    }
  }, async (request, reply) => {
    await admin.removeMember(request.params.room, request.params.user, request.query.ban === true)
    return await reply.code(204).send(null)
  })

  fastify.get('/api/users/:id/rooms', {
    schema: {
      ...backend,
      summary: 'A user\'s rooms, as their own list shows them (backends)',
      params: UserParams,
      response: { 200: UserRooms, ...errorResponses(400, 401, 503) }
    }
  }, async (request) => ({ rooms: await fastify.membership.list(request.params.id) }))
}

export default roomAdminRoutes
