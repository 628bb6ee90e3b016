import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '@webchat/shared'

/** Liveness, readiness (engine and mail server) and Prometheus metrics. */
const opsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/healthz', {
    schema: { summary: 'Liveness', tags: ['ops'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/readyz', {
    schema: { summary: 'Readiness: 503 while the engine or the mail server is unreachable', tags: ['ops'], response: { 200: Health, 503: Health } }
  }, async (_request, reply) => {
    const [engine, mail] = await Promise.all([
      fastify.engine.isReady() ? fastify.engine.ping().then(() => true, () => false) : Promise.resolve(false),
      fastify.mailer.check()
    ])
    const ok = engine && mail
    return await reply.code(ok ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks: { engine, mail } })
  })

  fastify.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const registry = fastify.authMetrics.registry
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
}

export default opsRoutes
