import type { Member, Role, RoomListEntry, RosterEntry } from '@webchat/shared'
import { errors } from '../errors.js'
import type { Directory, Standing } from './directory.js'
import { FIELD, json, type MemberRecord, mutedAt, parseMember, revOf, type RoomRecord, toRoom, toRosterEntry } from './records.js'

export const notFound = (): Error => new errors.NotFound('no such room')

/** What members read of rooms: their list, one room, its roster. */
export interface RoomQueries {
  /** The user's list: each room they are in, their role and mute, the other person of a direct room. */
  list (userId: string): Promise<RoomListEntry[]>
  /** The roster (members, roles, mutes), for a member of the room; not_found for anyone else. */
  members (room: string, userId: string): Promise<RosterEntry[]>
  /**
   * `entry` for a member who opens the room, keeping the name others see current: a member added
   * before they ever signed in, or renamed since, shows with the name of their token.
   */
  enter (room: string, user: Member): Promise<{ entry: RoomListEntry, rev: number }>
  /**
   * Whether the room has a record (every private and direct room; a public room once joined or
   * made by a backend), and whether it is archived (read-only).
   */
  state (room: string): Promise<'none' | 'open' | 'archived'>
  /** The room as its member sees it, or not_found (no room, or not a member: the same answer). */
  entry (room: string, userId: string): Promise<RoomListEntry>
  /** The role of each of `userIds` in the room (null: not a member), in one read. */
  roles (room: string, userIds: string[]): Promise<Array<Role | null>>
}

export interface Views {
  entryOf (id: string, room: RoomRecord, member: MemberRecord, userId: string, peerName?: string): RoomListEntry
  /** `enter` from the user's standing, already read. */
  admit (id: string, user: Member, standing: Standing): Promise<{ entry: RoomListEntry, rev: number }>
  queries: RoomQueries
}

export function createViews (directory: Directory, now: () => number): Views {
  const entryOf: Views['entryOf'] = (id, room, member, userId, peerName) => {
    const entry: RoomListEntry = { room: toRoom(id, room), role: member.role }
    if (mutedAt(member, now())) entry.mutedUntil = member.mutedUntil
    const peerId = room.pair?.find((p) => p !== userId)
    if (room.kind === 'direct' && peerId !== undefined) entry.peer = { id: peerId, name: peerName ?? '' }
    return entry
  }

  const admit: Views['admit'] = async (id, user, standing) => {
    if (standing.room === null || standing.member === null) throw notFound()
    if (standing.member.name !== user.name) {
      await directory.mutate(id, [FIELD.member(user.id)], (read) => {
        const current = parseMember(read[FIELD.member(user.id)])
        return current === null ? { result: null } : { change: { set: { [FIELD.member(user.id)]: json({ ...current, name: user.name }) } }, result: null }
      })
    }
    return { entry: entryOf(id, standing.room, standing.member, user.id), rev: revOf(standing.room, standing.member) }
  }

  const queries: RoomQueries = {
    async list (userId) {
      const index = await directory.rooms(userId)
      const entries = await Promise.all([...index.keys()].map(async (id) => {
        const standing = await directory.standing(id, userId)
        if (standing.room === null || standing.member === null) {
          // The index is written beside the roster, not with it: repair what a failure left.
          await directory.unindex(userId, id)
          return null
        }
        const peerId = standing.room.pair?.find((p) => p !== userId)
        const peerName = peerId === undefined ? undefined : (await directory.standing(id, peerId)).member?.name
        return entryOf(id, standing.room, standing.member, userId, peerName)
      }))
      return entries.filter((entry): entry is RoomListEntry => entry !== null)
    },

    async members (id, userId) {
      const roster = await directory.roster(id)
      if (roster === null || !roster.members.has(userId)) throw notFound()
      return [...roster.members].map(([memberId, record]) => toRosterEntry(memberId, record, now()))
    },

    async enter (id, user) {
      return await admit(id, user, await directory.standing(id, user.id))
    },

    async state (id) {
      const room = await directory.room(id)
      return room === null ? 'none' : room.archived ? 'archived' : 'open'
    },

    async roles (id, userIds) {
      return (await directory.members(id, userIds)).map((member) => member?.role ?? null)
    },

    async entry (id, userId) {
      const standing = await directory.standing(id, userId)
      if (standing.room === null || standing.member === null) throw notFound()
      return entryOf(id, standing.room, standing.member, userId)
    }
  }
  return { entryOf, admit, queries }
}
