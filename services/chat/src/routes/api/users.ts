import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ErrorBody, LIMITS, PostEventRequest, PostEventResponse, UserParams } from '@webchat/shared'
import { withDeadline } from '../../deadline.js'
import { ChatError } from '../../errors.js'
import { names } from '../../names.js'
import { bucketOf, encodeUserEvent } from '../../user-events.js'
import { requireServiceKey } from './guards.js'

/** Backends push opaque events (job progress, notices) to every open connection of one user. */
export default async function userRoutes (app: FastifyInstance): Promise<void> {
  const fastify = app.withTypeProvider<TypeBoxTypeProvider>()

  fastify.post('/api/users/:id/events', {
    schema: {
      summary: 'Push an event to a user\'s open connections on every instance (backends)',
      tags: ['backends'],
      security: [{ serviceKey: [] }],
      params: UserParams,
      body: PostEventRequest,
      response: { 202: PostEventResponse, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 503: ErrorBody }
    },
    bodyLimit: 2 * LIMITS.eventBytes,
    preHandler: requireServiceKey(fastify.chatConfig)
  }, async (request, reply) => {
    const { data } = request.body
    if (data === undefined) throw new ChatError(400, 'bad_request', 'body must have data')
    const frame = JSON.stringify({ type: 'event', data })
    if (Buffer.byteLength(frame) - '{"type":"event","data":}'.length > LIMITS.eventBytes) {
      throw new ChatError(413, 'payload_too_large', `event data is limited to ${LIMITS.eventBytes} bytes`)
    }
    const { id } = request.params
    await withDeadline(fastify.engine.pubsub.publish(names.userEvents(bucketOf(id)), encodeUserEvent(id, frame)), fastify.chatConfig.engineTimeoutMs)
    return await reply.code(202).send({ accepted: true })
  })
}
