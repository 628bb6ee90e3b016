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

/** A stored chat message. `ts` is milliseconds since the epoch. */
export const ChatMessage = Type.Object({
  room: RoomName,
  id: MessageId,
  user: Member,
  text: Type.String(),
  ts: Type.Integer(),
  clientMsgId: Type.Optional(ClientMsgId)
}, { additionalProperties: false })
export type ChatMessage = Static<typeof ChatMessage>
