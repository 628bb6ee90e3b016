import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { IsoTime, RoomName, UserId } from './common.js'
import { InboxEntry } from './inbox.js'

export const ROOM_KINDS = ['public', 'private', 'direct'] as const
export const RoomKind = Type.Union(ROOM_KINDS.map((kind) => Type.Literal(kind)), {
  description: 'public: any signed-in user may join; private: members only; direct: two people'
}) as unknown as Type.TUnion<[Type.TLiteral<'public'>, Type.TLiteral<'private'>, Type.TLiteral<'direct'>]>
export type RoomKind = typeof ROOM_KINDS[number]

/** Roles, highest first: the owner (exactly one), moderators, members. */
export const ROLES = ['owner', 'moderator', 'member'] as const
export const Role = Type.Union(ROLES.map((role) => Type.Literal(role))) as unknown as
  Type.TUnion<[Type.TLiteral<'owner'>, Type.TLiteral<'moderator'>, Type.TLiteral<'member'>]>
export type Role = typeof ROLES[number]

/**
 * Characters no title or topic holds: C0 and C1 controls (a terminal escape, a NUL) and the
 * bidirectional overrides and isolates, which make a title read as something else in every
 * list that shows it. A topic may hold line breaks and tabs.
 */
const CONTROLS = '\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069'
/** Text without control characters, and for a title no line breaks or tabs either (backends may send an empty one). */
export const ROOM_TITLE_PATTERN = `^[^\\x09\\x0a${CONTROLS}]*$`
export const ROOM_TOPIC_PATTERN = `^[^${CONTROLS}]*$`
/** A title a user gives: something other than spaces. */
export const RoomTitle = Type.String({ minLength: 1, maxLength: LIMITS.roomTitleChars, pattern: `^(?=[\\s\\S]*\\S)[^\\x09\\x0a${CONTROLS}]*$` })
export const RoomTopic = Type.String({ maxLength: LIMITS.roomTopicChars, pattern: ROOM_TOPIC_PATTERN })

/** A room as every member sees it. */
export const Room = Type.Object({
  id: RoomName,
  kind: RoomKind,
  title: Type.String(),
  topic: Type.String(),
  createdAt: IsoTime,
  /** A user id, or `backend` for a room a backend made. */
  createdBy: Type.String(),
  /** Read-only: its history is kept, nothing can be sent. */
  archived: Type.Boolean()
}, { additionalProperties: false })
export type Room = Static<typeof Room>

/** A member of a room: who, their role, since when and by whom, and a mute if any. */
export const RosterEntry = Type.Object({
  user: Type.Object({ id: UserId, name: Type.String() }, { additionalProperties: false }),
  role: Role,
  addedAt: IsoTime,
  /** A user id, `backend`, or the member themselves (a join of a public room). */
  addedBy: Type.String(),
  /** Muted until then (reads, cannot send); `forever` until unmuted. */
  mutedUntil: Type.Optional(Type.Union([IsoTime, Type.Literal('forever')]))
}, { additionalProperties: false })
export type RosterEntry = Static<typeof RosterEntry>

/**
 * One room in a user's list: the room, their role (and mute), in a direct room the other person,
 * and where they stand in it (unread and mention counts, read marker, last message).
 */
export const RoomListEntry = Type.Object({
  room: Room,
  role: Role,
  mutedUntil: Type.Optional(Type.Union([IsoTime, Type.Literal('forever')])),
  peer: Type.Optional(Type.Object({ id: UserId, name: Type.String() }, { additionalProperties: false })),
  inbox: Type.Optional(InboxEntry)
}, { additionalProperties: false })
export type RoomListEntry = Static<typeof RoomListEntry>

/** Why a user's membership ended, in `left` and in their room list. */
export const LEFT_REASONS = ['left', 'removed', 'banned', 'archived'] as const
export const LeftReason = Type.Union(LEFT_REASONS.map((reason) => Type.Literal(reason))) as unknown as
  Type.TUnion<[Type.TLiteral<'left'>, Type.TLiteral<'removed'>, Type.TLiteral<'banned'>, Type.TLiteral<'archived'>]>
export type LeftReason = typeof LEFT_REASONS[number]

/** What happened to a member, as every member of the room sees it live. */
export const ROSTER_EVENTS = ['added', 'removed', 'banned', 'unbanned', 'role', 'muted', 'unmuted'] as const
export const RosterEvent = Type.Union(ROSTER_EVENTS.map((event) => Type.Literal(event))) as unknown as Type.TUnion<[
  Type.TLiteral<'added'>, Type.TLiteral<'removed'>, Type.TLiteral<'banned'>, Type.TLiteral<'unbanned'>,
  Type.TLiteral<'role'>, Type.TLiteral<'muted'>, Type.TLiteral<'unmuted'>
]>
export type RosterEvent = typeof ROSTER_EVENTS[number]
