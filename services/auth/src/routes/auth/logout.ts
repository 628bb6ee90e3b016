import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errorResponses } from '@webchat/service-kit'
import { SESSION_COOKIE } from '../../plugins/external/session.js'

const logoutRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/logout', {
    schema: {
      summary: 'End this session: its chat sockets close and its tokens stop working',
      tags: ['auth'],
      response: { 204: Type.Null(), ...errorResponses(403) }
    }
  }, async (request, reply) => {
    const handle = request.session.handle
    try {
      if (handle !== undefined) {
        await fastify.revocations.revoke(handle)
        fastify.authMetrics.logouts.inc()
      }
    } finally {
      // Whatever became of the revocation (a full or unreachable store refuses it, and the answer
      // says so), the session ends: a user ending a stolen session must never keep it alive.
      await request.session.destroy()
    }
    return await reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send(null)
  })
}

export default logoutRoute
