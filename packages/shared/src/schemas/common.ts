import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { CLIENT_MSG_ID_PATTERN, USER_ID_PATTERN } from '../identifiers.js'
import { MESSAGE_ID_PATTERN } from '../ids.js'
import { ROOM_NAME_PATTERN } from '../rooms.js'

/**
 * One address, no display name, no list, no whitespace or control characters. Stricter than
 * RFC 5322 on purpose: it is the only user input that reaches the mail server.
 */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"

export const Email = Type.String({ minLength: 3, maxLength: LIMITS.emailChars, pattern: EMAIL_PATTERN })
export const RoomName = Type.String({ pattern: ROOM_NAME_PATTERN })
/** Message ids come from the room log: `<ms>-<seq>`, totally ordered within a room. */
export const MessageId = Type.String({ pattern: MESSAGE_ID_PATTERN, maxLength: 33 })
export const UserId = Type.String({ minLength: 1, maxLength: LIMITS.userIdChars, pattern: USER_ID_PATTERN })
export const ClientMsgId = Type.String({ minLength: 1, maxLength: LIMITS.clientMsgIdChars, pattern: CLIENT_MSG_ID_PATTERN })
export const Epoch = Type.String({ minLength: 1, maxLength: 64 })
/** An ISO 8601 UTC timestamp as `Date.prototype.toISOString` writes it. */
export const IsoTime = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$', description: 'ISO 8601 UTC time' })

/** A user as others see them in rooms. */
export const Member = Type.Object({ id: UserId, name: Type.String() }, { additionalProperties: false })
export type Member = Static<typeof Member>

/** The signed-in user. */
export const User = Type.Object({
  id: UserId,
  email: Type.String(),
  name: Type.String(),
  createdAt: IsoTime
}, { $id: 'User', additionalProperties: false })
export type User = Static<typeof User>

/** One emoji on a message and everyone who put it there (its count is their number). */
export const Reaction = Type.Object({
  emoji: Type.String({ minLength: 1, maxLength: LIMITS.reactionChars }),
  users: Type.Array(Member)
}, { additionalProperties: false })
export type Reaction = Static<typeof Reaction>

/** The message a reply quotes, as it is now: its preview, or `deleted` (and no preview) once it was. */
export const ReplyTo = Type.Object({
  id: MessageId,
  user: Member,
  preview: Type.Optional(Type.String()),
  deleted: Type.Optional(Type.Boolean())
}, { additionalProperties: false })
export type ReplyTo = Static<typeof ReplyTo>

/**
 * A stored chat message as it is now. `ts` is milliseconds since the epoch. `seq` numbers the
 * room's messages 1, 2, 3… within its epoch (what unread counts are made of; absent on messages
 * stored before it existed). An edited message carries its current text and `editedAt`; a deleted
 * one an empty text, `deleted` and nothing of what it said.
 */
export const ChatMessage = Type.Object({
  room: RoomName,
  id: MessageId,
  user: Member,
  text: Type.String(),
  ts: Type.Integer(),
  clientMsgId: Type.Optional(ClientMsgId),
  seq: Type.Optional(Type.Integer({ minimum: 1 })),
  mentions: Type.Optional(Type.Array(UserId, { maxItems: LIMITS.mentionsPerMessage })),
  mentionsRoom: Type.Optional(Type.Boolean({ description: '@room: everyone in the room is mentioned' })),
  replyTo: Type.Optional(ReplyTo),
  editedAt: Type.Optional(Type.Integer()),
  deleted: Type.Optional(Type.Boolean()),
  reactions: Type.Optional(Type.Array(Reaction))
}, { additionalProperties: false })
export type ChatMessage = Static<typeof ChatMessage>
