import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '@webchat/service-kit'
import { TokenResponse } from '@webchat/shared'
import { requireSession, signedIn } from './session-user.js'

const tokenRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/token', {
    schema: {
      summary: 'Mint a short-lived chat token for this session',
      tags: ['auth'],
      response: { 200: TokenResponse, ...errorResponses(401, 403) }
    },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user, handle } = signedIn(request)
    const { token, expiresAt } = await fastify.signer.sign({ userId: user.id, sid: handle, name: user.name })
    fastify.authMetrics.tokensMinted.inc()
    return await reply.header('cache-control', 'no-store').send({ token, expiresAt })
  })
}

export default tokenRoute
