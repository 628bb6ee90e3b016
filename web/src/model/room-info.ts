import type { LastMessage, Role, Room, RoomKind, RoomListEntry } from '@webchat/shared'
import type { Person } from './identity.js'

/**
 * What the sidebar and the header know about a room: its kind, title and topic, my role and mute
 * in it, and in a direct room the other person. `listed` rooms come from the server's list of my
 * rooms (`rooms`, `room`); the others are public rooms joined by name and kept in this browser.
 */
export interface RoomInfo {
  readonly kind: RoomKind
  readonly title: string
  readonly topic: string
  readonly archived: boolean
  readonly role: Role
  /** Muted until then (ISO time), or `forever` until unmuted. */
  readonly mutedUntil: string | undefined
  readonly peer: Person | undefined
  readonly listed: boolean
}

/**
 * A room not (yet) in the server's list: a public room joined by name, or a room in the address
 * before the list arrives (server-made ids say their kind: `p-` private, `d-` direct).
 */
export function localInfo (id = ''): RoomInfo {
  const kind: RoomKind = id.startsWith('p-') ? 'private' : id.startsWith('d-') ? 'direct' : 'public'
  return { kind, title: '', topic: '', archived: false, role: 'member', mutedUntil: undefined, peer: undefined, listed: false }
}

export function infoFromEntry (entry: RoomListEntry): RoomInfo {
  const { room } = entry
  return {
    kind: room.kind, title: room.title, topic: room.topic, archived: room.archived,
    role: entry.role, mutedUntil: entry.mutedUntil, peer: entry.peer, listed: true
  }
}

/** A room's own details changed (title, topic, archived): my role and mute stay. */
export function withDetails (info: RoomInfo, room: Room): RoomInfo {
  return { ...info, kind: room.kind, title: room.title, topic: room.topic, archived: room.archived }
}

/** What a room is called: a direct room by the other person, a private one by its title, a public one as `#name`. */
export function roomLabel (id: string, info: RoomInfo): string {
  if (info.kind === 'direct') return info.peer === undefined || info.peer.name === '' ? 'Direct message' : info.peer.name
  if (info.kind === 'private') return info.title === '' ? 'Private room' : info.title
  return `#${id}`
}

/** Whether a mute holds at `now` (ms). */
export function isMuted (mutedUntil: string | undefined, now: number): boolean {
  if (mutedUntil === undefined) return false
  return mutedUntil === 'forever' || Date.parse(mutedUntil) > now
}

/** Why the message box is off in a room, or null when I may write there. */
export function composerBlock (info: RoomInfo, now: number, formatTime: (ms: number) => string): string | null {
  if (info.archived) return 'This room is archived: it is read-only.'
  if (!isMuted(info.mutedUntil, now)) return null
  return info.mutedUntil === 'forever'
    ? 'You are muted in this room until a moderator unmutes you. You can still read it.'
    : `You are muted in this room until ${formatTime(Date.parse(info.mutedUntil!))}. You can still read it.`
}

export interface SidebarRoom {
  readonly id: string
  readonly label: string
  readonly kind: RoomKind
  readonly unread: number
  /** Unread messages that mention me (by name, or `@room`). */
  readonly mentions: number
  /** In a direct room, the other person's id (for their avatar). */
  readonly peer?: string | undefined
  /** The newest message, as the server's inbox has it ("Ben: The draft is…"), for the hover text. */
  readonly last?: string | undefined
}

/** The hover text of a room's newest message: its author and preview, or that it was deleted. */
export function lastLine (last: LastMessage | null | undefined): string | undefined {
  if (last === null || last === undefined) return undefined
  return `${last.user.name}: ${last.deleted === true ? 'deleted message' : last.preview}`
}

/** The sidebar's two groups, each in the order the rooms were added: rooms (public and private), and direct messages. */
export function groupRooms (rooms: Iterable<{ readonly name: string, readonly info: RoomInfo, readonly unread: number, readonly mentions: number, readonly last?: LastMessage | null | undefined }>) {
  const groups: { rooms: SidebarRoom[], direct: SidebarRoom[] } = { rooms: [], direct: [] }
  for (const { name, info, unread, mentions, last } of rooms) {
    const entry = { id: name, label: roomLabel(name, info), kind: info.kind, unread, mentions, peer: info.peer?.id, last: lastLine(last) }
    if (info.kind === 'direct') groups.direct.push(entry)
    else groups.rooms.push(entry)
  }
  return groups
}
