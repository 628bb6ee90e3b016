import Type, { type Static } from 'typebox'
import { Member, MessageId } from './common.js'

/** The newest message of a room, as a room list shows it. */
export const LastMessage = Type.Object({
  id: MessageId,
  user: Member,
  /** The start of its text (LIMITS.previewChars), empty when deleted. */
  preview: Type.String(),
  ts: Type.Integer(),
  deleted: Type.Optional(Type.Boolean())
}, { additionalProperties: false })
export type LastMessage = Static<typeof LastMessage>

/**
 * Where a user stands in one room. Counts come from the room's message numbers (`seq`): `unread` is
 * the room's last number minus the last one the user read, so it costs nothing per message and
 * stays right across a trimmed log. The user's own messages never count: sending one reads the
 * room up to it. After the room's log was lost (a new epoch) it counts the messages of the new log.
 */
export const InboxEntry = Type.Object({
  /** The number of the room's newest message (0: none yet). */
  seq: Type.Integer({ minimum: 0 }),
  /** The number of the newest message the user has read. */
  readSeq: Type.Integer({ minimum: 0 }),
  unread: Type.Integer({ minimum: 0 }),
  /** Unread messages that mention the user by id, or `@room`. */
  mentions: Type.Integer({ minimum: 0 }),
  /** The user's read marker: the id of the newest message they read, on any device. */
  lastRead: Type.Union([MessageId, Type.Null()]),
  last: Type.Union([LastMessage, Type.Null()])
}, { additionalProperties: false })
export type InboxEntry = Static<typeof InboxEntry>

/** Sums over a user's rooms. */
export const InboxTotals = Type.Object({
  unread: Type.Integer({ minimum: 0 }),
  mentions: Type.Integer({ minimum: 0 }),
  /** Rooms with at least one unread message. */
  rooms: Type.Integer({ minimum: 0 })
}, { additionalProperties: false })
export type InboxTotals = Static<typeof InboxTotals>
