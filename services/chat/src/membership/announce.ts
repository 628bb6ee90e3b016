import type { Member, Room, RoomListEntry, RosterEntry, ServerFrameOf } from '@webchat/shared'
import type { Directory } from './directory.js'
import type { Notice } from './notices.js'

export type MemberFrame = ServerFrameOf<'member'>

/** How membership changes are told: the room's channel, and each user's instances. */
export interface Announcer {
  /** `membership: false`: the frame tells of no membership (a ban of someone who was never in the room). */
  room (frame: MemberFrame | ServerFrameOf<'room_updated'>, options?: { membership?: boolean }): Promise<void>
  user (userId: string, notice: Notice): Promise<void>
  /** A room was made, with the first members no `added` frame tells of (its maker, a direct room's two people, a backend's list). */
  created (room: Room, members: RosterEntry[]): Promise<void>
}

export const memberFrame = (room: string, event: MemberFrame['event'], user: Member, by: string, extra: Partial<MemberFrame> = {}): MemberFrame =>
  ({ type: 'member', room, event, user, by, ...extra })

/** A member's record changed: their instances update what they may do, everyone in the room sees it. */
export async function announceChange (announce: Announcer, frame: MemberFrame, entry: RoomListEntry, rev: number): Promise<void> {
  await Promise.all([announce.room(frame), announce.user(frame.user.id, { kind: 'entry', entry, rev })])
}

/**
 * Someone else ended a membership (`removed` or `banned`): the room sees it, and every socket of
 * the user leaves the room. A user banned before they were ever in the room is not told: they
 * must not learn of it.
 */
export async function announceRemoval (directory: Directory, announce: Announcer, frame: MemberFrame, wasMember: boolean): Promise<void> {
  if (!wasMember) return await announce.room(frame, { membership: false })
  const userId = frame.user.id
  await directory.unindex(userId, frame.room)
  await Promise.all([announce.room(frame), announce.user(userId, { kind: 'removed', room: frame.room, reason: frame.event === 'banned' ? 'banned' : 'removed' })])
}

/**
 * Undoes `directory.index` for users the room did not take after all: indexing comes first so
 * that a full list refuses before the roster changes.
 */
async function unindexUnlessMembers (directory: Directory, room: string, userIds: string[]): Promise<void> {
  await Promise.all(userIds.map(async (userId) => {
    if ((await directory.standing(room, userId)).member === null) await directory.unindex(userId, room)
  }))
}

/**
 * Every way of adding people to a room: their lists take it first (so a full list refuses before
 * the roster changes), then `write` runs; if anything fails, the entries of those the room did
 * not take are undone and the error goes on.
 */
export async function indexedWhile<T> (directory: Directory, room: string, kind: string, userIds: string[], write: () => Promise<T>): Promise<T> {
  const indexed: string[] = []
  try {
    for (const userId of userIds) {
      await directory.index(userId, room, kind)
      indexed.push(userId)
    }
    return await write()
  } catch (err) {
    await unindexUnlessMembers(directory, room, indexed)
    throw err
  }
}
