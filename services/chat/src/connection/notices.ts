import { wireCodeOf } from '@webchat/service-kit'
import type { InboxEntry } from '@webchat/shared'
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
  const conns = [...connections]
  const userId = conns[0]?.user.id
  if (userId === undefined) return
  // What the sockets may do changes at once (an unmute, an archive), not after the counts are read:
  // keepNewest keeps the newest whatever order notices land in.
  if (notice.kind === 'entry') {
    for (const conn of conns) if (conn.rooms.has(notice.entry.room.id)) keepNewest(conn.roomAccess, notice.entry.room.id, accessOf(notice.entry, notice.rev))
  }
  // One user's notices apply in order: a `room` waiting for its counts is not overtaken by a removal.
  const applied = (queues.get(userId) ?? Promise.resolve()).then(async () => { await apply(deps, conns, notice) })
  const tail = applied.catch(() => {})
  queues.set(userId, tail)
  void tail.then(() => { if (queues.get(userId) === tail) queues.delete(userId) })
  await applied
}

const queues = new Map<string, Promise<void>>()

async function apply (deps: ChatDeps, conns: Connection[], notice: Notice): Promise<void> {
  const work: Array<Promise<unknown>> = []
  // A room in the list carries its counts: those a connection here knows, else the store's.
  const entry = notice.kind === 'entry' ? { ...notice.entry, inbox: await inboxOf(deps, conns, notice.entry.room.id) } : null
  for (const conn of conns) {
    if (notice.kind === 'removed') {
      work.push(leaveRoom(deps, conn, notice.room, notice.reason))
      deps.inbox.live.remove(conn, notice.room)
      conn.sendFrame({ type: 'room_removed', room: notice.room, reason: notice.reason })
    } else if (entry !== null) {
      const room = entry.room.id
      if (entry.inbox !== undefined) deps.inbox.live.set(conn, room, entry.inbox)
      conn.sendFrame({ type: 'room', entry })
    }
  }
  await Promise.all(work)
}

async function inboxOf (deps: ChatDeps, conns: Connection[], room: string): Promise<InboxEntry | undefined> {
  try {
    return await deps.inbox.entry(conns[0]!.user.id, room, conns)
  } catch (err) {
    deps.log.warn({ err, room }, 'inbox: a listed room goes without counts')
    return undefined
  }
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
