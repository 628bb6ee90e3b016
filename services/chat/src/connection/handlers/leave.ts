import type { ClientFrameOf, LeftReason } from '@webchat/shared'
import * as hold from '../../delivery/hold.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/**
 * Stops the connection receiving the room and says so with `left` (with the reason when its
 * membership ended elsewhere: removed, banned, left on another device). False when it had not joined.
 */
export async function leaveRoom (deps: ChatDeps, conn: Connection, room: string, reason?: LeftReason): Promise<boolean> {
  const membership = conn.rooms.get(room)
  if (membership === undefined) return false
  conn.rooms.delete(room)
  conn.typingAt.delete(room)
  conn.roomAccess.delete(room)
  // A join still under way sees `left` and undoes its own steps.
  const wasJoined = hold.leave(membership)
  conn.sendFrame(reason === undefined ? { type: 'left', room } : { type: 'left', room, reason })
  if (wasJoined) {
    deps.rooms.detach(room, conn)
    await deps.presence.exit(room, conn.user)
  }
  return true
}

export async function leave (deps: ChatDeps, conn: Connection, { room }: ClientFrameOf<'leave'>): Promise<void> {
  if (!await leaveRoom(deps, conn, room)) conn.error('not_joined', 'not a member of this room', room)
}
