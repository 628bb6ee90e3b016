import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { Member, MessageId, RoomName, UserId } from './common.js'
import { UUID_PATTERN } from './webhooks.js'

/**
 * Email for people who are away. Chat gathers the direct messages and mentions a user missed
 * while away and, after a delay, pushes one NotificationJob per mail into the engine queue
 * NOTIFICATION_QUEUE (as JSON); the auth service, which knows addresses and settings, takes the
 * jobs and sends the mails. Delivery is at least once: a job can be handed out again after a
 * crash, and its `id` is what makes a resent mail recognisable (its Message-ID).
 */
export const NOTIFICATION_QUEUE = 'notification-mails'

/** Items one mail lists at most; the rest are counted in `more`. */
export const NOTIFICATION_ITEMS_MAX = 20

const strict = { additionalProperties: false } as const

/** One message the user missed. */
export const NotificationItem = Type.Object({
  /** `direct`: in a direct room; `mention`: the user (or `@room`) was mentioned elsewhere. */
  kind: Type.Union([Type.Literal('direct'), Type.Literal('mention')]),
  room: RoomName,
  /** What the mail calls the room: its title, or for a direct room the sender's name. */
  roomTitle: Type.String({ maxLength: LIMITS.roomTitleChars }),
  messageId: MessageId,
  from: Member,
  /** The start of the message's text, at most LIMITS.previewChars characters. */
  preview: Type.String({ maxLength: LIMITS.previewChars }),
  /** When it was sent, ms since the epoch. */
  ts: Type.Integer({ minimum: 0 })
}, strict)
export type NotificationItem = Static<typeof NotificationItem>

/** One mail to send: to `user`, listing `items` oldest first, and `more` unread items not listed. */
export const NotificationJob = Type.Object({
  /** A random UUID, the same on every delivery attempt of this job. */
  id: Type.String({ pattern: UUID_PATTERN }),
  user: UserId,
  items: Type.Array(NotificationItem, { minItems: 1, maxItems: NOTIFICATION_ITEMS_MAX }),
  more: Type.Integer({ minimum: 0 })
}, strict)
export type NotificationJob = Static<typeof NotificationJob>

/**
 * Which mails a user gets while away: `all` (the default), `direct` (direct messages only) or
 * `off`. Spelled out, as a union built from an array would have the type `never`.
 */
export const NotificationSettings = Type.Object({
  email: Type.Union([Type.Literal('all'), Type.Literal('direct'), Type.Literal('off')], {
    description: '`all`: direct messages and mentions (the default); `direct`: direct messages only; `off`: no mail'
  })
}, { $id: 'NotificationSettings', ...strict })
export type NotificationSettings = Static<typeof NotificationSettings>
export type EmailNotificationChoice = NotificationSettings['email']
export const EMAIL_NOTIFICATION_CHOICES: readonly EmailNotificationChoice[] = ['all', 'direct', 'off']
