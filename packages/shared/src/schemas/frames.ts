import Type, { type Static } from 'typebox'
import { ErrorCodeSchema } from '../errors.js'
import { LIMITS } from '../limits.js'
import { ChatMessage, ClientMsgId, Epoch, IsoTime, Member, MessageId, RoomName } from './common.js'

const frame = { additionalProperties: false } as const

// ---- client to server -------------------------------------------------------------------------

export const JoinFrame = Type.Object({
  type: Type.Literal('join'),
  room: RoomName,
  since: Type.Optional(MessageId),
  epoch: Type.Optional(Epoch)
}, frame)
export const LeaveFrame = Type.Object({ type: Type.Literal('leave'), room: RoomName }, frame)
export const SendFrame = Type.Object({
  type: Type.Literal('send'),
  room: RoomName,
  text: Type.String({ minLength: 1, maxLength: LIMITS.textChars }),
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

/** Client frames by `type`, so a server can tell an unknown type from a malformed frame. */
export const ClientFrames = {
  join: JoinFrame,
  leave: LeaveFrame,
  send: SendFrame,
  typing: TypingFrame,
  read: ReadFrame,
  history: HistoryFrame,
  refresh: RefreshFrame
} as const
export type ClientFrameType = keyof typeof ClientFrames
export const ClientFrame = Type.Union(Object.values(ClientFrames))
export type ClientFrameOf<T extends ClientFrameType> = Static<typeof ClientFrames[T]>
/** Any client frame, as a union discriminated by `type` (`Static` of the array-built union gives `never`). */
export type ClientFrame = { [K in ClientFrameType]: ClientFrameOf<K> }[ClientFrameType]

// ---- server to client -------------------------------------------------------------------------

export const ReadyFrame = Type.Object({ type: Type.Literal('ready'), user: Member, connectionId: Type.String() }, frame)
export const JoinedFrame = Type.Object({
  type: Type.Literal('joined'),
  room: RoomName,
  epoch: Epoch,
  members: Type.Array(Member),
  messages: Type.Array(ChatMessage),
  recovered: Type.Boolean(),
  lastRead: Type.Union([MessageId, Type.Null()])
}, frame)
export const LeftFrame = Type.Object({ type: Type.Literal('left'), room: RoomName }, frame)
/** A live message: the stored `ChatMessage` with its frame type. */
export const MessageFrame = Type.Object({ type: Type.Literal('message'), ...ChatMessage.properties }, frame)
export const AckFrame = Type.Object({ type: Type.Literal('ack'), clientMsgId: ClientMsgId, id: MessageId }, frame)
export const PresenceFrame = Type.Object({
  type: Type.Literal('presence'),
  room: RoomName,
  event: Type.Union([Type.Literal('join'), Type.Literal('leave')]),
  user: Member
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
export const RefreshedFrame = Type.Object({ type: Type.Literal('refreshed'), expiresAt: IsoTime }, frame)
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: ErrorCodeSchema,
  message: Type.String(),
  ref: Type.Optional(Type.String({ description: 'the clientMsgId or room the error is about' }))
}, frame)

export const ServerFrames = {
  ready: ReadyFrame,
  joined: JoinedFrame,
  left: LeftFrame,
  message: MessageFrame,
  ack: AckFrame,
  presence: PresenceFrame,
  typing: TypingEventFrame,
  read: ReadEventFrame,
  history: HistoryPageFrame,
  event: EventFrame,
  refreshed: RefreshedFrame,
  error: ErrorFrame
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
