import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IntrospectRequest, IntrospectResponse } from '@webchat/shared'
import { errors } from '../../errors.js'
import { FORM_LIMIT } from '../../body-parsers.js'
import { errorResponses } from './errors-schema.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** True when `header` is `Bearer <one of keys>`; compares digests in constant time. */
export function hasServiceKey (header: string | undefined, keys: readonly string[]): boolean {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '')
  if (match?.[1] === undefined) return false
  const given = digest(match[1])
  let ok = false
  for (const key of keys) ok = timingSafeEqual(given, digest(key)) || ok
  return ok
}

/** RFC 7662 introspection of chat tokens for other backends (JSON or form body). */
const introspectRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  const keys = fastify.authConfig.serviceKeys
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
    onRequest: async (request, reply) => {
      if (!hasServiceKey(request.headers.authorization, keys)) {
        void reply.header('www-authenticate', 'Bearer realm="webchat-service"')
        throw errors.unauthorized()
      }
    }
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store')
    const claims = await fastify.signer.verify(request.body.token)
    if (claims === null || await fastify.revocations.isRevoked(claims.sid)) return { active: false }
    return { active: true, ...claims, token_type: 'Bearer' }
  })
}

export default introspectRoute
