import type { Member, Role, RosterEntry, RosterEvent } from '@webchat/shared'
import { deleteEntry, setEntry } from './immutable-map.js'
import type { RosterMember, RoomState } from './room-state.js'

/** A room's stored members and what happens to them (added, removed, banned, roles, mutes). */

export function applyRoster (room: RoomState, entries: readonly RosterEntry[]): RoomState {
  const roster = new Map<string, RosterMember>()
  for (const e of entries) roster.set(e.user.id, { id: e.user.id, name: e.user.name, role: e.role, mutedUntil: e.mutedUntil })
  return { ...room, roster }
}

export interface MemberChange {
  readonly event: RosterEvent
  readonly user: Member
  readonly role?: Role | undefined
  readonly mutedUntil?: string | undefined
}

/** A roster change seen live; changes about me also change my role or mute in the room. */
export function applyMemberChange (room: RoomState, change: MemberChange, me: string): RoomState {
  const { event, user } = change
  const current = room.roster?.get(user.id)
  let next: RoomState = room
  const setMember = (member: RosterMember): void => {
    if (next.roster !== null) next = { ...next, roster: setEntry(next.roster, user.id, member) }
  }
  switch (event) {
    case 'added':
      setMember({ id: user.id, name: user.name, role: change.role ?? 'member', mutedUntil: undefined })
      next = { ...next, banned: deleteEntry(next.banned, user.id) }
      break
    case 'removed':
    case 'banned':
      next = {
        ...next,
        roster: next.roster === null ? null : deleteEntry(next.roster, user.id),
        members: deleteEntry(next.members, user.id),
        banned: event === 'banned' ? setEntry(next.banned, user.id, { id: user.id, name: user.name }) : next.banned
      }
      break
    case 'unbanned':
      next = { ...next, banned: deleteEntry(next.banned, user.id) }
      break
    case 'role':
      if (current !== undefined && change.role !== undefined) setMember({ ...current, role: change.role })
      if (user.id === me && change.role !== undefined) next = { ...next, info: { ...next.info, role: change.role } }
      break
    case 'muted':
    case 'unmuted': {
      const mutedUntil = event === 'muted' ? change.mutedUntil ?? 'forever' : undefined
      if (current !== undefined) setMember({ ...current, mutedUntil })
      if (user.id === me) next = { ...next, info: { ...next.info, mutedUntil } }
      break
    }
  }
  return next
}

/**
 * A direct room is called by the other person's name. The server's list may have none for them
 * yet, or an older one (the name is a copy made when the room was): the name this room shows for
 * them (present, or writing) wins, as in the members panel.
 */
export function namePeer (room: RoomState): RoomState {
  const { peer } = room.info
  if (room.info.kind !== 'direct' || peer === undefined) return room
  const name = room.members.get(peer.id)?.name ?? room.messages.findLast((m) => m.user.id === peer.id)?.user.name
  return name === undefined || name === '' || name === peer.name ? room : { ...room, info: { ...room.info, peer: { id: peer.id, name } } }
}
