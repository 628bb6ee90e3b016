import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '@webchat/shared'

/**
 * Liveness, readiness and Prometheus metrics. Readiness is the engine's (and, by Fastify's
 * return503OnClosing, 503 once the instance is closing). The mail server is reported, never
 * required: every instance shares it, so failing readiness on it would take them all out of the
 * load balancer, and signed-in users need no mail. Its state is the last background probe's, so a
 * mail server that never answers cannot slow this answer.
 */
const opsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/healthz', {
    schema: { summary: 'Liveness', tags: ['ops'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/readyz', {
    schema: {
      summary: 'Readiness: 503 while the engine is unreachable or the instance is closing; checks.mail reports the mail server (last probe) without failing readiness',
      tags: ['ops'],
      response: { 200: Health, 503: Health }
    }
  }, async (_request, reply) => {
    const engine = fastify.engine.isReady() && await fastify.engine.ping().then(() => true, () => false)
    const mail = fastify.mailer.reachable()
    return await reply.code(engine ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: engine ? 'ok' : 'unavailable', checks: { engine, mail } })
  })

  fastify.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const registry = fastify.authMetrics.registry
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
}

export default opsRoutes
