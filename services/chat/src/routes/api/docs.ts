import type { FastifyInstance } from 'fastify'

/** The OpenAPI document of the HTTP routes, built by @fastify/swagger from the route schemas. */
export default async function docsRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get('/api/docs/json', { schema: { hide: true } }, async () => fastify.swagger())
}
