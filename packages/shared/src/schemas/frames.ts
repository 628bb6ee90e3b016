import Type, { type Static } from 'typebox'
import { ErrorCodeSchema } from '../errors.js'
import { LIMITS } from '../limits.js'
import { ChatMessage, ClientMsgId, Epoch, IsoTime, Member, MessageId, Reaction, RoomName, UserId } from './common.js'
import { InboxEntry, InboxTotals } from './inbox.js'
import { Ticket } from './invitation.js'
import { LeftReason, Role, Room, RoomListEntry, RoomTitle, RoomTopic, RosterEntry, RosterEvent } from './rooms.js'

const frame = { additionalProperties: false } as const

/** A reconnect ticket as `ready` and `refreshed` carry it: opaque to clients, offered where a token goes. */
const ReconnectTicket = Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_.-]+$' })

// ---- client to server -------------------------------------------------------------------------

export const JoinFrame = Type.Object({
  type: Type.Literal('join'),
  room: RoomName,
  since: Type.Optional(MessageId),
  epoch: Type.Optional(Epoch)
}, frame)
export const LeaveFrame = Type.Object({ type: Type.Literal('leave'), room: RoomName }, frame)
const Text = Type.String({ minLength: 1, maxLength: LIMITS.textChars })
export const SendFrame = Type.Object({
  type: Type.Literal('send'),
  room: RoomName,
  text: Text,
  clientMsgId: ClientMsgId,
  /** A message of the same room this one answers: shown above it. */
  replyTo: Type.Optional(MessageId),
  /** Members of the room the message mentions (others are refused with `bad_request`). */
  mentions: Type.Optional(Type.Array(UserId, { minItems: 1, maxItems: LIMITS.mentionsPerMessage, uniqueItems: true })),
  /** `@room`: mentions everyone; allowed to the roles ROOM_MENTION_ROLES names (owners and moderators by default). */
  mentionsRoom: Type.Optional(Type.Boolean())
}, frame)
// Changes to a message go through the room's log like messages: idempotent by `clientMsgId`,
// acknowledged with `ack {clientMsgId, id}` (the change's id), refused with `error {ref: clientMsgId}`.
/** The author changes the text, within EDIT_WINDOW_MINUTES of sending it. */
export const EditFrame = Type.Object({ type: Type.Literal('edit'), room: RoomName, id: MessageId, text: Text, clientMsgId: ClientMsgId }, frame)
/** The author, a moderator or the owner deletes a message: its text is gone from storage. */
export const DeleteFrame = Type.Object({ type: Type.Literal('delete'), room: RoomName, id: MessageId, clientMsgId: ClientMsgId }, frame)
/** Adds an emoji reaction to a message, or with `remove` takes the user's own away. */
export const ReactFrame = Type.Object({
  type: Type.Literal('react'),
  room: RoomName,
  id: MessageId,
  emoji: Type.String({ minLength: 1, maxLength: LIMITS.reactionChars }),
  remove: Type.Optional(Type.Boolean()),
  clientMsgId: ClientMsgId
}, frame)
export const TypingFrame = Type.Object({ type: Type.Literal('typing'), room: RoomName }, frame)
export const ReadFrame = Type.Object({ type: Type.Literal('read'), room: RoomName, id: MessageId }, frame)
export const HistoryFrame = Type.Object({
  type: Type.Literal('history'),
  room: RoomName,
  before: MessageId,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.historyPageMax }))
}, frame)
export const RefreshFrame = Type.Object({
  type: Type.Literal('refresh'),
  token: Type.String({ minLength: 1, maxLength: 8192 })
}, frame)

// Requests about rooms and members carry the client's `ref`: the answer is `done {ref}` (or the
// list asked for) or `error {ref}`.
const Ref = Type.String({ minLength: 1, maxLength: LIMITS.refChars, pattern: '^[\\x21-\\x7e]+$' })
const Minutes = Type.Integer({ minimum: 1, maximum: 366 * 24 * 60 })

