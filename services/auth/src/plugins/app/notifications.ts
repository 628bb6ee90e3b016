import fp from 'fastify-plugin'
import { NOTIFICATION_QUEUE } from '@webchat/shared'
import { appUrlOf } from '../../config.js'
import { createDelivery } from '../../notifications/deliver.js'
import { createNotificationSettings, type NotificationSettingsStore } from '../../notifications/settings.js'
import { createUnsubscribeLinks, type UnsubscribeLinks } from '../../notifications/unsubscribe-links.js'
import { retryDelays, startNotificationWorker, type Worker } from '../../notifications/worker.js'
import { notificationQueueGauge } from './metrics.js'

export interface Notifications {
  settings: NotificationSettingsStore
  links: UnsubscribeLinks
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: Notifications
  }
}

/**
 * Email for people who are away: each user's settings, the signed unsubscribe links, and a worker
 * that sends the mails chat queues (NOTIFICATION_QUEUE) from the time the service is ready until
 * it closes (before the mailer and the engine do).
 */
export default fp(async function notificationsPlugin (fastify) {
  const config = fastify.authConfig
  const appUrl = appUrlOf(config)
  const notifications: Notifications = {
    settings: createNotificationSettings(fastify.engine),
    links: createUnsubscribeLinks(fastify.authSecrets.codeSecret, appUrl)
  }
  fastify.decorate('notifications', notifications)
  const metrics = fastify.authMetrics
  notificationQueueGauge(metrics.registry, async () => await fastify.engine.queues.depth(NOTIFICATION_QUEUE))

  const log = fastify.log.child({ worker: 'notifications' })
  const deliver = createDelivery({
    engine: fastify.engine,
    users: fastify.users,
    mailer: fastify.mailer,
    log,
    appUrl,
    ...notifications,
    mailsPerHour: config.notifyMailsPerHour,
    maxAttempts: config.notifyMaxAttempts
  })
  let worker: Worker | undefined
  fastify.addHook('onReady', async () => {
    worker = startNotificationWorker({
      queues: fastify.engine.queues,
      deliver,
      retryAfterMs: retryDelays(config.notifyRetryMs, config.notifyRetryMaxMs, config.notifyMaxAttempts),
      pollMs: config.notifyPollMs,
      log,
      onOutcome: (outcome) => { metrics.notificationMails.inc({ outcome }) }
    })
  })
  fastify.addHook('preClose', async () => { await worker?.stop() })
}, { name: 'auth-notifications', dependencies: ['auth-config', 'auth-engine', 'auth-users', 'auth-mailer', 'auth-metrics'] })
