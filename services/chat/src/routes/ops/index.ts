import type { FastifyInstance } from 'fastify'
import { Health } from '@webchat/shared'
import { withDeadline } from '../../deadline.js'

/** Liveness, readiness and Prometheus metrics (not registered when the embedding server serves them). */
export default async function opsRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get('/healthz', {
    schema: { summary: 'Liveness', tags: ['ops'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/readyz', {
    schema: { summary: 'Readiness: 503 while the engine is unreachable or the instance is shutting down', tags: ['ops'], response: { 200: Health, 503: Health } }
  }, async (_request, reply) => {
    const engine = fastify.engine
    const accepting = !fastify.connections.closing
    const reachable = engine.isReady() && await withDeadline(engine.ping(), fastify.chatConfig.engineTimeoutMs).then(() => true, () => false)
    const ok = accepting && reachable
    return await reply.code(ok ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks: { engine: reachable, accepting } })
  })

  fastify.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return await reply.type(fastify.chatRegistry.contentType).send(await fastify.chatRegistry.metrics())
  })
}
