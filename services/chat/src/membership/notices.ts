import type { LeftReason, RoomListEntry } from '@webchat/shared'

/**
 * What an instance is told about one user's rooms (on the user's event bucket, see
 * user-events.ts), so that every instance holding a socket of theirs acts on it within the
 * publish: a membership that ended closes the room on those sockets; a changed one (role, mute,
 * a room added) updates what they may do and their room list.
 */
export type Notice =
  | { kind: 'removed', room: string, reason: LeftReason }
  | { kind: 'entry', entry: RoomListEntry, rev: number }

const PREFIX = '!'

/** A notice as a bucket payload: `!` then the JSON (backend events start with the user id's length). */
export const encodeNotice = (notice: Notice): string => PREFIX + JSON.stringify(notice)

export function decodeNotice (frame: string): Notice | null {
  if (!frame.startsWith(PREFIX)) return null
  try {
    const notice = JSON.parse(frame.slice(PREFIX.length)) as Notice
    return notice.kind === 'removed' || notice.kind === 'entry' ? notice : null
  } catch {
    return null
  }
}
