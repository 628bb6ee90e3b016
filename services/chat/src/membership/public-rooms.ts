import type { Member, RoomListEntry } from '@webchat/shared'
import { errors } from '../errors.js'
import { type Announcer, announceChange, indexedWhile, memberFrame } from './announce.js'
import type { Directory, Plan, Read } from './directory.js'
import type { Quotas } from './quotas.js'
import { FIELD, json, type MemberRecord, parseMember, parseRoom, revOf, type RoomRecord, toRoom } from './records.js'
import { notFound, type Views } from './views.js'

/**
 * Public rooms: any signed-in user may read and join one, and joining makes them a member (so the
 * room is in their list on every device) unless they are banned from it.
 * - A name that is no room yet is made into one by its first join while `openRooms` (OPEN_ROOMS)
 *   is on: the joiner owns it, and it counts as a room they started (NEW_ROOMS_PER_HOUR). A name
 *   whose log is older than rosters (a room from before them) is taken over the same way. Off:
 *   only the public rooms a backend made exist; any other name is not_found.
 * - A room whose members all left keeps its record, `vacant`, and its next joiner owns it: a room
 *   with members always has its owner.
 */
export interface PublicRooms {
  /** Makes the user a member unless they are one; their entry and its change count. */
  join (room: string, user: Member): Promise<{ entry: RoomListEntry, rev: number }>
  /**
   * A socket's membership, let in at `since`, checked again after an outage (connection/notices.ts,
   * resync): not_found when it ended meanwhile. A room the store forgot (Redis lost its data) is
   * made again by those still in it, as by a join, and uncounted: they did not start it. A room
   * made again by someone else's socket first is younger than this membership: this user did not
   * leave it, so they are enrolled again too.
   */
  resume (room: string, user: Member, since: number): Promise<{ entry: RoomListEntry, rev: number }>
  /** Reading without joining (history, presence): banned for a banned user; not_found for a name that is no room while OPEN_ROOMS is off. */
  read (room: string, userId: string): Promise<void>
}

/** `made`: the join made the room. */
interface Joined { room: RoomRecord, record: MemberRecord, added: boolean, made?: boolean }

const banned = (): Error => new errors.Banned('you are banned from this room')

export function createPublicRooms ({ directory, quotas, announce, views, openRooms, now }: {
  directory: Directory, quotas: Quotas, announce: Announcer, views: Views, openRooms: boolean, now: () => number
}): PublicRooms {
  /**
   * The user's membership: a new room (owner), a vacant one (owner, and no longer vacant), or a
   * member among others. Guarded by the record, which a join and the last leave both change, so
   * two first joiners never both own the room and a join never lands in a room that just emptied.
   */
  const plan = (id: string, user: Member, read: Read): Plan<Joined> => {
    const room = parseRoom(read[FIELD.meta])
    const at = new Date(now()).toISOString()
    const record = (role: MemberRecord['role']): MemberRecord => ({ role, name: user.name, addedAt: at, addedBy: user.id })
    const added = (next: RoomRecord, mine: MemberRecord, set: Record<string, string>): Plan<Joined> =>
      ({ change: { set: { ...set, [FIELD.member(user.id)]: json(mine) }, count: { field: FIELD.count, by: 1 } }, result: { room: next, record: mine, added: true } })
    if (room === null) {
      if (!openRooms) throw notFound()
      const made: RoomRecord = { kind: 'public', title: id, topic: '', createdAt: at, createdBy: user.id, archived: false }
      const plan = added(made, record('owner'), { [FIELD.meta]: json(made) })
      return { ...plan, result: { ...plan.result, made: true } }
    }
    if (room.kind !== 'public') throw notFound()
    const existing = parseMember(read[FIELD.member(user.id)])
    if (existing !== null) return { result: { room, record: existing, added: false } }
    if (read[FIELD.ban(user.id)] !== null) throw banned()
    // Read-only: its history is read without joining; a join would change its roster (and a
    // member the owner cannot hand over to would keep the owner in it).
    if (room.archived) throw new errors.Archived('the room is archived: read its history without joining')
    if (room.vacant !== true) return added(room, record('member'), {})
    const { vacant: _, ...taken } = room
    return added(taken, record('owner'), { [FIELD.meta]: json(taken) })
  }

  /**
   * Adds the user. Indexed first, so that a full list refuses before the roster changes (undone if
   * the room refuses); a room made is charged to its maker once, by the join that sets out to make
   * it (a race with another first joiner aside).
   */
  const enrol = async (id: string, user: Member, charge: boolean): Promise<{ entry: RoomListEntry, rev: number }> => {
    const joined = await indexedWhile(directory, id, 'public', [user.id], async () => {
      if (charge) await quotas.newRoom(user.id)
      return await directory.mutate(id, [FIELD.meta, FIELD.member(user.id), FIELD.ban(user.id)], (read) => plan(id, user, read))
    })
    const entry = views.entryOf(id, joined.room, joined.record, user.id)
    const rev = revOf(joined.room, joined.record)
    if (joined.made === true) await announce.created(toRoom(id, joined.room), [])
    if (joined.added) await announceChange(announce, memberFrame(id, 'added', { id: user.id, name: user.name }, user.id, { role: joined.record.role }), entry, rev)
    return { entry, rev }
  }

  return {
    async join (id, user) {
      const standing = await directory.standing(id, user.id)
      // A member already: as for a private room, only their name is kept current.
      if (standing.member !== null) return await views.admit(id, user, standing)
      if (standing.ban !== null) throw banned()
      if (standing.room === null ? !openRooms : standing.room.kind !== 'public') throw notFound()
      return await enrol(id, user, standing.room === null)
    },

    async resume (id, user, since) {
      const standing = await directory.standing(id, user.id)
      if (standing.member !== null) return await views.admit(id, user, standing)
      const remade = standing.room === null ? openRooms : standing.room.kind === 'public' && standing.ban === null && Date.parse(standing.room.createdAt) > since
      if (remade) return await enrol(id, user, false)
      throw notFound()
    },

    async read (id, userId) {
      const standing = await directory.standing(id, userId)
      if (standing.ban !== null) throw banned()
      if (standing.room === null ? !openRooms : standing.room.kind !== 'public') throw notFound()
    }
  }
}
