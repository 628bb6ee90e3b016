import { wireCodeOf } from '@webchat/service-kit'
import { accessOf, checkStill, keepNewest } from '../membership/access.js'
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

/** Rosters asked at once after an outage: enough to be quick, few enough not to swamp the store. */
const RESYNC_AT_ONCE = 50

/**
 * Notices published while this instance's subscriber was away are lost. Once it is back, every
 * room its sockets hold is checked against the roster again: a membership that
 * ended meanwhile closes as the notice would have, a changed one (mute, role) is taken up. `only`
 * narrows the check to the (connection, room) pairs whose channels a cluster shard lost.
 */
export async function resync (deps: ChatDeps, connections: Iterable<Connection>, only?: (conn: Connection, room: string) => boolean): Promise<void> {
  const checks: Array<{ conn: Connection, room: string, since: number }> = []
  for (const conn of connections) {
    for (const [room, { since }] of conn.roomAccess) if (only === undefined || only(conn, room)) checks.push({ conn, room, since })
  }
  for (let i = 0; i < checks.length; i += RESYNC_AT_ONCE) {
    await Promise.all(checks.slice(i, i + RESYNC_AT_ONCE).map(async ({ conn, room, since }) => {
      try {
        const { entry, rev } = await checkStill(deps.membership, room, conn.user, since)
        if (conn.rooms.has(room)) keepNewest(conn.roomAccess, room, accessOf(entry, rev))
      } catch (err) {
        if (wireCodeOf(err) !== 'not_found') throw err
        if (await leaveRoom(deps, conn, room, 'removed')) conn.sendFrame({ type: 'room_removed', room, reason: 'removed' })
      }
    }))
  }
}