export const CreateFrame = Type.Object({ type: Type.Literal('create'), ref: Ref, title: RoomTitle, topic: Type.Optional(RoomTopic) }, frame)
// `direct` and `invite` name the other person by exactly one of `user` (their id) or `ticket` (an
// invitation ticket from `POST /auth/invitations`, for someone known by address); both or neither
// is `bad_request`.
const Invitee = { user: Type.Optional(UserId), ticket: Type.Optional(Ticket) }
export const DirectFrame = Type.Object({ type: Type.Literal('direct'), ref: Ref, ...Invitee }, frame)
export const InviteFrame = Type.Object({ type: Type.Literal('invite'), ref: Ref, room: RoomName, ...Invitee }, frame)
export const RemoveFrame = Type.Object({ type: Type.Literal('remove'), ref: Ref, room: RoomName, user: UserId }, frame)
export const SetRoleFrame = Type.Object({ type: Type.Literal('set_role'), ref: Ref, room: RoomName, user: UserId, role: Role }, frame)
export const MuteFrame = Type.Object({ type: Type.Literal('mute'), ref: Ref, room: RoomName, user: UserId, minutes: Type.Optional(Minutes) }, frame)
export const UnmuteFrame = Type.Object({ type: Type.Literal('unmute'), ref: Ref, room: RoomName, user: UserId }, frame)
export const BanFrame = Type.Object({ type: Type.Literal('ban'), ref: Ref, room: RoomName, user: UserId }, frame)
export const UnbanFrame = Type.Object({ type: Type.Literal('unban'), ref: Ref, room: RoomName, user: UserId }, frame)
export const UpdateRoomFrame = Type.Object({ type: Type.Literal('update_room'), ref: Ref, room: RoomName, title: Type.Optional(RoomTitle), topic: Type.Optional(RoomTopic) }, frame)
export const LeaveRoomFrame = Type.Object({ type: Type.Literal('leave_room'), ref: Ref, room: RoomName }, frame)
export const ListRoomsFrame = Type.Object({ type: Type.Literal('list_rooms'), ref: Ref }, frame)
export const ListMembersFrame = Type.Object({ type: Type.Literal('list_members'), ref: Ref, room: RoomName }, frame)

/** Client frames by `type`, so a server can tell an unknown type from a malformed frame. */
export const ClientFrames = {
  join: JoinFrame,
  leave: LeaveFrame,
  send: SendFrame,
  edit: EditFrame,
  delete: DeleteFrame,
  react: ReactFrame,
  typing: TypingFrame,
  read: ReadFrame,
  history: HistoryFrame,
  refresh: RefreshFrame,
  create: CreateFrame,
  direct: DirectFrame,
  invite: InviteFrame,
  remove: RemoveFrame,
  set_role: SetRoleFrame,
  mute: MuteFrame,
  unmute: UnmuteFrame,
  ban: BanFrame,
  unban: UnbanFrame,
  update_room: UpdateRoomFrame,
  leave_room: LeaveRoomFrame,
  list_rooms: ListRoomsFrame,
  list_members: ListMembersFrame
} as const
export type ClientFrameType = keyof typeof ClientFrames
export const ClientFrame = Type.Union(Object.values(ClientFrames))
export type ClientFrameOf<T extends ClientFrameType> = Static<typeof ClientFrames[T]>
/** Any client frame, as a union discriminated by `type` (`Static` of the array-built union gives `never`). */
export type ClientFrame = { [K in ClientFrameType]: ClientFrameOf<K> }[ClientFrameType]

// ---- server to client -------------------------------------------------------------------------

export const ReadyFrame = Type.Object({
  type: Type.Literal('ready'),
  user: Member,
  connectionId: Type.String(),
  /** How long after sending a message its author may edit it (EDIT_WINDOW_MINUTES). */
  editWindowMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** When the connection's token ends: refresh before it (a connection opened by a ticket keeps its predecessor's). */
  expiresAt: Type.Optional(IsoTime),
  /**
   * The reconnect ticket: offered in a token's place, it opens one new connection of this user and
   * session, on any instance, until RECONNECT_TICKET_MS after this one ends. Absent when the
   * server gives none (then reconnect with a fresh token). A secret: never log or store it.
   */
  ticket: Type.Optional(ReconnectTicket)
}, frame)

