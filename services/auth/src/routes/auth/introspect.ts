import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, serviceKeyGuard } from '@webchat/service-kit'
import { IntrospectRequest, IntrospectResponse } from '@webchat/shared'
import { errors } from '../../errors.js'
import { FORM_LIMIT } from '../../body-parsers.js'

/** RFC 7662 introspection of chat tokens for other backends (JSON or form body). */
const introspectRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  fastify.post('/introspect', {
    schema: {
      summary: 'Introspect a chat token (RFC 7662); needs a service key as bearer token',
      tags: ['service'],
      security: [{ serviceKey: [] }],
      body: IntrospectRequest,
      response: { 200: IntrospectResponse, ...errorResponses(400, 401, 413, 415) }
    },
    onRequest: serviceKeyGuard(fastify.authConfig.serviceKeys, (_reason, reply) => {
      void reply.header('www-authenticate', 'Bearer realm="webchat-service"')
      return new errors.Unauthorized()
    })
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store')
    const claims = await fastify.signer.verify(request.body.token)
    if (claims === null || await fastify.revocations.isRevoked(claims.sid)) return { active: false }
    return { active: true, ...claims, token_type: 'Bearer' }
  })
}

export default introspectRoute
