import type { Engine } from '@webchat/engine'
import { EMAIL_NOTIFICATION_CHOICES, type EmailNotificationChoice } from '@webchat/shared'
import { names } from '../names.js'

/** Each user's choice of notification mails. */
export interface NotificationSettingsStore {
  /** The user's choice; `all` when they never chose (or the stored value is unknown). */
  emailChoice (userId: string): Promise<EmailNotificationChoice>
  setEmailChoice (userId: string, choice: EmailNotificationChoice): Promise<void>
}

const isChoice = (value: string | null): value is EmailNotificationChoice =>
  (EMAIL_NOTIFICATION_CHOICES as readonly (string | null)[]).includes(value)

/**
 * One key per user who chose something other than `all` (the default is stored as no key), so
 * the family is bounded by the users, with no TTL: a choice holds until changed.
 */
export function createNotificationSettings (engine: Engine): NotificationSettingsStore {
  return {
    async emailChoice (userId) {
      const stored = await engine.kv.get(names.notificationChoice(userId))
      return isChoice(stored) ? stored : 'all'
    },
    async setEmailChoice (userId, choice) {
      if (choice === 'all') await engine.kv.delete(names.notificationChoice(userId))
      else await engine.kv.set(names.notificationChoice(userId), choice)
    }
  }
}
