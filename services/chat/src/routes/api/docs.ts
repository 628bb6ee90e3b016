import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** The OpenAPI document of the HTTP routes, built by @fastify/swagger from the route schemas. */
const docsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/api/docs/json', { schema: { hide: true } }, async () => fastify.swagger())
}

export default docsRoutes
