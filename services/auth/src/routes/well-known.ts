import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Jwks } from '@webchat/shared'

/** The public signing keys; cacheable for a few minutes (chat refetches on an unknown kid). */
const wellKnownRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/.well-known/jwks.json', {
    schema: { summary: 'Public keys that verify chat tokens', tags: ['keys'], response: { 200: Jwks } }
  }, async (_request, reply) => {
    return await reply.header('cache-control', 'public, max-age=300').send(fastify.signer.jwks())
  })
}

export default wellKnownRoutes
