import type { Member, RoomListEntry } from '@webchat/shared'
import { errors } from '../errors.js'
import { mutedAt } from './records.js'
import { isReservedRoomId } from './room-ids.js'
import type { Membership } from './service.js'

/**
 * What a connection remembers of its membership of a room it joined (of any kind: a join makes
 * the user a member of a public room), kept current by notices.
 */
export interface RoomAccess {
  mutedUntil?: string
  archived: boolean
  /** The member record's change count it was made from (see MemberRecord.rev). */
  rev: number
  /**
   * When the socket was let in (ms), kept across updates: a public room younger than that was
   * made again after the store lost it, not left by this user (public-rooms.ts, resume).
   */
  since: number
}

export const accessOf = (entry: RoomListEntry, rev: number, since = Date.now()): RoomAccess =>
  entry.mutedUntil === undefined ? { archived: entry.room.archived, rev, since } : { archived: entry.room.archived, mutedUntil: entry.mutedUntil, rev, since }

/**
 * Keeps the newest of what a socket was told about a room: a join's read of the roster and a
 * notice may arrive in either order, and the older must not undo the newer.
 */
export function keepNewest (accesses: Map<string, RoomAccess>, room: string, access: RoomAccess): void {
  const current = accesses.get(room)
  if (current === undefined) accesses.set(room, access)
  else if (current.rev <= access.rev) accesses.set(room, { ...access, since: current.since })
}

/**
 * Reading a room without joining it (history, presence). Private and direct rooms (the ids the
 * server makes) are for their members: anyone else gets the answer a room that does not exist
 * gets (not_found), and null comes back for a public room, open to any signed-in user who is not
 * banned from it (public-rooms.ts).
 */
export async function checkAccess (membership: Membership, room: string, userId: string): Promise<RoomListEntry | null> {
  if (!isReservedRoomId(room)) {
    await membership.readPublic(room, userId)
    return null
  }
  return await membership.entry(room, userId)
}

/**
 * A join: the user's membership, with their name kept current in the roster. A private or direct
 * room lets in its members only (not_found for anyone else, unless the join hook admits them); a
 * public room makes the user a member unless banned (public-rooms.ts).
 */
export async function checkJoin (membership: Membership, room: string, user: Member): Promise<{ entry: RoomListEntry, rev: number }> {
  if (!isReservedRoomId(room)) return await membership.joinPublic(room, user)
  return await membership.enter(room, user).catch(async (err: unknown) => await orAdmitted(membership, room, user, err))
}

/** Not on the roster: the host product's join hook may admit them; otherwise the same not_found. */
async function orAdmitted (membership: Membership, room: string, user: Member, err: unknown): Promise<{ entry: RoomListEntry, rev: number }> {
  const admitted = err instanceof errors.NotFound ? await membership.admit(room, user) : null
  if (admitted === null) throw err
  return admitted
}

/**
 * A socket's membership, let in at `since`, checked again after an outage: not_found when it
 * ended meanwhile.
 */
export async function checkStill (membership: Membership, room: string, user: Member, since: number): Promise<{ entry: RoomListEntry, rev: number }> {
  if (!isReservedRoomId(room)) return await membership.resumePublic(room, user, since)
  return await membership.enter(room, user)
}

/** Why a member may not send now, or null. Checked from the connection's copy: no engine call. */
export function sendRefusal (access: RoomAccess | undefined, now = Date.now()): { code: 'muted' | 'archived', message: string } | null {
  if (access === undefined) return null
  if (access.archived) return { code: 'archived', message: 'the room is archived: it is read-only' }
  if (mutedAt(access, now)) return { code: 'muted', message: access.mutedUntil === 'forever' ? 'you are muted in this room' : `you are muted in this room until ${access.mutedUntil ?? ''}` }
  return null
}
