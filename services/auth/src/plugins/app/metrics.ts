import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { type QueueDepth, withDeadline } from '@webchat/engine'

export interface AuthMetrics {
  registry: Registry
  codesSent: Counter<'result'>
  verifications: Counter<'outcome'>
  tokensMinted: Counter
  logouts: Counter
  invitations: Counter
  invitationMails: Counter<'result'>
  notificationMails: Counter<'outcome'>
  httpDuration: Histogram<'method' | 'route' | 'status'>
}

/** The service's metrics, registered in `registry` under `webchat_auth_`. */
export function createMetrics (registry: Registry): AuthMetrics {
  const registers = [registry]
  return {
    registry,
    codesSent: new Counter({ name: 'webchat_auth_codes_sent_total', help: 'Code mails by result (sent, failed, refused by a limit).', labelNames: ['result'], registers }),
    verifications: new Counter({ name: 'webchat_auth_verifications_total', help: 'Code checks by outcome.', labelNames: ['outcome'], registers }),
    tokensMinted: new Counter({ name: 'webchat_auth_tokens_minted_total', help: 'Chat tokens minted.', registers }),
    invitations: new Counter({ name: 'webchat_auth_invitations_total', help: 'Invitation tickets given.', registers }),
    invitationMails: new Counter({ name: 'webchat_auth_invitation_mails_total', help: 'Invitation mails by result (sent, failed, skipped past the daily limit of an address).', labelNames: ['result'], registers }),
    notificationMails: new Counter({
      name: 'webchat_auth_notification_mails_total',
      help: 'Notification jobs by outcome: sent, failed (the mail server did not take it; retried), dead (given up, or not a job), unsubscribed, rate_limited (past NOTIFY_MAILS_PER_HOUR), empty (nothing to send: no such user, or no item they want).',
      labelNames: ['outcome'],
      registers
    }),
    logouts: new Counter({ name: 'webchat_auth_logouts_total', help: 'Sessions ended by logout.', registers }),
    httpDuration: new Histogram({
      name: 'webchat_auth_http_request_duration_seconds',
      help: 'HTTP request durations by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers
    })
  }
}

/**
 * `webchat_auth_notification_queue{state}`: the notification queue's depth (queued, pending, dead),
 * read from the engine on each scrape. A read that fails or takes over a second leaves the last
 * figures, so an unreachable engine never fails or stalls the scrape.
 */
export function notificationQueueGauge (registry: Registry, read: () => Promise<QueueDepth>): Gauge<'state'> {
  return new Gauge({
    name: 'webchat_auth_notification_queue',
    help: 'Notification mails in the queue by state: queued (not acknowledged), pending (of those, handed out at least once), dead (dead letters).',
    labelNames: ['state'],
    registers: [registry],
    async collect () {
      const depth = await withDeadline(read(), 1000, { unref: true }).catch(() => null)
      if (depth === null) return
      for (const state of ['queued', 'pending', 'dead'] as const) this.set({ state }, depth[state])
    }
  })
}

declare module 'fastify' {
  interface FastifyInstance {
    authMetrics: AuthMetrics
  }
}

/** Metrics into the given registry, or a registry of this app's own (with process metrics). */
export default fp<{ registry?: Registry }>(async function metricsPlugin (fastify, opts) {
  let registry = opts.registry
  if (registry === undefined) {
    registry = new Registry()
    collectDefaultMetrics({ register: registry, prefix: 'webchat_auth_' })
  }
  const metrics = createMetrics(registry)
  fastify.decorate('authMetrics', metrics)
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
}, { name: 'auth-metrics' })
