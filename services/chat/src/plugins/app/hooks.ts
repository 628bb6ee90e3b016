import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { engineDeadline } from '@webchat/engine'
import { Gauge } from 'prom-client'
import { type BeforeSend, createBeforeSend } from '../../hooks/before-send.js'
import { startDispatcher } from '../../hooks/webhooks/dispatcher.js'
import { createWebhooks, type Webhooks } from '../../hooks/webhooks/emitter.js'
import { type Endpoint, loadEndpoints } from '../../hooks/webhooks/endpoints.js'
import { names } from '../../names.js'

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: Webhooks
    webhookEndpoints: Endpoint[]
    /** Unset without BEFORE_SEND_URL. */
    beforeSend: BeforeSend | undefined
  }
}

/**
 * The host product's hooks: webhooks out (queued durably, delivered by every instance's
 * dispatcher) and the before-send hook in front of each message and edit.
 */
export default fp(async (fastify) => {
  const { engine, chatConfig: config, chatMetrics: metrics } = fastify
  const endpoints = loadEndpoints(config)
  const log = fastify.log.child({ component: 'webhooks' })
  const dispatcher = endpoints.length === 0
    ? undefined
    : startDispatcher(engine, endpoints, {
      consumer: config.instanceId,
      timeoutMs: config.webhookTimeoutMs,
      maxAttempts: config.webhookMaxAttempts,
      retryMs: config.webhookRetryMs,
      retryMaxMs: config.webhookRetryMaxMs,
      deadMax: config.webhookDeadMax,
      concurrency: config.webhookConcurrency,
      pollMs: config.webhookPollMs,
      engineTimeoutMs: config.engineTimeoutMs
    }, metrics, log)
  fastify.decorate('webhookEndpoints', endpoints)
  fastify.decorate('webhooks', createWebhooks({
    engine,
    endpoints,
    queueMax: config.webhookQueueMax,
    timeoutMs: config.engineTimeoutMs,
    metrics,
    log,
    queued: (endpoint) => { dispatcher?.wake(endpoint) }
  }))
  fastify.decorate('beforeSend', beforeSend(fastify))
  if (dispatcher === undefined) return
  fastify.addHook('onClose', async () => { await dispatcher.close() })

  // Read when scraped: the queues are shared, so every instance reports the same figures.
  new Gauge({
    name: 'webchat_chat_webhook_queue',
    help: 'Events of each endpoint\'s queue, by state: queued (not delivered yet), pending (taken at least once: in flight or waiting to be retried), dead (dead letters)',
    labelNames: ['endpoint', 'state'] as const,
    registers: [fastify.chatRegistry],
    async collect () {
      await Promise.all(endpoints.map(async ({ name }) => {
        const depth = await engineDeadline(engine.queues.depth(names.webhookQueue(name)), config.engineTimeoutMs).catch(() => null)
        if (depth === null) return
        for (const state of ['queued', 'pending', 'dead'] as const) this.set({ endpoint: name, state }, depth[state])
      }))
    }
  })
}, { name: 'chat-hooks', dependencies: ['chat-engine', 'chat-metrics'] })

/** The before-send hook when BEFORE_SEND_URL is set, its calls counted and logged (never the text, the URL or the secret). */
function beforeSend (fastify: FastifyInstance): BeforeSend | undefined {
  const { chatConfig: config, chatMetrics: metrics } = fastify
  if (config.beforeSendUrl === undefined || config.beforeSendSecret === undefined) return undefined
  const log = fastify.log.child({ component: 'before-send' })
  return createBeforeSend({
    url: config.beforeSendUrl,
    secret: config.beforeSendSecret,
    timeoutMs: config.beforeSendTimeoutMs,
    onFailure: config.beforeSendOnFailure,
    observe: ({ outcome, ms, ...call }) => {
      metrics.beforeSendCalls.inc({ outcome })
      metrics.beforeSendLatency.observe(ms / 1000)
      const line = { ...call, outcome, ms }
      if (outcome === 'error' || outcome === 'timeout') log.warn({ ...line, onFailure: config.beforeSendOnFailure }, 'before-send hook gave no answer')
      else log.debug(line, 'before-send hook answered')
    }
  })
}
