import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { ChatMessage, ClientMsgId, Member, MessageId, RoomName, UserId } from './common.js'

export const RoomParams = Type.Object({ room: RoomName }, { additionalProperties: false })
export type RoomParams = Static<typeof RoomParams>

export const HistoryQuery = Type.Object({
  before: Type.Optional(MessageId),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.historyPageMax }))
}, { additionalProperties: false })
export type HistoryQuery = Static<typeof HistoryQuery>

export const MessagesPage = Type.Object({
  messages: Type.Array(ChatMessage),
  more: Type.Boolean({ description: 'older messages exist before the first one returned' })
}, { $id: 'MessagesPage', additionalProperties: false })
export type MessagesPage = Static<typeof MessagesPage>

export const RoomPresence = Type.Object({
  room: RoomName,
  members: Type.Array(Member)
}, { $id: 'RoomPresence', additionalProperties: false })
export type RoomPresence = Static<typeof RoomPresence>

/** A backend posts into a room as a named bot user. */
export const PostMessageRequest = Type.Object({
  user: Member,
  text: Type.String({ minLength: 1, maxLength: LIMITS.textChars }),
  clientMsgId: Type.Optional(ClientMsgId)
}, { $id: 'PostMessageRequest', additionalProperties: false })
export type PostMessageRequest = Static<typeof PostMessageRequest>

export const PostMessageResponse = Type.Object({ id: MessageId }, { $id: 'PostMessageResponse', additionalProperties: false })
export type PostMessageResponse = Static<typeof PostMessageResponse>

export const UserParams = Type.Object({ id: UserId }, { additionalProperties: false })
export type UserParams = Static<typeof UserParams>

/** An opaque event pushed to every open connection of one user. */
export const PostEventRequest = Type.Object({ data: Type.Unknown() }, { $id: 'PostEventRequest', additionalProperties: false })
export type PostEventRequest = Static<typeof PostEventRequest>

export const PostEventResponse = Type.Object({
  accepted: Type.Boolean()
}, { $id: 'PostEventResponse', additionalProperties: false })
export type PostEventResponse = Static<typeof PostEventResponse>