export const CHANGE_KINDS = ['edit', 'delete', 'reaction'] as const
/**
 * A change to a message, stored in the room's log after it: what a client applies to the message
 * `target` if it holds it. Each carries the message's resulting state, so applying one twice is
 * harmless: an edit its text and `editedAt`, a reaction every reaction the message has now.
 */
export const MessageChange = Type.Object({
  room: RoomName,
  /** The change's own id in the room's log (resume from it like from a message's). */
  id: MessageId,
  kind: Type.Union(CHANGE_KINDS.map((kind) => Type.Literal(kind))) as unknown as
    Type.TUnion<[Type.TLiteral<'edit'>, Type.TLiteral<'delete'>, Type.TLiteral<'reaction'>]>,
  target: MessageId,
  /** Who made the change. */
  user: Member,
  ts: Type.Integer(),
  clientMsgId: Type.Optional(ClientMsgId),
  text: Type.Optional(Type.String()),
  editedAt: Type.Optional(Type.Integer()),
  /** A reaction: the emoji added, or removed (`removed`), and every reaction the message has now. */
  emoji: Type.Optional(Type.String()),
  removed: Type.Optional(Type.Boolean()),
  reactions: Type.Optional(Type.Array(Reaction))
}, { additionalProperties: false })
export type MessageChange = Static<typeof MessageChange>
export const JoinedFrame = Type.Object({
  type: Type.Literal('joined'),
  room: RoomName,
  epoch: Epoch,
  members: Type.Array(Member),
  messages: Type.Array(ChatMessage),
  recovered: Type.Boolean(),
  lastRead: Type.Union([MessageId, Type.Null()]),
  /**
   * On a resume: the changes made since `since` to messages from before it, in log order (those to
   * messages in `messages` are already in them).
   */
  changes: Type.Optional(Type.Array(MessageChange))
}, frame)
/** The connection no longer receives the room: its own `leave`, or (with a reason) its membership ended. */
export const LeftFrame = Type.Object({ type: Type.Literal('left'), room: RoomName, reason: Type.Optional(LeftReason) }, frame)
/** A live message: the stored `ChatMessage` with its frame type. */
export const MessageFrame = Type.Object({ type: Type.Literal('message'), ...ChatMessage.properties }, frame)
/** A live change to a message (see MessageChange). */
export const ChangeFrame = Type.Object({ type: Type.Literal('change'), ...MessageChange.properties }, frame)
export const AckFrame = Type.Object({ type: Type.Literal('ack'), clientMsgId: ClientMsgId, id: MessageId }, frame)
const PresenceEvent = Type.Union([Type.Literal('join'), Type.Literal('leave')])
export const PresenceChange = Type.Object({ event: PresenceEvent, user: Member }, frame)
/**
 * Who came or went: one change (`event`, `user`), or several that happened together, the first
 * in `event` and `user` and the others in `more`, applied in order.
 */
export const PresenceFrame = Type.Object({
  type: Type.Literal('presence'),
  room: RoomName,
  event: PresenceEvent,
  user: Member,
  more: Type.Optional(Type.Array(PresenceChange, { minItems: 1, description: 'further changes, applied after the first, in order' }))
}, frame)
export const TypingEventFrame = Type.Object({ type: Type.Literal('typing'), room: RoomName, user: Member }, frame)
export const ReadEventFrame = Type.Object({ type: Type.Literal('read'), room: RoomName, user: Member, id: MessageId }, frame)
export const HistoryPageFrame = Type.Object({
  type: Type.Literal('history'),
  room: RoomName,
  messages: Type.Array(ChatMessage),
  more: Type.Boolean()
}, frame)
export const EventFrame = Type.Object({ type: Type.Literal('event'), data: Type.Unknown() }, frame)
/** A refresh was taken: the new expiry, and a new reconnect ticket (the previous one no longer works). */
export const RefreshedFrame = Type.Object({ type: Type.Literal('refreshed'), expiresAt: IsoTime, ticket: Type.Optional(ReconnectTicket) }, frame)
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: ErrorCodeSchema,
  message: Type.String(),
  ref: Type.Optional(Type.String({ description: 'the clientMsgId or room the error is about' }))
}, frame)

