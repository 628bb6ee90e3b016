import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import type { Engine } from '@webchat/engine'

interface OpsOptions {
  engine: Engine
  registry: Registry
}

/** Liveness, readiness and the merged metrics of both services. */
export default async function opsRoutes (fastify: FastifyInstance, { engine, registry }: OpsOptions): Promise<void> {
  let closing = false
  fastify.addHook('preClose', async () => { closing = true })
  fastify.get('/healthz', async () => ({ status: 'ok' }))
  fastify.get('/readyz', async (_request, reply) => {
    const ready = !closing && engine.isReady()
    return await reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: { engine: engine.isReady(), accepting: !closing } })
  })
  fastify.get('/metrics', async (_request, reply) => {
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
}
