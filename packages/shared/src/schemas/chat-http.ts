import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { ROOM_NAME_PATTERN } from '../rooms.js'
import { ChatMessage, ClientMsgId, IsoTime, Member, MessageId, RoomName, UserId } from './common.js'
import { InboxTotals } from './inbox.js'
import { Role, Room, RoomListEntry, ROOM_TITLE_PATTERN, RosterEntry, RoomTopic } from './rooms.js'

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

// Rooms managed by backends (the host product): members, roles and archiving over HTTP.

export const MemberParams = Type.Object({ room: RoomName, user: UserId }, { additionalProperties: false })
export type MemberParams = Static<typeof MemberParams>

const MemberName = Type.String({ maxLength: LIMITS.nameChars, description: 'shown until the user signs in with their own name' })

/** One member a backend puts into a new room; `role` defaults to member. */
export const NewMember = Type.Object({
  user: UserId,
  name: Type.Optional(MemberName),
  role: Type.Optional(Role)
}, { additionalProperties: false })
export type NewMember = Static<typeof NewMember>

export const CreateRoomRequest = Type.Object({
  kind: Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('direct')]),
  id: Type.Optional(Type.String({ pattern: ROOM_NAME_PATTERN, description: 'public rooms: required, not starting with `p-` or `d-`; private rooms: starts with `p-`, made when absent; direct rooms: none' })),
  title: Type.Optional(Type.String({ maxLength: LIMITS.roomTitleChars, pattern: ROOM_TITLE_PATTERN, description: 'empty for a direct room; a public room\'s defaults to its id' })),
  topic: Type.Optional(RoomTopic),
  members: Type.Array(NewMember, { minItems: 1, description: 'public and private: exactly one owner; direct: the two people' })
}, { $id: 'CreateRoomRequest', additionalProperties: false })
export type CreateRoomRequest = Static<typeof CreateRoomRequest>

export const BannedEntry = Type.Object({
  user: Member,
  by: Type.String(),
  at: IsoTime
}, { additionalProperties: false })
export type BannedEntry = Static<typeof BannedEntry>

/** A room with its whole roster, as a backend sees it (bounded by MAX_ROOM_MEMBERS). */
export const RoomDetails = Type.Object({
  room: Room,
  members: Type.Array(RosterEntry),
  banned: Type.Optional(Type.Array(BannedEntry))
}, { $id: 'RoomDetails', additionalProperties: false })
export type RoomDetails = Static<typeof RoomDetails>

export const UpdateRoomRequest = Type.Object({
  title: Type.Optional(Type.String({ maxLength: LIMITS.roomTitleChars, pattern: ROOM_TITLE_PATTERN })),
  topic: Type.Optional(RoomTopic),
  archived: Type.Optional(Type.Boolean({ description: 'true: read-only, history kept' }))
}, { $id: 'UpdateRoomRequest', additionalProperties: false, minProperties: 1 })
export type UpdateRoomRequest = Static<typeof UpdateRoomRequest>

export const RoomResponse = Type.Object({ room: Room }, { $id: 'RoomResponse', additionalProperties: false })
export type RoomResponse = Static<typeof RoomResponse>

export const PutMemberRequest = Type.Object({
  role: Role,
  name: Type.Optional(MemberName)
}, { $id: 'PutMemberRequest', additionalProperties: false })
export type PutMemberRequest = Static<typeof PutMemberRequest>

export const RemoveMemberQuery = Type.Object({
  ban: Type.Optional(Type.Boolean({ description: 'also ban: they cannot be added again until unbanned' }))
}, { additionalProperties: false })
export type RemoveMemberQuery = Static<typeof RemoveMemberQuery>

export const UserRooms = Type.Object({ rooms: Type.Array(RoomListEntry), totals: Type.Optional(InboxTotals) }, { $id: 'UserRooms', additionalProperties: false })
export type UserRooms = Static<typeof UserRooms>
