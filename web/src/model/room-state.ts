import { LIMITS, mentions as mentionsMe, type ChatMessage, type InboxEntry, type Member, type Role } from '@webchat/shared'
import { compareIds } from '@webchat/client'
import { deleteEntry, setEntry } from './immutable-map.js'
import type { Person } from './identity.js'
import { dropPending, type PendingMessage } from './pending.js'
import { localInfo, type RoomInfo } from './room-info.js'

export interface MemberView {
  readonly id: string
  readonly name: string
  readonly online: boolean
  /** In a room with a roster. */
  readonly role?: Role | undefined
  readonly mutedUntil?: string | undefined
}

/** One entry of a room's roster (its stored members, online or not). */
export interface RosterMember { readonly id: string, readonly name: string, readonly role: Role, readonly mutedUntil: string | undefined }

/**
 * Everything the UI shows about one room. Immutable: every change returns a new state that
 * shares each part that did not change, so a view reading one part (the messages, the members)
 * is redrawn only when that part changed.
 */
export interface RoomState {
  readonly name: string
  readonly info: RoomInfo
  /** The stored members, once asked for (null: not loaded, or the room has none). */
  readonly roster: ReadonlyMap<string, RosterMember> | null
  /** People banned here that I learnt of (the server has no list of them for me). */
  readonly banned: ReadonlyMap<string, Person>
  /** Oldest first, unique ids. */
  readonly messages: readonly ChatMessage[]
  /** Older messages exist before the first one. */
  readonly more: boolean
  readonly loadingOlder: boolean
  readonly joined: boolean
  readonly members: ReadonlyMap<string, MemberView>
  readonly typing: ReadonlyMap<string, { readonly name: string, readonly until: number }>
  /** Other people's newest read marker. */
  readonly reads: ReadonlyMap<string, { readonly name: string, readonly id: string }>
  /** My own read marker. */
  readonly lastRead: string | null
  /**
   * Messages of others after my marker, and those of them that mention me: the server's counts
   * (`inbox`) for a room of my list, counted here from the loaded messages for the others.
   */
  readonly unread: number
  readonly mentions: number
  /** Where I stand in a room of my list, as the server (and the connection, for a joined room) counts it. */
  readonly inbox: InboxEntry | null
  readonly pending: readonly PendingMessage[]
}

export function createRoomState (name: string, info: RoomInfo = localInfo(name)): RoomState {
  return {
    name, info, roster: null, banned: new Map(), messages: [], more: false, loadingOlder: false, joined: false,
    members: new Map(), typing: new Map(), reads: new Map(), lastRead: null, unread: 0, mentions: 0, inbox: null, pending: []
  }
}

export const isNewer = (id: string, than: string | null): boolean => than === null || compareIds(id, than) > 0

/** Unread and mention counts from the loaded messages, for a room the server does not count for me. */
function counted (room: RoomState, messages: readonly ChatMessage[], lastRead: string | null, me: string): Pick<RoomState, 'unread' | 'mentions'> {
  if (room.inbox !== null) return { unread: room.unread, mentions: room.mentions }
  const unread = messages.filter((m) => m.user.id !== me && isNewer(m.id, lastRead))
  return { unread: unread.length, mentions: unread.filter((m) => mentionsMe(m, me)).length }
}

/** The list with `message` in id order; the same list when its id is already there. */
function insert (list: readonly ChatMessage[], message: ChatMessage): readonly ChatMessage[] {
  const last = list[list.length - 1]
  if (last === undefined || compareIds(message.id, last.id) > 0) return [...list, message]
  let i = list.length - 1
  while (i >= 0 && compareIds(list[i]!.id, message.id) > 0) i--
  if (i >= 0 && list[i]!.id === message.id) return list
  return [...list.slice(0, i + 1), message, ...list.slice(i + 1)]
}

export interface JoinedInput {
  members: Member[]
  messages: ChatMessage[]
  recovered: boolean
  lastRead: string | null
}

/** A (re)join: a fresh page replaces the list; a recovered one adds what was missed. */
export function applyJoined (room: RoomState, frame: JoinedInput, me: string): RoomState {
  const fresh = !frame.recovered || room.messages.length === 0
  const messages = fresh ? [...frame.messages] : frame.messages.reduce(insert, room.messages)
  const members = new Map<string, MemberView>()
  for (const [id, member] of room.members) members.set(id, { ...member, online: false })
  for (const member of frame.members) members.set(member.id, { id: member.id, name: member.name, online: true })
  const lastRead = frame.lastRead !== null && isNewer(frame.lastRead, room.lastRead) ? frame.lastRead : room.lastRead
  return {
    ...room,
    joined: true,
    messages,
    more: fresh ? frame.messages.length >= LIMITS.historyPage : room.more,
    members,
    lastRead,
    ...counted(room, messages, lastRead, me),
    pending: dropPending(room.pending, frame.messages)
  }
}

/** A new message; the same state when it is already there. */
export function applyMessage (room: RoomState, message: ChatMessage, me: string): RoomState {
  const messages = insert(room.messages, message)
  if (messages === room.messages) return room
  const author = message.user
  const member = room.members.get(author.id)
  return {
    ...room,
    messages,
    pending: dropPending(room.pending, [message]),
    typing: deleteEntry(room.typing, author.id),
    ...(room.inbox === null && author.id !== me && isNewer(message.id, room.lastRead)
      ? { unread: room.unread + 1, mentions: room.mentions + (mentionsMe(message, me) ? 1 : 0) }
      : {}),
    members: member === undefined || member.name === author.name ? room.members : setEntry(room.members, author.id, { ...member, name: author.name })
  }
}

/** An older page, loaded on scroll up. */
export function applyHistory (room: RoomState, messages: readonly ChatMessage[], more: boolean): RoomState {
  return { ...room, messages: messages.reduce(insert, room.messages), more, loadingOlder: false }
}

/** Everything shown is read: the same state when nothing changed (so there is nothing to send). */
export function markRead (room: RoomState): RoomState {
  const last = room.messages[room.messages.length - 1]
  const lastRead = last !== undefined && isNewer(last.id, room.lastRead) ? last.id : room.lastRead
  if (room.unread === 0 && room.mentions === 0 && lastRead === room.lastRead) return room
  return { ...room, unread: 0, mentions: 0, lastRead }
}

/**
 * Where I stand in the room as the server says (or no longer says: the room left my list). Its
 * counts replace those made here; a marker moved on another device moves mine.
 */
export function applyInbox (room: RoomState, entry: InboxEntry | undefined): RoomState {
  if (entry === undefined) return room.inbox === null ? room : { ...room, inbox: null }
  const lastRead = entry.lastRead !== null && isNewer(entry.lastRead, room.lastRead) ? entry.lastRead : room.lastRead
  return { ...room, inbox: entry, unread: entry.unread, mentions: entry.mentions, lastRead }
}
