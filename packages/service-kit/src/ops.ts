import type { FastifySchema } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '@webchat/shared'
import { withDeadline } from '@webchat/engine'

/** One readiness check: true when that part is up. */
export type Check = () => boolean | Promise<boolean>

export interface OpsOptions {
  /** What /metrics serves (a prom-client Registry). */
  metrics: { readonly contentType: string, metrics (): Promise<string> }
  /** Checks that must all hold for a 200; each reported in `checks`. */
  required: Record<string, Check>
  /** Checks reported in `checks` that never fail readiness. */
  reported?: Record<string, Check>
  /** A check that has not answered within this many ms counts as false. Default 1500. */
  timeoutMs?: number
  /** The OpenAPI summary of /readyz: what readiness means for this service. */
  readiness?: string
}

/** A state engine's check: connected and answering a ping. */
export function engineCheck (engine: { isReady (): boolean, ping (): Promise<unknown> }): Check {
  return async () => engine.isReady() && await engine.ping().then(() => true)
}

/**
 * Liveness (`/healthz`: the process answers), readiness (`/readyz`: 503 while a required check
 * fails, so the load balancer sends no traffic; answered in bounded time, as a hung dependency
 * must not hang the probe) and Prometheus metrics. Not wrapped in fastify-plugin: its routes keep
 * their own scope.
 */
const opsRoutes: FastifyPluginAsyncTypebox<OpsOptions> = async (fastify, opts) => {
  const timeoutMs = opts.timeoutMs ?? 1500
  const run = async (check: Check): Promise<boolean> =>
    await withDeadline(Promise.resolve().then(check), timeoutMs).catch(() => false)
  const runAll = async (checks: Record<string, Check>): Promise<Record<string, boolean>> =>
    Object.fromEntries(await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(check)] as const)))

  fastify.get('/healthz', {
    schema: { summary: 'Liveness', tags: ['ops'], response: { 200: Health } }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/readyz', {
    schema: {
      summary: opts.readiness ?? 'Readiness: 503 while a required check fails',
      tags: ['ops'],
      response: { 200: Health, 503: Health }
    }
  }, async (_request, reply) => {
    const [required, reported] = await Promise.all([runAll(opts.required), runAll(opts.reported ?? {})])
    const ok = Object.values(required).every((up) => up)
    return await reply.code(ok ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks: { ...required, ...reported } })
  })

  // `hide` is @fastify/swagger's: the metrics text stays out of the OpenAPI document.
  fastify.get('/metrics', { schema: { hide: true } as FastifySchema }, async (_request, reply) => {
    return await reply.type(opts.metrics.contentType).send(await opts.metrics.metrics())
  })
}

export default opsRoutes
