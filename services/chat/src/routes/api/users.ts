import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { engineDeadline } from '@webchat/engine'
import { errorResponses } from '@webchat/service-kit'
import { LIMITS, PostEventRequest, PostEventResponse, UserParams } from '@webchat/shared'
import { errors } from '../../errors.js'
import { names } from '../../names.js'
import { bucketOf, encodeUserEvent } from '../../user-events.js'
import { requireServiceKey } from './guards.js'

/** Backends push opaque events (job progress, notices) to every open connection of one user. */
const userRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/api/users/:id/events', {
    schema: {
      summary: 'Push an event to a user\'s open connections on every instance (backends)',
      tags: ['backends'],
      security: [{ serviceKey: [] }],
      params: UserParams,
      body: PostEventRequest,
      response: { 202: PostEventResponse, ...errorResponses(400, 401, 413, 503) }
    },
    bodyLimit: 2 * LIMITS.eventBytes,
    onRequest: requireServiceKey(fastify.chatConfig)
  }, async (request, reply) => {
    const { data } = request.body
    if (data === undefined) throw new errors.BadRequest('body must have data')
    const frame = JSON.stringify({ type: 'event', data })
    if (Buffer.byteLength(frame) - '{"type":"event","data":}'.length > LIMITS.eventBytes) {
      throw new errors.PayloadTooLarge(`event data is limited to ${LIMITS.eventBytes} bytes`)
    }
    const { id } = request.params
    await engineDeadline(fastify.engine.pubsub.publish(names.userEvents(bucketOf(id)), encodeUserEvent(id, frame)), fastify.chatConfig.engineTimeoutMs)
    return await reply.code(202).send({ accepted: true })
  })
}

export default userRoutes
