import { LIMITS, type ChatMessage, type Member } from '@webchat/shared'
import { compareIds } from '@webchat/client'
import { TYPING_SHOW_MS } from './typing.js'

export interface PendingMessage {
  clientMsgId: string
  text: string
  ts: number
  /** `failed` keeps the reason; the user can retry or discard. */
  status: 'sending' | 'failed'
  error?: string
}

export interface MemberView { id: string, name: string, online: boolean }

/** Everything the UI shows about one room. Plain data, changed only by the functions below. */
export interface RoomState {
  readonly name: string
  /** Oldest first, unique ids. */
  messages: ChatMessage[]
  /** Older messages exist before the first one. */
  more: boolean
  loadingOlder: boolean
  joined: boolean
  members: Map<string, MemberView>
  typing: Map<string, { name: string, until: number }>
  /** Other people's newest read marker. */
  reads: Map<string, { name: string, id: string }>
  /** My own read marker. */
  lastRead: string | null
  unread: number
  pending: PendingMessage[]
}

export function createRoomState (name: string): RoomState {
  return {
    name, messages: [], more: false, loadingOlder: false, joined: false,
    members: new Map(), typing: new Map(), reads: new Map(), lastRead: null, unread: 0, pending: []
  }
}

const isNewer = (id: string, than: string | null): boolean => than === null || compareIds(id, than) > 0

function countUnread (room: RoomState, me: string): number {
  return room.messages.filter((m) => m.user.id !== me && isNewer(m.id, room.lastRead)).length
}

function dropPending (room: RoomState, clientMsgId: string | undefined): void {
  if (clientMsgId !== undefined) room.pending = room.pending.filter((p) => p.clientMsgId !== clientMsgId)
}

/** Inserts a message in id order unless present. Returns where: 'end', 'middle' or 'none'. */
function insert (room: RoomState, message: ChatMessage): 'end' | 'middle' | 'none' {
  const list = room.messages
  const last = list[list.length - 1]
  if (last === undefined || compareIds(message.id, last.id) > 0) {
    list.push(message)
    return 'end'
  }
  let i = list.length - 1
  while (i >= 0 && compareIds(list[i]!.id, message.id) > 0) i--
  if (i >= 0 && list[i]!.id === message.id) return 'none'
  list.splice(i + 1, 0, message)
  return 'middle'
}

export interface JoinedInput {
  members: Member[]
  messages: ChatMessage[]
  recovered: boolean
  lastRead: string | null
}

/** A (re)join: a fresh page replaces the list; a recovered one adds what was missed. */
export function applyJoined (room: RoomState, frame: JoinedInput, me: string): void {
  room.joined = true
  if (!frame.recovered || room.messages.length === 0) {
    room.messages = [...frame.messages]
    room.more = frame.messages.length >= LIMITS.historyPage
  } else {
    for (const m of frame.messages) insert(room, m)
  }
  for (const m of frame.messages) dropPending(room, m.clientMsgId)
  for (const member of room.members.values()) member.online = false
  for (const member of frame.members) room.members.set(member.id, { id: member.id, name: member.name, online: true })
  if (frame.lastRead !== null && isNewer(frame.lastRead, room.lastRead)) room.lastRead = frame.lastRead
  room.unread = countUnread(room, me)
}

/** A new message. Returns where it went, so the view can append instead of redrawing. */
export function applyMessage (room: RoomState, message: ChatMessage, me: string): 'end' | 'middle' | 'none' {
  const where = insert(room, message)
  dropPending(room, message.clientMsgId)
  room.typing.delete(message.user.id)
  if (where !== 'none' && message.user.id !== me && isNewer(message.id, room.lastRead)) room.unread++
  const member = room.members.get(message.user.id)
  if (member !== undefined) member.name = message.user.name
  return where
}

/** An older page, loaded on scroll up. */
export function applyHistory (room: RoomState, messages: ChatMessage[], more: boolean): void {
  for (const m of messages) insert(room, m)
  room.more = more
  room.loadingOlder = false
}

export function applyPresence (room: RoomState, event: 'join' | 'leave', user: Member): void {
  room.members.set(user.id, { id: user.id, name: user.name, online: event === 'join' })
  if (event === 'leave') room.typing.delete(user.id)
}

export function applyTyping (room: RoomState, user: Member, now: number): void {
  room.typing.set(user.id, { name: user.name, until: now + TYPING_SHOW_MS })
}

export function applyRead (room: RoomState, user: Member, id: string): void {
  const current = room.reads.get(user.id)
  if (current === undefined || isNewer(id, current.id)) room.reads.set(user.id, { name: user.name, id })
}

/** Marks everything shown as read. Returns the id to send to the server, if it moved forward. */
export function markRead (room: RoomState): string | undefined {
  room.unread = 0
  const last = room.messages[room.messages.length - 1]
  if (last === undefined || !isNewer(last.id, room.lastRead)) return undefined
  room.lastRead = last.id
  return last.id
}

/** Names of people typing now, without me, oldest first. */
export function typingNames (room: RoomState, now: number, me: string): string[] {
  const names: string[] = []
  for (const [id, entry] of room.typing) {
    if (entry.until <= now) room.typing.delete(id)
    else if (id !== me) names.push(entry.name)
  }
  return names
}

/**
 * Who has read up to each shown message, without me: each reader once, under the newest loaded
 * message at or before their marker that someone else wrote (a reader's own messages say nothing).
 */
export function readersByMessage (room: RoomState, me: string): Map<string, string[]> {
  const byId = new Map<string, string[]>()
  for (const [userId, { name, id }] of room.reads) {
    if (userId === me) continue
    let at: string | undefined
    for (let i = room.messages.length - 1; i >= 0; i--) {
      const m = room.messages[i]!
      if (compareIds(m.id, id) <= 0 && m.user.id !== userId) { at = m.id; break }
    }
    if (at !== undefined) byId.set(at, [...(byId.get(at) ?? []), name])
  }
  return byId
}

/** Members for the panel: online first, then by name. */
export function memberList (room: RoomState): MemberView[] {
  return [...room.members.values()].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name))
}
