import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { engineDeadline } from '@webchat/engine'
import { errorResponses } from '@webchat/service-kit'
import { DeadLetters, DeadLettersQuery, ReplayRequest, ReplayResponse, WebhookEndpointParams, WebhookEndpoints } from '@webchat/shared'
import { errors } from '../../errors.js'
import type { Endpoint } from '../../hooks/webhooks/endpoints.js'
import { names } from '../../names.js'
import { requireServiceKey } from './guards.js'

/** Dead letters moved back per step when all are replayed. */
const REPLAY_PAGE = 500

/** Backends see each webhook endpoint's queue and dead letters, and send dead letters again. */
const webhookRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { engine, chatConfig: config, webhookEndpoints: endpoints } = fastify
  const call = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const endpointNamed = (name: string): Endpoint => {
    const endpoint = endpoints.find((e) => e.name === name)
    if (endpoint === undefined) throw new errors.NotFound(`no webhook endpoint named ${name}`)
    return endpoint
  }
  const guard = requireServiceKey(config)
  const security = [{ serviceKey: [] }]

  fastify.get('/api/webhooks', {
    schema: {
      summary: 'Webhook endpoints and their queues: events not delivered yet, in flight or waiting for a retry, dead letters (backends)',
      tags: ['webhooks'],
      security,
      response: { 200: WebhookEndpoints, ...errorResponses(401, 503) }
    },
    onRequest: guard
  }, async () => ({
    endpoints: await Promise.all(endpoints.map(async ({ name, url, events }) => ({
      name, origin: new URL(url).origin, events, ...await call(engine.queues.depth(names.webhookQueue(name)))
    })))
  }))

  fastify.get('/api/webhooks/:name/dead', {
    schema: {
      summary: 'An endpoint\'s dead letters, oldest first: events whose last attempt failed (backends)',
      tags: ['webhooks'],
      security,
      params: WebhookEndpointParams,
      querystring: DeadLettersQuery,
      response: { 200: DeadLetters, ...errorResponses(400, 401, 404, 503) }
    },
    onRequest: guard
  }, async (request) => {
    const { name } = endpointNamed(request.params.name)
    const limit = request.query.limit ?? 100
    // One more than asked tells whether there is a next page.
    const letters = await call(engine.queues.dead(names.webhookQueue(name), request.query.after ?? null, limit + 1))
    const page = letters.slice(0, limit)
    return {
      deadLetters: page.map(({ id, data, attempts, reason, at }) => ({ id, attempts, reason, at: new Date(at).toISOString(), event: parsed(data) })),
      ...(letters.length > limit ? { next: page[page.length - 1]!.id } : {})
    }
  })

  fastify.post('/api/webhooks/:name/replay', {
    schema: {
      summary: 'Sends dead letters again: the ones named, or all (backends)',
      description: 'Each goes back to the endpoint\'s queue with its event id, and is tried again from its first attempt. Stops when the queue is full (WEBHOOK_QUEUE_MAX).',
      tags: ['webhooks'],
      security,
      params: WebhookEndpointParams,
      body: ReplayRequest,
      response: { 200: ReplayResponse, ...errorResponses(400, 401, 404, 503) }
    },
    onRequest: guard
  }, async (request) => {
    const queue = names.webhookQueue(endpointNamed(request.params.name).name)
    if (request.body.ids !== undefined) return { replayed: await call(engine.queues.replay(queue, config.webhookQueueMax, request.body.ids)) }
    // All of them, a page at a time: one step each, so that Redis never moves them all at once.
    let replayed = 0
    for (;;) {
      const page = await call(engine.queues.dead(queue, null, REPLAY_PAGE))
      if (page.length === 0) return { replayed }
      const moved = await call(engine.queues.replay(queue, config.webhookQueueMax, page.map((letter) => letter.id)))
      replayed += moved
      if (moved < page.length) return { replayed }
    }
  })
}

const parsed = (data: string): unknown => {
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}

export default webhookRoutes
