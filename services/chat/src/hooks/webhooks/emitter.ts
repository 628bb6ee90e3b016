import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { type Engine, engineDeadline } from '@webchat/engine'
import { WEBHOOK_EVENT_TYPES, type WebhookEvent, type WebhookEventType } from '@webchat/shared'
import type { Metrics } from '../../metrics.js'
import { names } from '../../names.js'
import type { Endpoint } from './endpoints.js'

export type WebhookData<T extends WebhookEventType> = Extract<WebhookEvent, { type: T }>['data']

/**
 * Where chat tells what happened (hooks/webhooks): each event is queued durably for every endpoint
 * whose filter takes it, and delivered later by whichever instance takes it (dispatcher.ts).
 */
export interface Webhooks {
  /**
   * Queues the event; resolves once it is stored (or could not be: counted and logged, never
   * thrown, so that what happened in chat is never undone by its announcement).
   */
  emit: <T extends WebhookEventType>(type: T, data: WebhookData<T>, id?: string) => Promise<void>
  /** Whether any endpoint takes events of this type: what is not sent anywhere is not even built. */
  wants: (type: WebhookEventType) => boolean
}

/** Webhooks with no endpoint: every event goes nowhere. */
export const NO_WEBHOOKS: Webhooks = { emit: async () => {}, wants: () => false }

interface Deps {
  engine: Engine
  endpoints: Endpoint[]
  queueMax: number
  timeoutMs: number
  metrics: Metrics
  log: FastifyBaseLogger
  /** Told which endpoints got an event, so that this instance's dispatcher takes it at once. */
  queued?: (endpoint: Endpoint) => void
}

export function createWebhooks ({ engine, endpoints, queueMax, timeoutMs, metrics, log, queued = () => {} }: Deps): Webhooks {
  // Which endpoints take each type, once: the send path asks for every message.
  const targetsOf = new Map(WEBHOOK_EVENT_TYPES.map((type) => [type, endpoints.filter((endpoint) => endpoint.accepts(type))]))
  return {
    wants: (type) => (targetsOf.get(type)?.length ?? 0) > 0,
    async emit (type, data, id = randomUUID()) {
      const targets = targetsOf.get(type) ?? []
      if (targets.length === 0) return
      // One id for every endpoint and every retry (and, given by the caller, for every time the same
      // thing is told): receivers deduplicate with it.
      const body = JSON.stringify({ id, type, time: new Date().toISOString(), data })
      await Promise.all(targets.map(async (endpoint) => {
        let reason: string
        try {
          const entry = await engineDeadline(engine.queues.push(names.webhookQueue(endpoint.name), body, queueMax), timeoutMs)
          if (entry !== null) {
            metrics.webhookQueued.inc({ endpoint: endpoint.name })
            queued(endpoint)
            return
          }
          reason = 'full'
        } catch (err) {
          reason = 'engine'
          log.error({ err, endpoint: endpoint.name, type }, 'webhook event not queued: the engine failed')
        }
        metrics.webhookDropped.inc({ endpoint: endpoint.name, reason })
        if (reason === 'full') log.error({ endpoint: endpoint.name, type, queueMax }, 'webhook event dropped: the endpoint\'s queue is full (WEBHOOK_QUEUE_MAX)')
      }))
    }
  }
}