export const DoneFrame = Type.Object({ type: Type.Literal('done'), ref: Ref, room: Type.Optional(Room) }, frame)
/** The user's rooms with their inbox and its totals: after `ready`, and as the answer to `list_rooms` (with its ref). */
export const RoomsFrame = Type.Object({
  type: Type.Literal('rooms'),
  ref: Type.Optional(Ref),
  rooms: Type.Array(RoomListEntry),
  totals: Type.Optional(InboxTotals)
}, frame)
/**
 * Where the user now stands in one room of their list, on every connection of theirs: a message in
 * a room the connection has not joined, a read marker moved on any device, a mention.
 */
export const InboxFrame = Type.Object({ type: Type.Literal('inbox'), room: RoomName, inbox: InboxEntry }, frame)
/** A room added to the user's list, or changed (title, topic, archived, their role), anywhere. */
export const RoomFrame = Type.Object({ type: Type.Literal('room'), entry: RoomListEntry }, frame)
/** A room gone from the user's list, on every device: they left, were removed or banned. */
export const RoomRemovedFrame = Type.Object({ type: Type.Literal('room_removed'), room: RoomName, reason: LeftReason }, frame)
/** A room's title, topic or archived state changed: live to everyone in the room. */
export const RoomUpdatedFrame = Type.Object({ type: Type.Literal('room_updated'), room: RoomName, details: Room }, frame)
export const MembersFrame = Type.Object({ type: Type.Literal('members'), ref: Ref, room: RoomName, members: Type.Array(RosterEntry) }, frame)
/** A roster change, live to everyone in the room. */
export const MemberFrame = Type.Object({
  type: Type.Literal('member'),
  room: RoomName,
  event: RosterEvent,
  user: Member,
  role: Type.Optional(Role),
  /** A `role` event's role before it. */
  previous: Type.Optional(Role),
  mutedUntil: Type.Optional(Type.Union([IsoTime, Type.Literal('forever')])),
  /** Who did it: a user id, or `backend`. */
  by: Type.String()
}, frame)

export const ServerFrames = {
  ready: ReadyFrame,
  joined: JoinedFrame,
  left: LeftFrame,
  message: MessageFrame,
  change: ChangeFrame,
  ack: AckFrame,
  presence: PresenceFrame,
  typing: TypingEventFrame,
  read: ReadEventFrame,
  history: HistoryPageFrame,
  event: EventFrame,
  refreshed: RefreshedFrame,
  error: ErrorFrame,
  done: DoneFrame,
  rooms: RoomsFrame,
  inbox: InboxFrame,
  room: RoomFrame,
  room_removed: RoomRemovedFrame,
  room_updated: RoomUpdatedFrame,
  members: MembersFrame,
  member: MemberFrame
} as const
export type ServerFrameType = keyof typeof ServerFrames
export const ServerFrame = Type.Union(Object.values(ServerFrames))
export type ServerFrameOf<T extends ServerFrameType> = Static<typeof ServerFrames[T]>
/** Any server frame, as a union discriminated by `type`. */
export type ServerFrame = { [K in ServerFrameType]: ServerFrameOf<K> }[ServerFrameType]

/**
 * What one WebSocket text frame from the server holds: one frame object, or under load an array
 * of them (coalesced within a short tick) that the client handles in order.
 */
export type ServerPayload = ServerFrame | ServerFrame[]

export type { ChatMessage }
