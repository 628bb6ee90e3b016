import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import { type Engine, engineDeadline, type QueueEntry } from '@webchat/engine'
import { WEBHOOK_ATTEMPT_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_ID_HEADER } from '@webchat/shared'
import type { Metrics } from '../../metrics.js'
import { names } from '../../names.js'
import { signedPost } from '../http.js'
import type { Endpoint } from './endpoints.js'

export interface DispatchSettings {
  /** Names this instance as the queues' consumer. */
  consumer: string
  timeoutMs: number
  maxAttempts: number
  retryMs: number
  retryMaxMs: number
  deadMax: number
  /** Deliveries in flight per endpoint on this instance. */
  concurrency: number
  /** How often an idle endpoint's queue is looked at (events queued here wake it at once). */
  pollMs: number
  engineTimeoutMs: number
  fetch?: typeof globalThis.fetch
}

export interface Dispatcher {
  /** Events were queued for `endpoint` here: take them now rather than at the next poll. */
  wake: (endpoint: Endpoint) => void
  /** Stops taking; resolves once the deliveries in flight have ended (each within its timeout). */
  close: () => Promise<void>
}

/**
 * The wait before each retry: doubling from WEBHOOK_RETRY_MS up to WEBHOOK_RETRY_MAX_MS. A retry
 * also rescues an event whose instance died mid-delivery, which is why the first wait is longer
 * than an attempt may last (config.ts): an attempt still running is never handed to another.
 */
export const retrySchedule = ({ retryMs, retryMaxMs, maxAttempts }: Pick<DispatchSettings, 'retryMs' | 'retryMaxMs' | 'maxAttempts'>): number[] =>
  Array.from({ length: Math.max(1, maxAttempts - 1) }, (_, i) => Math.min(retryMaxMs, retryMs * 2 ** i))

/** An endpoint's answer, as the dead letters and the log tell it: never the URL. */
const failureOf = (status: number | undefined, reason: string | undefined): string =>
  status === undefined ? (reason ?? 'error') : `status ${status}`

/**
 * Delivers each endpoint's queue: takes a batch, POSTs each event signed, acknowledges what was
 * answered with a 2xx, leaves the rest for a later attempt, and moves an event that failed
 * WEBHOOK_MAX_ATTEMPTS times to the dead letters. Runs apart from chat's traffic: a slow or dead
 * endpoint only grows its own queue.
 */
export function startDispatcher (engine: Engine, endpoints: Endpoint[], settings: DispatchSettings, metrics: Metrics, log: FastifyBaseLogger): Dispatcher {
  const stopping = new AbortController()
  const wakers = new Map<string, () => void>()
  const retryAfterMs = retrySchedule(settings)
  const call = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, settings.engineTimeoutMs)

  /** Delivers one event; true when the endpoint took it. */
  const deliver = async (endpoint: Endpoint, queue: string, entry: QueueEntry): Promise<boolean> => {
    const labels = { endpoint: endpoint.name }
    let event: { id: string, type: string }
    try {
      event = JSON.parse(entry.data) as { id: string, type: string }
    } catch {
      // Only chat writes these queues; an entry that is not an event can never be delivered.
      await call(engine.queues.bury(queue, entry.id, 'not an event', settings.deadMax))
      return true
    }
    if (entry.attempt > 1) metrics.webhookRetries.inc(labels)
    const result = await signedPost({
      url: endpoint.url,
      secret: endpoint.secret,
      body: entry.data,
      headers: { [WEBHOOK_EVENT_HEADER]: event.type, [WEBHOOK_ID_HEADER]: event.id, [WEBHOOK_ATTEMPT_HEADER]: String(entry.attempt), 'user-agent': 'webchat-webhooks' },
      timeoutMs: settings.timeoutMs,
      ...(settings.fetch === undefined ? {} : { fetch: settings.fetch })
    })
    metrics.webhookLatency.observe(labels, result.ms / 1000)
    const line = { endpoint: endpoint.name, event: event.id, type: event.type, attempt: entry.attempt, ms: result.ms }
    if (result.status !== undefined && result.status >= 200 && result.status < 300) {
      metrics.webhookDeliveries.inc({ ...labels, outcome: 'delivered' })
      log.debug(line, 'webhook delivered')
      await call(engine.queues.ack(queue, entry.id))
      return true
    }
    const failure = failureOf(result.status, result.reason)
    if (entry.attempt >= settings.maxAttempts) {
      metrics.webhookDeliveries.inc({ ...labels, outcome: 'dead' })
      log.warn({ ...line, failure }, 'webhook failed its last attempt: moved to the dead letters')
      await call(engine.queues.bury(queue, entry.id, `${failure} (attempt ${entry.attempt})`, settings.deadMax))
      return false
    }
    metrics.webhookDeliveries.inc({ ...labels, outcome: 'failed' })
    log.info({ ...line, failure }, 'webhook attempt failed: it will be retried')
    return false
  }

  const run = async (endpoint: Endpoint): Promise<void> => {
    const queue = names.webhookQueue(endpoint.name)
    let failures = 0
    let refusals = 0
    while (!stopping.signal.aborted) {
      let entries: QueueEntry[]
      try {
        entries = await call(engine.queues.take(queue, settings.consumer, { count: settings.concurrency, retryAfterMs }))
        failures = 0
      } catch (err) {
        failures++
        if (failures === 1) log.warn({ err, endpoint: endpoint.name }, 'webhook queue unreachable: retrying')
        await pause(endpoint, Math.min(30_000, settings.pollMs * 2 ** failures))
        continue
      }
      if (entries.length === 0) {
        await pause(endpoint, settings.pollMs)
        continue
      }
      // An engine error while acknowledging leaves the event pending: it is sent again, same id.
      const taken = await Promise.all(entries.map(async (entry) => await deliver(endpoint, queue, entry).catch((err: unknown) => {
        log.warn({ err, endpoint: endpoint.name }, 'webhook outcome not recorded: the event will be sent again')
        return false
      })))
      // An endpoint refusing everything at once (down, answering 503) is not asked again at once:
      // its backlog would go round Redis and the network as fast as it refuses.
      refusals = taken.some((ok) => ok) ? 0 : refusals + 1
      if (refusals > 0) await pause(endpoint, Math.min(30_000, settings.pollMs * 2 ** Math.min(refusals, 10)))
    }
  }

  /** Waits up to `ms`, less when events are queued here for `endpoint` or the dispatcher stops. */
  const pause = async (endpoint: Endpoint, ms: number): Promise<void> => {
    const woken = new AbortController()
    wakers.set(endpoint.name, () => { woken.abort() })
    await sleep(ms, undefined, { signal: AbortSignal.any([woken.signal, stopping.signal]) }).catch(() => {})
    wakers.delete(endpoint.name)
  }

  const loops = endpoints.map(async (endpoint) => await run(endpoint))

  return {
    wake: (endpoint) => { wakers.get(endpoint.name)?.() },
    async close () {
      stopping.abort()
      await Promise.all(loops)
    }
  }
}
