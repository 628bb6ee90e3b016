import type { FastifyBaseLogger } from 'fastify'
import type { Engine, QueueEntry } from '@webchat/engine'
import { NOTIFICATION_QUEUE, type NotificationJob, validate } from '@webchat/shared'
import { isDeliverable } from '../mail/message.js'
import { names } from '../names.js'
import { mailFailure, type Mailer } from '../plugins/app/mailer.js'
import type { Users } from '../plugins/app/users.js'
import type { NotificationSettingsStore } from './settings.js'
import type { UnsubscribeLinks } from './unsubscribe-links.js'

/** What became of one job (the `outcome` label of webchat_auth_notification_mails_total). */
export type Outcome = 'sent' | 'failed' | 'dead' | 'unsubscribed' | 'rate_limited' | 'empty'

/** Dead letters the notification queue keeps (the newest). */
export const NOTIFICATION_DEAD_MAX = 1000
const HOUR_MS = 3_600_000
/** The per-user mail counter grows with chat traffic: on the memory engine it stays in that share. */
const TRAFFIC = { share: 'traffic' } as const

export interface DeliveryOptions {
  engine: Engine
  users: Users
  settings: NotificationSettingsStore
  links: UnsubscribeLinks
  mailer: Mailer
  log: FastifyBaseLogger
  appUrl: string
  mailsPerHour: number
  maxAttempts: number
}

function parseJob (data: string): NotificationJob | null {
  try {
    const value: unknown = JSON.parse(data)
    return validate.notificationJob(value) ? value : null
  } catch {
    return null
  }
}

/**
 * Handles one entry of the notification queue: it is acknowledged once its mail was sent or
 * there is nothing to send, buried when it is no job or after `maxAttempts` failed sends, and
 * left in the queue (retried after its delay) when the mail server did not take it. Logs name
 * jobs, users and counts only: never an address, a link or what a mail says.
 */
export function createDelivery ({ engine, users, settings, links, mailer, log, appUrl, mailsPerHour, maxAttempts }: DeliveryOptions): (entry: QueueEntry) => Promise<Outcome> {
  const { queues, counters } = engine
  const done = async (entry: QueueEntry, outcome: Outcome): Promise<Outcome> => {
    await queues.ack(NOTIFICATION_QUEUE, entry.id)
    return outcome
  }
  const bury = async (entry: QueueEntry, reason: string): Promise<Outcome> => {
    await queues.bury(NOTIFICATION_QUEUE, entry.id, reason, NOTIFICATION_DEAD_MAX)
    log.warn({ entry: entry.id, attempt: entry.attempt, reason }, 'notification job given up')
    return 'dead'
  }

  return async function deliver (entry) {
    const job = parseJob(entry.data)
    if (job === null) return await bury(entry, 'not a notification job')
    // Handed out past the last attempt: the instances that held it stopped before they were done.
    if (entry.attempt > maxAttempts) return await bury(entry, `not done after ${maxAttempts} attempts`)
    const user = await users.get(job.user)
    if (user === null || !isDeliverable(user.email)) return await done(entry, 'empty')
    const choice = await settings.emailChoice(user.id)
    if (choice === 'off') return await done(entry, 'unsubscribed')
    const items = choice === 'direct' ? job.items.filter((item) => item.kind === 'direct') : job.items
    if (items.length === 0) return await done(entry, 'empty')
    // Past the hourly cap the mail is dropped, not delayed: the messages wait in the app, and a
    // backlog would only arrive late and all at once.
    const rate = names.notificationMails(user.id)
    if ((await counters.increment(rate, HOUR_MS, 1, TRAFFIC)).count > mailsPerHour) return await done(entry, 'rate_limited')
    try {
      await mailer.sendNotification(user.email, {
        jobId: job.id,
        items,
        // Unlisted items are of either kind: counted only when none was left out by the choice.
        more: items.length === job.items.length ? job.more : 0,
        appUrl,
        unsubscribeUrl: links.url(user.id)
      })
    } catch (err) {
      // A mail not sent does not count against the user's hour.
      await counters.increment(rate, HOUR_MS, -1, TRAFFIC).catch(() => {})
      log.warn({ job: job.id, user: user.id, attempt: entry.attempt, mail: mailFailure(err) }, 'notification mail failed')
      if (entry.attempt >= maxAttempts) return await bury(entry, `the mail server did not take it in ${maxAttempts} attempts`)
      return 'failed'
    }
    return await done(entry, 'sent')
  }
}
