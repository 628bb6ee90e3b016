import type { ClientFrameOf } from '@webchat/shared'
import * as hold from '../../delivery/hold.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

export async function leave (deps: ChatDeps, conn: Connection, { room }: ClientFrameOf<'leave'>): Promise<void> {
  const membership = conn.rooms.get(room)
  if (membership === undefined) {
    conn.error('not_joined', 'not a member of this room', room)
    return
  }
  conn.rooms.delete(room)
  conn.typingAt.delete(room)
  // A join still under way sees `left` and undoes its own steps.
  const wasJoined = hold.leave(membership)
  conn.sendFrame({ type: 'left', room })
  if (wasJoined) {
    deps.rooms.detach(room, conn)
    await deps.presence.exit(room, conn.user)
  }
}
