import fp from 'fastify-plugin'
import { type Activity, createActivity } from '../../notify/activity.js'
import { createNotifier, type Notifier } from '../../notify/notifier.js'

declare module 'fastify' {
  interface FastifyInstance {
    activity: Activity
    /** Unset with NOTIFY_EMAIL=false. */
    notifier: Notifier | undefined
  }
}

/** Who is away, and the mails of direct messages and mentions waiting for them (notify/). */
export default fp(async (fastify) => {
  const { engine, chatConfig: config, membership } = fastify
  const log = fastify.log.child({ component: 'notify' })
  const activity = createActivity(engine, config.notifyIdleMs, config.engineTimeoutMs, (err) => { log.debug({ err }, 'activity not recorded') })
  fastify.decorate('activity', activity)
  if (!config.notifyEmail) {
    fastify.decorate('notifier', undefined)
    return
  }
  const notifier = createNotifier({ engine, membership, reader: fastify.reader, activity, delayMs: config.notifyDelayMs, pollMs: config.notifySweepMs, engineTimeoutMs: config.engineTimeoutMs, log })
  fastify.decorate('notifier', notifier)
  fastify.addHook('onClose', async () => { notifier.close() })
}, { name: 'chat-notify', dependencies: ['chat-engine', 'chat-membership', 'chat-messages'] })
