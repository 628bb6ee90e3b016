import Type, { type Static, type TProperties } from 'typebox'
import { ChatMessage, IsoTime, Member, MessageId, RoomName } from './common.js'
import { Role, Room, RosterEntry } from './rooms.js'

/** What chat tells a host product about, by POSTing one event per request (docs/webhooks.md). */
export const WEBHOOK_EVENT_TYPES = [
  'message.created', 'message.edited', 'message.deleted', 'room.created', 'member.added', 'member.removed', 'member.role_changed'
] as const
export type WebhookEventType = typeof WEBHOOK_EVENT_TYPES[number]

const strict = { additionalProperties: false } as const

/** As `crypto.randomUUID()` writes one (either case accepted). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

/**
 * One event: `id` is the same on every delivery attempt of it (delivery is at least once, so
 * receivers drop an id they have seen), `time` when it happened, `data` what happened.
 */
const event = <T extends WebhookEventType, D extends TProperties>(type: T, data: D) => Type.Object({
  id: Type.String({ pattern: UUID_PATTERN }),
  type: Type.Literal(type),
  time: IsoTime,
  data: Type.Object(data, strict)
}, strict)

/** Who did it: a user id, `backend`, or the member themselves (a leave, a join of a public room). */
const By = Type.String()

/** Webhook events by `type`. */
export const WebhookEvents = {
  'message.created': event('message.created', { message: ChatMessage }),
  /** `editedAt` in ms since the epoch, as in ChatMessage. */
  'message.edited': event('message.edited', { room: RoomName, id: MessageId, text: Type.String(), editedAt: Type.Integer(), editedBy: Member }),
  'message.deleted': event('message.deleted', { room: RoomName, id: MessageId, deletedBy: Member }),
  'room.created': event('room.created', { room: Room }),
  'member.added': event('member.added', { room: RoomName, member: RosterEntry }),
  'member.removed': event('member.removed', {
    room: RoomName,
    user: Member,
    reason: Type.Union([Type.Literal('left'), Type.Literal('removed'), Type.Literal('banned')]),
    by: By
  }),
  'member.role_changed': event('member.role_changed', { room: RoomName, user: Member, role: Role, previous: Role, by: By })
} as const satisfies Record<WebhookEventType, unknown>

export const WebhookEvent = Type.Union(Object.values(WebhookEvents))
export type WebhookEventOf<T extends WebhookEventType> = Static<typeof WebhookEvents[T]>
/** Any event, as a union discriminated by `type` (`Static` of the array-built union gives `never`). */
export type WebhookEvent = { [K in WebhookEventType]: WebhookEventOf<K> }[WebhookEventType]
