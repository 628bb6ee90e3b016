import type { Member } from '@webchat/shared'
import { compareIds } from '@webchat/client'
import type { Person } from './identity.js'
import { deleteEntry, setEntry } from './immutable-map.js'
import { isNewer, type MemberView, type RoomState } from './room-state.js'
import { TYPING_SHOW_MS } from './typing.js'

/** Who is in the room, who is typing, and how far each person has read. */

export function applyPresence (room: RoomState, event: 'join' | 'leave', user: Member): RoomState {
  return {
    ...room,
    members: setEntry(room.members, user.id, { id: user.id, name: user.name, online: event === 'join' }),
    typing: event === 'leave' ? deleteEntry(room.typing, user.id) : room.typing
  }
}

/** Someone is typing; entries that have faded are dropped on the way. */
export function applyTyping (room: RoomState, user: Member, now: number): RoomState {
  const typing = new Map([...room.typing].filter(([, entry]) => entry.until > now))
  typing.set(user.id, { name: user.name, until: now + TYPING_SHOW_MS })
  return { ...room, typing }
}

export function applyRead (room: RoomState, user: Member, id: string): RoomState {
  const current = room.reads.get(user.id)
  if (current !== undefined && !isNewer(id, current.id)) return room
  return { ...room, reads: setEntry(room.reads, user.id, { name: user.name, id }) }
}

/** People typing now, without me, oldest first. */
export function typingPeople (room: Pick<RoomState, 'typing'>, now: number, me: string): Person[] {
  return [...room.typing].filter(([id, entry]) => entry.until > now && id !== me).map(([id, { name }]) => ({ id, name }))
}

/**
 * Who has read up to each shown message, without me: each reader once, under the newest loaded
 * message at or before their marker that someone else wrote (a reader's own messages say nothing).
 */
export function readersByMessage (room: Pick<RoomState, 'messages' | 'reads'>, me: string): Map<string, Person[]> {
  const byId = new Map<string, Person[]>()
  for (const [userId, { name, id }] of room.reads) {
    if (userId === me) continue
    let at: string | undefined
    for (let i = room.messages.length - 1; i >= 0; i--) {
      const m = room.messages[i]!
      if (compareIds(m.id, id) <= 0 && m.user.id !== userId) { at = m.id; break }
    }
    if (at !== undefined) byId.set(at, [...(byId.get(at) ?? []), { id: userId, name }])
  }
  return byId
}

/**
 * Members for the panel: online first, then by name. A room with a roster lists its members
 * (online or not) with their roles; one without, those seen here during this visit.
 */
export function memberList (room: Pick<RoomState, 'members' | 'roster'>): MemberView[] {
  const people: MemberView[] = room.roster === null
    ? [...room.members.values()]
    : [...room.roster.values()].map((m) => {
        const seen = room.members.get(m.id)
        return { id: m.id, name: seen?.name ?? m.name, online: seen?.online ?? false, role: m.role, mutedUntil: m.mutedUntil }
      })
  return people.sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name))
}

/** Everyone the room shows a name of: me, its members (present and stored), the authors of its loaded messages, readers and typists. */
export function * namedPeople (room: Pick<RoomState, 'members' | 'roster' | 'messages' | 'reads' | 'typing'>, me: Person): Iterable<Person> {
  yield me
  yield * room.members.values()
  if (room.roster !== null) yield * room.roster.values()
  for (const message of room.messages) yield message.user
  for (const [id, { name }] of room.reads) yield { id, name }
  for (const [id, { name }] of room.typing) yield { id, name }
}
