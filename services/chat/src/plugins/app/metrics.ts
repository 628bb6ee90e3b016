import fp from 'fastify-plugin'
import type { Registry } from 'prom-client'
import { createMetrics, type Metrics } from '../../metrics.js'

declare module 'fastify' {
  interface FastifyInstance { chatMetrics: Metrics, chatRegistry: Registry }
}

export default fp(async (fastify, opts: { registry: Registry }) => {
  fastify.decorate('chatRegistry', opts.registry)
  fastify.decorate('chatMetrics', createMetrics(opts.registry))
}, { name: 'chat-metrics' })
