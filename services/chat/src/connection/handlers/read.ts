import { compareIds, type ClientFrameOf } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/**
 * A read marker lives this long after it last moved: a key per user and room that has messages,
 * kept while the user reads there, gone from rooms the user left long ago.
 */
export const READ_MARKER_TTL_MS = 90 * 24 * 3600_000

/**
 * Stores the user's read marker for the room (it only moves forward, inbox/store.ts) and tells
 * the room (`read`) and every connection of the user, on every instance (`inbox`, with the
 * room's counts from the marker's number). Only for a message the room has: its newest id is known
 * here (from the log when this instance subscribed, then from every message relayed), so a room
 * without messages gets no marker.
 */
export async function read (deps: ChatDeps, conn: Connection, { room, id }: ClientFrameOf<'read'>): Promise<void> {
  const local = deps.rooms.get(room)
  if (!conn.inRoom(room) || local === undefined) {
    conn.error('not_joined', 'not a member of this room', room)
    return
  }
  if (local.lastId === '0-0' || compareIds(id, local.lastId) > 0) {
    conn.error('bad_frame', 'no such message in this room', room)
    return
  }
  if (!await deps.inbox.read(conn.user.id, room, id)) return
  await deps.rooms.publish({ type: 'read', room, user: { id: conn.user.id, name: conn.user.name }, id })
}
