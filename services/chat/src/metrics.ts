import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

const PREFIX = 'webchat_chat_'

/** The service's metrics, registered in `registry` under `webchat_chat_`. */
export function createMetrics (registry: Registry) {
  const registers = [registry]
  return {
    connections: new Gauge({ name: `${PREFIX}connections`, help: 'Open WebSocket connections', registers }),
    rooms: new Gauge({ name: `${PREFIX}rooms`, help: 'Rooms this instance is subscribed to', registers }),
    framesIn: new Counter({ name: `${PREFIX}frames_in_total`, help: 'Frames received from clients, by type', labelNames: ['type'] as const, registers }),
    framesOut: new Counter({ name: `${PREFIX}frames_out_total`, help: 'Frames sent to clients', registers }),
    deliveries: new Counter({ name: `${PREFIX}deliveries_total`, help: 'Chat messages written to client sockets', registers }),
    latency: new Histogram({
      name: `${PREFIX}publish_delivery_seconds`,
      help: 'Time from a message being accepted to its relay to this instance\'s sockets',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers
    }),
    refused: new Counter({ name: `${PREFIX}frames_refused_total`, help: 'Client frames answered with an error, by code', labelNames: ['code'] as const, registers }),
    closes: new Counter({ name: `${PREFIX}closes_total`, help: 'Sockets closed by the server, by close code', labelNames: ['code'] as const, registers }),
    catchUps: new Counter({ name: `${PREFIX}catch_up_messages_total`, help: 'Messages recovered from room logs after a pub/sub outage', registers }),
    webhookQueued: new Counter({ name: `${PREFIX}webhook_events_queued_total`, help: 'Events queued for a webhook endpoint', labelNames: ['endpoint'] as const, registers }),
    webhookDropped: new Counter({ name: `${PREFIX}webhook_events_dropped_total`, help: 'Events that could not be queued for an endpoint, by reason: full (WEBHOOK_QUEUE_MAX), engine', labelNames: ['endpoint', 'reason'] as const, registers }),
    webhookDeliveries: new Counter({ name: `${PREFIX}webhook_attempts_total`, help: 'Webhook delivery attempts, by outcome: delivered (2xx), failed (retried later), dead (the last attempt failed: moved to the dead letters)', labelNames: ['endpoint', 'outcome'] as const, registers }),
    webhookRetries: new Counter({ name: `${PREFIX}webhook_retries_total`, help: 'Webhook attempts after the first of an event', labelNames: ['endpoint'] as const, registers }),
    webhookLatency: new Histogram({
      name: `${PREFIX}webhook_attempt_seconds`,
      help: 'Time a webhook attempt took (a timeout counts as WEBHOOK_TIMEOUT_MS)',
      labelNames: ['endpoint'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers
    }),
    beforeSendCalls: new Counter({ name: `${PREFIX}before_send_calls_total`, help: 'Requests to the before-send hook (BEFORE_SEND_URL), by outcome: allow, reject, rewrite, error, timeout', labelNames: ['outcome'] as const, registers }),
    beforeSendLatency: new Histogram({
      name: `${PREFIX}before_send_seconds`,
      help: 'Time the before-send hook took to answer (a timeout counts as BEFORE_SEND_TIMEOUT_MS)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers
    }),
    accessHookCalls: new Counter({ name: `${PREFIX}access_hook_calls_total`, help: 'Requests to the join hook (ROOM_ACCESS_URL), by outcome: allow, deny, error, timeout', labelNames: ['outcome'] as const, registers }),
    accessHookLatency: new Histogram({
      name: `${PREFIX}access_hook_seconds`,
      help: 'Time the join hook took to answer (a timeout counts as ROOM_ACCESS_TIMEOUT_MS)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers
    })
  }
}

export type Metrics = ReturnType<typeof createMetrics>
