import { accessOf, keepNewest } from '../membership/access.js'
import type { Notice } from '../membership/notices.js'
import type { Connection } from './connection.js'
import type { ChatDeps } from './deps.js'
import { leaveRoom } from './handlers/leave.js'

/**
 * Applies a notice about one user's rooms to their connections on this instance: an ended
 * membership closes the room on every socket that joined it (`left {room, reason}`, then nothing
 * more from it) and leaves their list (`room_removed`); a changed one updates what the sockets
 * may do (mute, archived) and their list (`room`).
 */
export async function applyNotice (deps: ChatDeps, connections: Iterable<Connection>, notice: Notice): Promise<void> {
  const work: Array<Promise<unknown>> = []
  for (const conn of connections) {
    if (notice.kind === 'removed') {
      work.push(leaveRoom(deps, conn, notice.room, notice.reason))
      conn.sendFrame({ type: 'room_removed', room: notice.room, reason: notice.reason })
    } else {
      const room = notice.entry.room.id
      if (conn.rooms.has(room)) keepNewest(conn.roomAccess, room, accessOf(notice.entry, notice.rev))
      conn.sendFrame({ type: 'room', entry: notice.entry })
    }
  }
  await Promise.all(work)
}
